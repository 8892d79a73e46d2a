"""Two builds of nabla side by side: is a change a slowdown?

Runs the same Google Benchmark programs from two build trees (say, main before a change and
the branch after it) alternately, one benchmark at a time (A B, then B A, ...), so both see the
same machine load, and prints each benchmark's time per build over the rounds (the median, or
with --statistic min the best run), its min-max, and the ratio after/before. On a host whose
speed drifts by tens of percent over seconds (a shared VM), alternating benchmark by benchmark
and --statistic min are what make a 3% difference visible.
A ratio above 1 + --tolerance is flagged (and the exit status is 1), unless the two ranges
overlap (the difference is then within the run-to-run noise of this machine).

    /usr/bin/python3 bench/compare_builds.py --before /tmp/main-build --after build
    /usr/bin/python3 bench/compare_builds.py --before A --after B --rounds 5 \\
        --suite training_bench:'256_256_10' --suite activations_bench:'forward/(relu|tanh)$'

Each --suite is PROGRAM[:FILTER] (a bench/ program and a --benchmark_filter regex); the default
suites are the ones a refactoring must not slow down: the 784-256-256-10 epoch at batch 64 and 256, per-op
overhead, and every activation's forward and backward. NABLA_NUM_THREADS is passed through
(--threads sets it). Prints the CPU first, since times from different machines do not compare.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

DEFAULT_SUITES = [
    "training_bench:mlp_784_256_256_10",
    "autograd_bench:PerOpOverhead|TinyExpressionBackward",
    "activations_bench:^(forward|backward)/",
]


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def run_suite(build, program, pattern, env, min_time):
    path = os.path.join(build, "bench", program)
    if not os.access(path, os.X_OK):
        sys.exit(f"compare_builds: no benchmark program {path} (build it: cmake --build {build} --target {program})")
    command = [path, "--benchmark_format=json", f"--benchmark_min_time={min_time}"]
    if pattern:
        command.append(f"--benchmark_filter={pattern}")
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"compare_builds: {path} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    times = {}
    for b in json.loads(result.stdout)["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration" or b.get("error_occurred"):
            continue
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        times[b["name"]] = b["real_time"] * scale
    if not times:
        sys.exit(f"compare_builds: {path} ran no benchmark matching {pattern!r}")
    return times


def list_benchmarks(build, program, pattern):
    path = os.path.join(build, "bench", program)
    if not os.access(path, os.X_OK):
        sys.exit(f"compare_builds: no benchmark program {path} (build it: cmake --build {build} --target {program})")
    command = [path, "--benchmark_list_tests=true"] + ([f"--benchmark_filter={pattern}"] if pattern else [])
    result = subprocess.run(command, capture_output=True, text=True)
    names = result.stdout.split()
    if result.returncode != 0 or not names:
        sys.exit(f"compare_builds: {path} lists no benchmark matching {pattern!r}")
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="build directory of the reference (e.g. main)")
    parser.add_argument("--after", required=True, help="build directory of the change")
    parser.add_argument("--suite", action="append", help="PROGRAM[:FILTER], repeatable (default: the epoch, per-op overhead and activation suites)")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds per build (default 3)")
    parser.add_argument("--threads", type=int, help="NABLA_NUM_THREADS for both builds")
    parser.add_argument("--min-time", type=float, default=0.2, help="--benchmark_min_time per benchmark, s")
    parser.add_argument("--statistic", choices=["median", "min"], default="median",
                        help="per build over the rounds: median (default) or min, the best run, for a noisy host")
    parser.add_argument("--tolerance", type=float, default=0.03, help="allowed slowdown (default 0.03 = 3%%)")
    args = parser.parse_args()
    if args.rounds < 1:
        sys.exit("compare_builds: --rounds must be at least 1")
    env = dict(os.environ)
    if args.threads is not None:
        if args.threads < 1:
            sys.exit("compare_builds: --threads must be at least 1")
        env["NABLA_NUM_THREADS"] = str(args.threads)
    suites = [s.split(":", 1) if ":" in s else [s, ""] for s in (args.suite or DEFAULT_SUITES)]

    print(f"CPU: {cpu_name()}; threads: {env.get('NABLA_NUM_THREADS', 'all cores')}; "
          f"load before: {os.getloadavg()[0]:.2f}; rounds: {args.rounds}, alternated")
    benchmarks = [(program, name) for program, pattern in suites for name in list_benchmarks(args.before, program, pattern)]
    samples = {"before": {}, "after": {}}
    for round_index in range(args.rounds):
        for index, (program, name) in enumerate(benchmarks):
            order = ["before", "after"] if (round_index + index) % 2 == 0 else ["after", "before"]
            for which in order:
                build = args.before if which == "before" else args.after
                exact = "^" + re.escape(name) + "$"
                for found, seconds in run_suite(build, program, exact, env, args.min_time).items():
                    samples[which].setdefault(f"{program}/{found}", []).append(seconds)

    worse = 0
    statistic = statistics.median if args.statistic == "median" else min
    print(f"{'benchmark':58} {f'before ({args.statistic}, min-max)':>30} {f'after ({args.statistic}, min-max)':>30} {'after/before':>12}")
    for name in sorted(set(samples["before"]) & set(samples["after"])):
        b, a = samples["before"][name], samples["after"][name]
        ratio = statistic(a) / statistic(b)
        overlap = min(a) <= max(b) and min(b) <= max(a)
        flag = ""
        if ratio > 1 + args.tolerance:
            flag = "  slower (ranges overlap)" if overlap else "  SLOWER"
            worse += not overlap
        fmt = lambda xs: f"{statistic(xs) * 1e6:.4g} us ({min(xs) * 1e6:.4g}-{max(xs) * 1e6:.4g})"
        print(f"{name[:58]:58} {fmt(b):>30} {fmt(a):>30} {ratio:12.3f}{flag}")
    print(f"load after: {os.getloadavg()[0]:.2f}; {worse} benchmark(s) slower than {1 + args.tolerance:.2f}x "
          "with ranges apart")
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main())

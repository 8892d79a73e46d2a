"""nabla's GEMM against OpenBLAS on the same shapes, run alternately shape by shape (nabla,
OpenBLAS, next shape, ...) so that both see the same machine load; prints per shape and thread count the
median GFLOP/s of each and the median ratio nabla / OpenBLAS with its min-max over the runs.

    /usr/bin/python3 bench/gemm_vs_openblas.py [--build build] [--threads 1 2] [--runs 3]
                                               [--filter REGEX] [--json out.json] [--clock cpu]

The shapes are those of build/bench/gemm_bench (square SGEMM in four transpose variants, the
Dense training shapes, a few DGEMM). OpenBLAS is called directly through its CBLAS interface
(ctypes, no NumPy overhead), in a separate process so that its idle threads cannot steal a core
from nabla's run; the script prints which OpenBLAS build and kernel it found.
"""
import argparse
import ctypes
import json
import os
import re
import statistics
import subprocess
import sys
import time
from math import prod

OPENBLAS = "libopenblas.so.0"
ROW_MAJOR, NO_TRANS, TRANS = 101, 111, 112


def parse(name):
    """'sgemm/nt/64x256x784' -> (dtype, ta, tb, M, N, K)."""
    what, trans, dims = name.split("/")[:3]
    m, n, k = (int(x) for x in dims.split("x"))
    return ("float64" if what.startswith("dgemm") else "float32", trans[0] == "t", trans[1] == "t", m, n, k)


def openblas_library():
    lib = ctypes.CDLL(OPENBLAS)
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    return lib


def openblas_worker(names, threads, min_time, clock="wall"):
    """Runs in its own process: times cblas_?gemm on each shape, prints {name: GFLOP/s}."""
    import numpy as np

    lib = openblas_library()
    lib.openblas_set_num_threads(threads)
    rng = np.random.default_rng(1)
    results = {}
    for name in names:
        dtype, ta, tb, m, n, k = parse(name)
        a = rng.uniform(-1, 1, m * k).astype(dtype)
        b = rng.uniform(-1, 1, k * n).astype(dtype)
        c = np.zeros(m * n, dtype=dtype)
        scalar = ctypes.c_float if dtype == "float32" else ctypes.c_double
        gemm = lib.cblas_sgemm if dtype == "float32" else lib.cblas_dgemm
        args = (ROW_MAJOR, TRANS if ta else NO_TRANS, TRANS if tb else NO_TRANS, m, n, k, scalar(1),
                a.ctypes.data_as(ctypes.c_void_p), m if ta else k, b.ctypes.data_as(ctypes.c_void_p), k if tb else n,
                scalar(0), c.ctypes.data_as(ctypes.c_void_p), n)
        gemm(*args)  # warm-up: threads started, buffers allocated, caches filled
        calls, start, cpu_start = 0, time.perf_counter(), time.thread_time()
        while True:
            gemm(*args)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        if clock == "cpu":
            elapsed = time.thread_time() - cpu_start
        results[name] = 2e-9 * m * n * k * calls / elapsed
    json.dump(results, sys.stdout)


def run_openblas(names, threads, min_time, clock="wall"):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
    command = [sys.executable, __file__, "--openblas-worker", str(threads), "--min-time", str(min_time),
               "--clock", clock, *names]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)


def run_nabla(build, names, threads, min_time, clock="wall"):
    env = dict(os.environ, NABLA_NUM_THREADS=str(threads))
    pattern = "^(" + "|".join(re.escape(n) for n in names) + ")(/real_time)?$"
    command = [os.path.join(build, "bench", "gemm_bench"), "--benchmark_format=json",
               f"--benchmark_min_time={min_time}", f"--benchmark_filter={pattern}"]
    out = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout)
    if clock == "cpu":  # the benchmark's cpu_time is its own thread's, in microseconds per call
        return {b["name"].removesuffix("/real_time"): 2e-3 * prod(parse(b["name"])[3:]) / b["cpu_time"]
                for b in out["benchmarks"]}, out["context"]
    return {b["name"].removesuffix("/real_time"): b["GFLOPS"] for b in out["benchmarks"]}, out["context"]


def list_shapes(build, regex):
    command = [os.path.join(build, "bench", "gemm_bench"), "--benchmark_list_tests"]
    names = [n.removesuffix("/real_time") for n in subprocess.run(command, capture_output=True, text=True,
                                                                    check=True).stdout.split()]
    return [n for n in names if re.search(regex, n)]


def load():
    return open("/proc/loadavg").read().split()[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--min-time", type=float, default=0.3, help="seconds per shape and run")
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                        help="cpu: time 1-thread runs by the CPU time of the thread doing the work, which on a "
                             "shared, loaded machine leaves out the time other processes hold the core (runs on "
                             "more threads are always timed by the wall clock)")
    parser.add_argument("--filter", default="", help="only the shapes whose name matches this regex")
    parser.add_argument("--json", help="also write every measurement here")
    parser.add_argument("--openblas-worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("names", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.openblas_worker:
        openblas_worker(args.names, args.openblas_worker, args.min_time, args.clock)
        return

    names = list_shapes(args.build, args.filter)
    lib = openblas_library()
    print(f"OpenBLAS: {lib.openblas_get_config().decode()}, kernel {lib.openblas_get_corename().decode()}, "
          f"{'pthreads' if lib.openblas_get_parallel() == 1 else 'OpenMP' if lib.openblas_get_parallel() == 2 else 'serial'}")
    print(f"load average at start: {load()}; 1-thread runs timed by the {args.clock} clock")
    record = {"shapes": names, "runs": {}}
    context = {}
    for threads in args.threads:
        runs = []
        for run in range(args.runs):
            # Shape by shape: each pair is measured seconds apart, under the same load (a whole
            # run of every shape takes minutes, long enough for the load of a shared machine to
            # change between nabla's turn and OpenBLAS's). Who goes first alternates from run
            # to run, so that neither always meets the caches and clock the other left.
            ours, theirs = {}, {}
            for name in names:
                clock = args.clock if threads == 1 else "wall"
                if run % 2 == 1:
                    theirs.update(run_openblas([name], threads, args.min_time, clock))
                ours_one, context = run_nabla(args.build, [name], threads, args.min_time, clock)
                ours.update(ours_one)
                if run % 2 == 0:
                    theirs.update(run_openblas([name], threads, args.min_time, clock))
            runs.append({"nabla": ours, "openblas": theirs, "load": load()})
            print(f"  {threads} thread(s), run {run + 1}/{args.runs} done (load {load()})", file=sys.stderr)
        record["runs"][threads] = runs
    record["context"] = context
    print(f"CPU: {context.get('cpu model')}, vector width {context.get('vector width')}, "
          f"nabla blocking float {context.get('blocking float')}, double {context.get('blocking double')}")
    print(f"load average at end: {load()}; loads per run: "
          + ", ".join(f"{t}T: " + " ".join(r["load"] for r in runs) for t, runs in record["runs"].items()))
    print()
    print(f"{'shape':58} {'thr':>3} {'nabla GF/s':>10} {'OpenBLAS':>9} {'ratio':>6}  min-max")
    for threads, runs in record["runs"].items():
        for name in names:
            ours = [r["nabla"][name] for r in runs]
            theirs = [r["openblas"][name] for r in runs]
            ratios = [o / t for o, t in zip(ours, theirs)]
            print(f"{name:58} {threads:>3} {statistics.median(ours):10.1f} {statistics.median(theirs):9.1f} "
                  f"{statistics.median(ratios):6.2f}  {min(ratios):.2f}-{max(ratios):.2f}")
        # Transposed variants against the plain one, nabla only, same run.
        for name in names:
            dtype, ta, tb, m, n, k = parse(name)
            parts = name.split("/")
            plain = "/".join([parts[0], "nn", *parts[2:]])
            if (ta or tb) and name.startswith("sgemm") and plain in names:
                rel = [r["nabla"][name] / r["nabla"][plain] for r in runs]
                print(f"  nabla {name} / nn: median {statistics.median(rel):.2f} ({min(rel):.2f}-{max(rel):.2f}), "
                      f"{threads} thread(s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(record, f, indent=1)


if __name__ == "__main__":
    main()

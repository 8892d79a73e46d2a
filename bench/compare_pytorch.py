#!/usr/bin/python3
"""nabla next to PyTorch (and OpenBLAS, and libtorch C++) on the same machine, in the same run.

Every measurement runs nabla and the reference alternately, --repeats times (3 by default,
the order swapped every round), and the table gives each side's median time and the median
of the per-round ratios with their min-max: ratio = reference time / nabla time, so above 1
means nabla is faster. A ratio from one round compares two runs a few seconds apart; the
machine's load moves both.

    /usr/bin/python3 bench/compare_pytorch.py [--build build] [--repeats 3] [--quick]

What it measures (see bench/README.md for the targets):
  epochs      one epoch of Fashion-MNIST, SGD lr 0.01: 784-256-256-10 relu at batch 64 on 1
              and 2 threads and at batch 256 on 1 and 2 threads, 784-128-10 at batch 64 on 2
              threads (nabla: build/bench/training_bench; PyTorch: the same model in torch.nn)
  tiny loop   relu(x*w+b).sum().backward() on 4 elements (nabla: activations_bench's
              tiny_relu_loop; libtorch C++: bench/tiny_loop_libtorch.cpp, compiled here once
              where libtorch-dev is installed)
  activations every activation nabla lists (activations_bench --benchmark_list_tests), forward
              and backward on 1M float32, on 1 and 2 threads, next to its PyTorch equivalent
              from TORCH_EQUIVALENTS below; and relu forward next to a 4 MB memory copy
  GEMM        SGEMM against OpenBLAS, through the hook run_gemm_comparison() below
  strided     ops on a transposed 1024x1024 float32 view: x.t().contiguous(), x.t() * 2,
              x.t().exp(), x.t().sum(1), on 1 and 2 threads (nabla: autograd_bench's
              BM_Transposed*; PyTorch: the same calls)

PyTorch is made to run on OpenBLAS's OpenMP build (Debian's libopenblas0-openmp): the
script re-executes itself with that build first on the library path, and prints which BLAS
library, build and kernel the process really loaded. With the pthread build instead, each
of torch's threads would start its own BLAS threads and oversubscribe the cores.
For comparison only: nabla does not use PyTorch, numpy or OpenBLAS.
"""
import argparse
import contextlib
import ctypes
import datetime
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
OPENMP_OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
SKIPPED = 77  # ctest's SKIP_RETURN_CODE for this script's smoke test


def run_on_openmp_openblas():
    """Re-executes this script with the OpenMP build of OpenBLAS first on LD_LIBRARY_PATH, once.
    Must run before numpy or torch is imported. Returns a note for the report."""
    if not os.path.isdir(OPENMP_OPENBLAS):
        # The pthread build's own threads would oversubscribe torch's: keep it on one.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        return ("OpenBLAS's OpenMP build is not installed (apt-get install libopenblas0-openmp): "
                "using the system BLAS with OPENBLAS_NUM_THREADS=1")
    paths = [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p]
    if paths[:1] != [OPENMP_OPENBLAS]:
        env = dict(os.environ, LD_LIBRARY_PATH=":".join([OPENMP_OPENBLAS] + paths))
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)
    return f"LD_LIBRARY_PATH starts with {OPENMP_OPENBLAS}"


BLAS_NOTE = run_on_openmp_openblas() if __name__ == "__main__" else ""

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as error:  # the smoke test skips cleanly on machines without PyTorch
    print(f"compare_pytorch: skipped, {error} (apt-get install python3-torch)")
    sys.exit(SKIPPED)

from torch_common import load_split

# nabla's activation name -> its PyTorch equivalent; None: PyTorch has none. An activation
# nabla lists but this table lacks is still benchmarked, and its row says so.
TORCH_EQUIVALENTS = {
    "identity": lambda x: x.clone(),
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "prelu": lambda x: F.prelu(x, torch.tensor([0.25])),
    "elu": F.elu,
    "selu": F.selu,
    "celu": F.celu,
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "sigmoid": torch.sigmoid,
    "hard_sigmoid": F.hardsigmoid,
    "log_sigmoid": F.logsigmoid,
    "tanh": torch.tanh,
    "hardtanh": F.hardtanh,
    "relu6": F.relu6,
    "hardswish": F.hardswish,
    "square": torch.square,
    "sqrt": torch.sqrt,
    "log": torch.log,
    "signed_sqrt": None,
}
POSITIVE_DOMAIN = {"sqrt", "log"}  # timed on |x| + 0.1, as bench/activations_bench.cpp does

MODELS = {"784-256-256-10": [784, 256, 256, 10], "784-128-10": [784, 128, 10]}


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the machine, and the BLAS this process really loaded --------------------------------

def machine_report():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            info.setdefault(key.strip(), value.strip())
    flags = set(info.get("flags", "").split())
    width = "AVX-512 (512-bit)" if "avx512f" in flags else "AVX2 (256-bit)" if "avx2" in flags else "128-bit"
    return f"{info.get('model name', platform.processor())}, {os.cpu_count()} cores, vector width {width}"


def load_average():
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def openblas_report():
    """Which BLAS libraries are mapped into this process, and what OpenBLAS says of itself."""
    with open("/proc/self/maps") as f:
        mapped = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    lines = ["mapped BLAS libraries: " + (", ".join(mapped) or "none")]
    for path in mapped:
        if "openblas" not in os.path.basename(path):
            continue
        lib = ctypes.CDLL(path)
        lib.openblas_get_config.restype = ctypes.c_char_p
        lib.openblas_get_corename.restype = ctypes.c_char_p
        build = {0: "sequential", 1: "pthread", 2: "OpenMP"}.get(lib.openblas_get_parallel(), "unknown")
        lines.append(f"OpenBLAS: {lib.openblas_get_config().decode()}; {build} build; kernel "
                     f"{lib.openblas_get_corename().decode()}")
    config = torch.__config__.show()
    lines.append("torch: " + "; ".join(part.strip() for line in config.splitlines()
                                       for part in line.split(",") if any(k in part for k in (
                                           "BLAS_INFO", "CPU capability", "OpenMP 2", "USE_OPENMP"))))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        np.show_config()
    blas = [line.strip() for line in out.getvalue().splitlines() if "libraries" in line][:1]
    lines.append("numpy: blas " + (blas[0] if blas else "(show_config gave no library)"))
    return lines


# --- nabla's side: its Google Benchmark programs, one process per measurement -------------

def nabla_bench(build, program, threads, benchmark_filter, extra=()):
    """{name: real time in seconds} from build/bench/<program> on `threads` threads."""
    env = dict(os.environ, NABLA_NUM_THREADS=str(threads))
    command = [os.path.join(build, "bench", program), "--benchmark_format=json",
               f"--benchmark_filter={benchmark_filter}", *extra]
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    results = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("error_occurred"):
            raise RuntimeError(f"{program} {b['name']}: {b.get('error_message')}")
        results[b["name"]] = b["real_time"] * scale[b["time_unit"]]
    return results


def nabla_activation_names(build):
    """The activations nabla itself benchmarks, in its table's order."""
    out = subprocess.run([os.path.join(build, "bench", "activations_bench"), "--benchmark_list_tests"],
                         capture_output=True, text=True, check=True).stdout
    return [line.split("/", 1)[1] for line in out.split() if line.startswith("forward/")]


# --- PyTorch's side, in this process --------------------------------------------------------

def torch_epoch_seconds(sizes, batch, images, labels, time_limit):
    """One epoch of the same model, optimizer and batching, after the same 20-step warm-up.
    Past time_limit seconds the epoch stops and its time is extrapolated from the steps done
    (returned flag True): on a loaded machine PyTorch's OpenMP threads can wait a scheduler
    tick at every op's barrier, and one epoch then takes many minutes."""
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

    def step(index):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(images[index]), labels[index]).backward()
        optimizer.step()

    order = torch.randperm(len(labels))
    for i in range(20):
        step(order[i * batch:(i + 1) * batch])
    order = torch.randperm(len(labels))
    starts = range(0, len(labels), batch)
    start = time.perf_counter()
    for done, i in enumerate(starts, 1):
        step(order[i:i + batch])
        elapsed = time.perf_counter() - start
        if elapsed > time_limit and done < len(starts):
            return elapsed * len(starts) / done, True
    return time.perf_counter() - start, False


def mean_seconds(fn, min_time):
    """Mean time of fn over about min_time seconds, after one warm-up call (as Google Benchmark)."""
    fn()
    number = max(1, int(min_time / max(timeit.timeit(fn, number=1), 1e-7)))
    return timeit.timeit(fn, number=number) / number


def torch_activation_seconds(name, min_time):
    f = TORCH_EQUIVALENTS[name]
    x = torch.randn(1 << 20) * 3
    if name in POSITIVE_DOMAIN:
        x = x.abs() + 0.1
    with torch.no_grad():
        forward = mean_seconds(lambda: f(x), min_time)
    xg = x.clone().requires_grad_()
    y = f(xg)
    seed = torch.ones_like(y)
    backward = mean_seconds(lambda: torch.autograd.grad(y, xg, seed, retain_graph=True), min_time)
    return forward, backward


# --- the table ------------------------------------------------------------------------------

class Table:
    """Rows of (nabla times, reference times), one pair per round, printed as markdown."""

    def __init__(self):
        self.rows = {}  # label -> (reference name, unit, [nabla], [reference])
        self.notes = []

    def add(self, label, reference, nabla_seconds, reference_seconds, unit="s"):
        row = self.rows.setdefault(label, (reference, unit, [], []))
        row[2].append(nabla_seconds)
        row[3].append(reference_seconds)

    def ratios(self, label):
        _, _, ours, theirs = self.rows[label]
        return [t / o for o, t in zip(ours, theirs) if o and t is not None]

    def print(self, title):
        print(f"\n### {title}\n")
        print("| work | nabla | reference | reference / nabla: median (min–max) |")
        print("|---|---|---|---|")
        scale = {"s": 1, "ms": 1e3, "us": 1e6, "ns": 1e9}
        for label, (reference, unit, ours, theirs) in self.rows.items():
            nabla = f"{statistics.median(ours) * scale[unit]:.3g} {unit}"
            known = [t for t in theirs if t is not None]
            if not known:
                print(f"| {label} | {nabla} | {reference} | – |")
                continue
            r = self.ratios(label)
            ref = f"{reference} {statistics.median(known) * scale[unit]:.3g} {unit}"
            print(f"| {label} | {nabla} | {ref} | **{statistics.median(r):.2f}x** ({min(r):.2f}–{max(r):.2f}) |")
        for note in self.notes:
            print(f"\n{note}")


def rounds(repeats):
    """Round numbers with the order to run in: nabla first on even rounds, the reference on odd."""
    return [(r, r % 2 == 0) for r in range(repeats)]


def alternate(nabla_first, run_nabla, run_reference):
    if nabla_first:
        return run_nabla(), run_reference()
    reference = run_reference()
    return run_nabla(), reference


def compare_epochs(args, table):
    configs = [("784-256-256-10", 64, 1), ("784-256-256-10", 64, 2), ("784-256-256-10", 256, 1),
               ("784-256-256-10", 256, 2), ("784-128-10", 64, 2)]
    if args.quick:
        configs = [("784-128-10", 64, 1)]  # one thread: cheap and steady even on a busy machine
    try:
        images, labels = (torch.from_numpy(a) for a in load_split("train"))
    except FileNotFoundError as error:
        table.notes.append(f"Epochs skipped: {error} (apt-get install dataset-fashion-mnist).")
        return
    table.notes.append("The PyTorch epochs run from Python: each step also pays the interpreter's overhead "
                       "(tens of microseconds over the step's dozen ops; the tiny-loop row measures it), which "
                       "a C++ libtorch program would not.")
    times = {}
    for r, nabla_first in rounds(args.repeats):
        for model, batch, threads in configs:
            log(f"epoch {model} batch {batch}, {threads} threads, round {r + 1}")
            name = f"BM_TrainEpoch/mlp_{model.replace('-', '_')}/{batch}/"

            def nabla():
                return nabla_bench(args.build, "training_bench", threads, "^" + name).popitem()[1]

            def reference():
                torch.set_num_threads(threads)
                seconds, extrapolated = torch_epoch_seconds(MODELS[model], batch, images, labels, args.time_limit)
                if extrapolated:
                    table.notes.append(f"PyTorch's epoch {model} batch {batch} on {threads} threads (round {r + 1}) "
                                       f"passed --time-limit {args.time_limit:g} s: its time is extrapolated "
                                       "from the steps done.")
                return seconds

            ours, theirs = alternate(nabla_first, nabla, reference)
            table.add(f"epoch {model}, batch {batch}, {threads} thread{'s' * (threads > 1)}", "PyTorch", ours, theirs)
            times.setdefault((model, batch), {}).setdefault(threads, []).append((ours, theirs))
    for (model, batch), by_threads in times.items():
        if 1 in by_threads and 2 in by_threads:
            for side, i in (("nabla", 0), ("PyTorch", 1)):
                speedups = [one[i] / two[i] for one, two in zip(by_threads[1], by_threads[2])]
                table.notes.append(f"Two threads over one, {model} batch {batch}, {side}: "
                                   f"{statistics.median(speedups):.2f}x ({min(speedups):.2f}–{max(speedups):.2f}).")


def libtorch_tiny_loop(args):
    """The compiled libtorch loop, or None with the reason it was skipped."""
    header = "/usr/include/torch/csrc/api/include/torch/torch.h"
    if not os.path.exists(header):
        return None, "libtorch C++ skipped: libtorch-dev is not installed"
    source = os.path.join(HERE, "tiny_loop_libtorch.cpp")
    binary = os.path.join(args.build, "bench", "tiny_loop_libtorch")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        if args.quick:
            return None, f"libtorch C++ skipped in --quick ({binary} not built yet; a full run compiles it, ~1 min)"
        log("compiling bench/tiny_loop_libtorch.cpp against libtorch (about a minute, once)")
        subprocess.run(["g++", "-O2", "-std=c++17", "-I/usr/include/torch/csrc/api/include", source, "-o", binary,
                        "-ltorch", "-ltorch_cpu", "-lc10"], check=True)
    return binary, None


def compare_tiny_loop(args, table):
    binary, skipped = libtorch_tiny_loop(args)
    if skipped:
        table.notes.append(skipped + ".")
    for r, nabla_first in rounds(args.repeats):
        log(f"tiny-op loop, round {r + 1}")

        def nabla():
            return nabla_bench(args.build, "activations_bench", 1, "^tiny_relu_loop$")["tiny_relu_loop"]

        def reference():
            if not binary:
                return None
            env = dict(os.environ, OMP_NUM_THREADS="1")
            out = subprocess.run([binary, "0.1" if args.quick else "0.5"], capture_output=True, text=True,
                                 check=True, env=env).stdout
            return float(out) * 1e-9

        ours, theirs = alternate(nabla_first, nabla, reference)
        table.add("`relu(x*w+b).sum().backward()`, 4 elements", "libtorch C++", ours, theirs, unit="us")


def compare_activations(args, table, copy_table):
    names = nabla_activation_names(args.build)
    if args.quick:
        names = [n for n in names if n in ("relu", "sigmoid")]
    min_time = 0.01 if args.quick else 0.1
    if "identity" in names:
        table.notes.append("identity backward: both sides hand the gradient on untouched (nabla's identity and "
                           "PyTorch's clone), so its row times the cost of one backward call (Python's "
                           "torch.autograd.grad against C++), not a kernel.")
    missing = [n for n in names if n not in TORCH_EQUIVALENTS]
    if missing:
        table.notes.append("No PyTorch entry in TORCH_EQUIVALENTS (add one to compare): " + ", ".join(missing) + ".")
    threads_list = (1,) if args.quick else (1, 2)
    pattern = "^(copy|(forward|backward)/(" + "|".join(names) + "))$"
    for threads in threads_list:
        torch_relu_over_copy = []
        for r, nabla_first in rounds(args.repeats):
            log(f"activations, {threads} thread(s), round {r + 1}")

            def nabla():
                return nabla_bench(args.build, "activations_bench", threads, pattern,
                                   [f"--benchmark_min_time={min_time}"])

            def reference():
                torch.set_num_threads(threads)
                out = {}
                x = torch.randn(1 << 20)
                y = torch.empty_like(x)
                out["copy"] = mean_seconds(lambda: y.copy_(x), min_time)
                for name in names:
                    if TORCH_EQUIVALENTS.get(name):
                        out[f"forward/{name}"], out[f"backward/{name}"] = torch_activation_seconds(name, min_time)
                return out

            ours, theirs = alternate(nabla_first, nabla, reference)
            suffix = f"{threads} thread{'s' * (threads > 1)}"
            for name in names:
                reference_name = "PyTorch" if name in TORCH_EQUIVALENTS else "(no entry)"
                if TORCH_EQUIVALENTS.get(name) is None and name in TORCH_EQUIVALENTS:
                    reference_name = "(PyTorch has none)"
                for direction in ("forward", "backward"):
                    key = f"{direction}/{name}"
                    table.add(f"{name} {direction}, {suffix}", reference_name, ours[key], theirs.get(key), unit="us")
            copy_table.add(f"relu forward vs memory copy (4 MB), {suffix}", "copy", ours["forward/relu"], ours["copy"],
                           unit="us")
            if theirs.get("forward/relu"):
                torch_relu_over_copy.append(theirs["forward/relu"] / theirs["copy"])
        if torch_relu_over_copy:
            copy_table.notes.append(f"PyTorch's own relu forward over its copy_, {threads} thread(s): "
                                    f"{statistics.median(torch_relu_over_copy):.2f}x the copy's time.")


STRIDED = {  # autograd_bench's name -> the same call in PyTorch, on x of 1024x1024 float32
    "BM_TransposedContiguous": ("x.t().contiguous()", lambda x: x.t().contiguous()),
    "BM_TransposedTimesTwo": ("x.t() * 2", lambda x: x.t() * 2),
    "BM_TransposedExp": ("x.t().exp()", lambda x: x.t().exp()),
    "BM_TransposedSumOfRows": ("x.t().sum(1)", lambda x: x.t().sum(1)),
}


def compare_strided(args, table):
    min_time = 0.01 if args.quick else 0.2
    for threads in (1,) if args.quick else (1, 2):
        for r, nabla_first in rounds(args.repeats):
            log(f"strided, {threads} thread(s), round {r + 1}")

            def nabla():
                return nabla_bench(args.build, "autograd_bench", threads, "^BM_Transposed",
                                   [f"--benchmark_min_time={min_time}"])

            def reference():
                torch.set_num_threads(threads)
                x = torch.randn(1024, 1024)
                with torch.no_grad():
                    return {name: mean_seconds(lambda f=f: f(x), min_time) for name, (_, f) in STRIDED.items()}

            ours, theirs = alternate(nabla_first, nabla, reference)
            for name, (call, _) in STRIDED.items():
                table.add(f"`{call}`, {threads} thread{'s' * (threads > 1)}", "PyTorch", ours[name], theirs[name],
                          unit="us")


# GEMM against OpenBLAS. The hook into a3-gemm's work: where bench/gemm_vs_openblas.py (with
# list_shapes, run_nabla, run_openblas and parse) and build/bench/gemm_bench exist, its shapes
# are timed here, alternately: square SGEMM n = 256..2048 in the plain layout (the transpose
# variants are in gemm_vs_openblas.py's own table) and the three training products of each
# Dense layer, OpenBLAS called through CBLAS in a process of its own. Otherwise the fallback
# below times square SGEMM only: autograd_bench's BM_Matmul against numpy's float32 matmul.
def gemm_hook(build):
    sys.path.insert(0, HERE)
    try:
        import gemm_vs_openblas as module
    except ImportError:
        return None
    wanted = ("list_shapes", "run_nabla", "run_openblas", "parse")
    if not all(hasattr(module, f) for f in wanted) or not os.path.exists(os.path.join(build, "bench", "gemm_bench")):
        return None
    try:  # the hook calls OpenBLAS by name; a machine with only the reference BLAS uses the fallback
        ctypes.CDLL(module.OPENBLAS)
    except OSError:
        log(f"GEMM: {module.OPENBLAS} is not installed (apt-get install libopenblas0): timing the fallback")
        return None
    return module


def compare_gemm(args, table):
    sizes = (256,) if args.quick else (256, 512, 1024, 2048)
    threads_list = (1,) if args.quick else (1, 2)
    hook = gemm_hook(args.build)
    if hook:
        regex = r"^sgemm/nn/256x" if args.quick else r"^(sgemm/nn/(256|512|1024|2048)x|dense_)"
        names = hook.list_shapes(args.build, regex)
        min_time = 0.05 if args.quick else 0.3
        for threads in threads_list:
            for r, nabla_first in rounds(args.repeats):
                log(f"GEMM (gemm_bench), {threads} thread(s), round {r + 1}")
                ours, theirs = alternate(nabla_first, lambda: hook.run_nabla(args.build, names, threads, min_time)[0],
                                         lambda: hook.run_openblas(names, threads, min_time))
                for name in names:
                    _, _, _, m, n, k = hook.parse(name)
                    flop = 2.0 * m * n * k
                    table.add(f"{name}, {threads} thread{'s' * (threads > 1)}", "OpenBLAS", flop / (ours[name] * 1e9),
                              flop / (theirs[name] * 1e9), unit="ms")
        return
    table.notes.append("GEMM: square n only, against numpy's matmul: the fallback in compare_gemm (libopenblas.so.0, "
                       "bench/gemm_vs_openblas.py or gemm_bench, which time the Dense shapes too, is missing).")
    for threads in threads_list:
        for r, nabla_first in rounds(args.repeats):
            log(f"GEMM, {threads} thread(s), round {r + 1}")
            pattern = "^BM_Matmul/(" + "|".join(str(n) for n in sizes) + ")$"

            def nabla():
                return nabla_bench(args.build, "autograd_bench", threads, pattern,
                                   ["--benchmark_min_time=0.05" if args.quick else "--benchmark_min_time=0.3"])

            def reference():
                torch.set_num_threads(threads)  # numpy's OpenBLAS (OpenMP build) follows it
                out = {}
                for n in sizes:
                    a, b = (np.random.randn(n, n).astype(np.float32) for _ in range(2))
                    out[n] = mean_seconds(lambda: a @ b, 0.05 if args.quick else 0.3)
                return out

            ours, theirs = alternate(nabla_first, nabla, reference)
            for n in sizes:
                table.add(f"SGEMM n = {n}, {threads} thread{'s' * (threads > 1)}", "OpenBLAS",
                          ours[f"BM_Matmul/{n}"], theirs[n], unit="ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="nabla's build directory (default: build)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of each measurement (default 3)")
    parser.add_argument("--quick", action="store_true",
                        help="one round, small sizes, a few activations: a smoke test, not a measurement")
    parser.add_argument("--time-limit", type=float, default=300,
                        help="seconds after which a PyTorch epoch stops and is extrapolated (default 300)")
    parser.add_argument("--only", choices=("epochs", "tiny", "activations", "gemm", "strided"), action="append",
                        help="run only these sections (repeatable)")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    args.build = os.path.abspath(args.build)
    if not os.path.exists(os.path.join(args.build, "bench", "training_bench")):
        parser.error(f"no benchmarks in {args.build}/bench: build them first "
                     "(cmake --build build --target training_bench activations_bench autograd_bench)")

    load_before = load_average()
    print(f"## nabla vs PyTorch {torch.__version__}, {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC\n")
    print(f"- CPU: {machine_report()}")
    print(f"- BLAS: {BLAS_NOTE}")
    for line in openblas_report():
        print(f"  - {line}")
    print(f"- rounds: {args.repeats}{' (--quick)' if args.quick else ''}; load average at start {load_before}")
    sys.stdout.flush()

    sections = args.only or ["epochs", "tiny", "activations", "gemm", "strided"]
    epochs, tiny, activations, copy, gemm, strided = Table(), Table(), Table(), Table(), Table(), Table()
    if "epochs" in sections:
        compare_epochs(args, epochs)
        epochs.print("Training epochs (Fashion-MNIST, SGD)")
    if "tiny" in sections:
        compare_tiny_loop(args, tiny)
        tiny.print("Tiny-op loop (per iteration)")
    if "activations" in sections:
        compare_activations(args, activations, copy)
        activations.print("Activations on 1M float32 elements")
        copy.print("Memory-bound floor (ratio = copy time / relu time; the target is at least 1/1.2 = 0.83)")
    if "gemm" in sections:
        compare_gemm(args, gemm)
        gemm.print("SGEMM against OpenBLAS (ratio = nabla's speed as a fraction of OpenBLAS's)")
    if "strided" in sections:
        compare_strided(args, strided)
        strided.print("Ops on a transposed 1024x1024 float32 view")
    print(f"\nload average at the end: {load_average()}")


if __name__ == "__main__":
    main()

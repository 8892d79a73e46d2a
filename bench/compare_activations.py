#!/usr/bin/python3
"""nabla's activation kernels next to PyTorch's, on the same machine and thread count.

Runs build/bench/activations_bench (Google Benchmark, JSON out), times the same activations
in PyTorch (Debian's python3-torch) the same way -- forward alone, and the backward alone on
a graph built once -- and prints one table with the ratio. For comparison only: nabla does
not depend on PyTorch.

    /usr/bin/python3 bench/compare_activations.py [--threads N] [--build build]
"""
import argparse
import os

# PyTorch runs its own threads; an OpenBLAS that also spawns threads oversubscribes the cores
# (4x slower here). Must be set before torch loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import timeit

import torch
import torch.nn.functional as F

from torch_common import run_nabla_benchmark

N = 1 << 20

# nabla name -> the PyTorch function (None: PyTorch has no such activation)
TORCH = {
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


def best_seconds(fn, repeat=7):
    number = max(1, int(0.05 / max(timeit.timeit(fn, number=1), 1e-6)))
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def torch_times(name):
    f = TORCH[name]
    x = torch.randn(N) * 3
    if name in ("sqrt", "log"):
        x = x.abs() + 0.1
    with torch.no_grad():
        forward = best_seconds(lambda: f(x))
    xg = x.clone().requires_grad_()
    y = f(xg)
    seed = torch.ones_like(y)
    backward = best_seconds(lambda: torch.autograd.grad(y, xg, seed, retain_graph=True))
    return forward, backward


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    ours = run_nabla_benchmark(args.build, "activations_bench", args.threads, ["--benchmark_min_time=0.2"])
    torch.set_num_threads(args.threads)  # after nabla's run: idle OpenMP threads spin and steal its cores
    copy = ours["copy"]
    print(f"1M float32 elements, {args.threads} threads, PyTorch {torch.__version__}; times in microseconds")
    print(f"memory-bound floor: copy of 4 MB = {copy * 1e6:.0f} us\n")
    print(f"{'activation':<13} {'fwd nabla':>10} {'fwd torch':>10} {'ratio':>6}   {'bwd nabla':>10} {'bwd torch':>10} {'ratio':>6}   {'fwd/copy':>8}")
    for name, f in TORCH.items():
        fwd, bwd = ours[f"forward/{name}"], ours[f"backward/{name}"]
        if f is None:
            print(f"{name:<13} {fwd * 1e6:10.0f} {'-':>10} {'-':>6}   {bwd * 1e6:10.0f} {'-':>10} {'-':>6}   {fwd / copy:8.2f}")
            continue
        tf, tb = torch_times(name)
        print(f"{name:<13} {fwd * 1e6:10.0f} {tf * 1e6:10.0f} {tf / fwd:6.2f}   {bwd * 1e6:10.0f} {tb * 1e6:10.0f} {tb / bwd:6.2f}   {fwd / copy:8.2f}")
    print("\nratio = PyTorch time / nabla time (above 1: nabla is faster)")


if __name__ == "__main__":
    main()

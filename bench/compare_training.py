#!/usr/bin/python3
"""Training throughput, nabla next to PyTorch: one epoch of Fashion-MNIST, SGD, batch 64.

Same models (784-256-256-10 relu and 784-128-10 relu), same data in the same layout
(float32 in [0, 1]), same thread count. For comparison only: nabla does not use PyTorch.
Debian's python3-torch uses whatever BLAS libblas.so.3 points to: install libopenblas0 for
a fair comparison (the reference BLAS is 5-10x slower).

    /usr/bin/python3 bench/compare_training.py [--threads N] [--build build]
"""
import argparse
import os

# PyTorch runs its own threads; an OpenBLAS that also spawns threads oversubscribes the cores
# (4x slower here). Must be set before torch loads OpenBLAS.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import time

import torch

from torch_common import load_split, run_nabla_benchmark

def torch_epoch_seconds(sizes, images, labels, repeats=3):
    torch.manual_seed(0)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    best = float("inf")
    for _ in range(repeats):
        order = torch.randperm(len(labels))
        start = time.perf_counter()
        for i in range(0, len(labels), 64):
            index = order[i:i + 64]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            optimizer.step()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--build", default="build")
    args = parser.parse_args()

    # "BM_TrainEpoch/mlp_784_128_10/iterations:3" -> "mlp_784_128_10"
    ours = {name.split("/")[1]: t for name, t in run_nabla_benchmark(args.build, "training_bench", args.threads).items()}
    torch.set_num_threads(args.threads)  # after nabla's run: idle OpenMP threads spin and steal its cores
    images, labels = (torch.from_numpy(a) for a in load_split("train"))
    print(f"one epoch of Fashion-MNIST (60000 images), SGD, batch 64, {args.threads} threads, PyTorch {torch.__version__}")
    print(f"{'model':<22} {'nabla s':>8} {'torch s':>8} {'torch/nabla':>12}")
    for name, sizes in (("mlp_784_256_256_10", [784, 256, 256, 10]), ("mlp_784_128_10", [784, 128, 10])):
        theirs = torch_epoch_seconds(sizes, images, labels)
        print(f"{name:<22} {ours[name]:8.3f} {theirs:8.3f} {theirs / ours[name]:12.2f}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The mnist_collapse experiment in PyTorch, to compare accuracies with nabla's.

Same data (Fashion-MNIST from Debian's dataset-fashion-mnist, pixels in [0, 1]), models
(784-H-H-10 with no activation, relu, sigmoid, tanh; and logistic regression), batch size,
epochs, optimizer and seed. PyTorch's own initialisation and shuffling differ from nabla's,
so expect agreement within about a percentage point, not bit for bit.

    /usr/bin/python3 bench/mnist_torch.py [--epochs 5] [--optimizer adam|sgd] [--lr 1e-3]
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # torch has its own threads

import torch

from torch_common import load_split

def mlp(sizes, activation):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if activation and i + 2 < len(sizes):
            layers.append({"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}[activation]())
    return torch.nn.Sequential(*layers)


def run(name, model, train, test, args):
    torch.manual_seed(args.seed)
    make = torch.optim.Adam if args.optimizer == "adam" else torch.optim.SGD
    optimizer = make(model.parameters(), lr=args.lr)
    images, labels = train
    seconds = 0
    for _ in range(args.epochs):
        order = torch.randperm(len(labels))
        start = time.perf_counter()
        total, steps = 0.0, 0
        for i in range(0, len(labels), args.batch_size):
            index = order[i:i + args.batch_size]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            optimizer.step()
            total += loss.item()
            steps += 1
        seconds += time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(test[0]).argmax(1) == test[1]).float().mean().item()
    params = sum(p.numel() for p in model.parameters())
    print(f"{name:<22} {params:>10} {100 * accuracy:8.1f}% {total / steps:10.4f} {seconds / args.epochs:9.2f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--optimizer", default="adam")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--hidden", default="256,256")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train, test = (tuple(torch.from_numpy(a) for a in load_split(split)) for split in ("train", "test"))
    sizes = [784] + [int(h) for h in args.hidden.split(",")] + [10]
    print(f"PyTorch {torch.__version__}: {args.epochs} epochs, batch {args.batch_size}, {args.optimizer} lr {args.lr}, "
          f"seed {args.seed}, {args.threads} threads")
    print(f"{'model':<22} {'params':>10} {'test acc':>9} {'final loss':>10} {'s/epoch':>9}")
    torch.manual_seed(args.seed)
    run("logistic regression", mlp([784, 10], None), train, test, args)
    for activation in (None, "relu", "sigmoid", "tanh"):
        torch.manual_seed(args.seed)
        run("deep " + (activation or "linear"), mlp(sizes, activation), train, test, args)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Counts how many of the libtorch lines in libtorch_surface_test.cpp a version of nabla accepts.

Each "// torch:" block of the test file is compiled on its own (syntax only) against the
nabla source tree given, so that one line that does not compile does not hide the others.
The lines listed after "Lines nabla does not accept" count as not compiling.

    tests/nn/count_libtorch_lines.py                      # this tree
    tests/nn/count_libtorch_lines.py --expect-all         # exit 1 if a block of the test fails (ctest runs this)
    git archive <commit> | tar -x -C /tmp/old && tests/nn/count_libtorch_lines.py --tree /tmp/old
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MARKER = "// torch:"
REJECTED = "// Lines nabla does not accept"


def blocks(path):
    text = open(path).read()
    body, _, rejected = text.partition(REJECTED)
    parts = body.split("\n" + MARKER)
    header, tests = parts[0], [MARKER + p for p in parts[1:]]
    tests[-1] = tests[-1].rstrip()
    rejected_count = rejected.count(MARKER)
    return header, tests, rejected_count


def precompiled_prelude(compiler, tree, header, directory):
    """The header's #include lines as a precompiled header (gcc .gch, clang .pch), so that each of
    the many blocks does not parse nabla.h and gtest again: the flags for -include, or [] when
    the compiler cannot precompile it (the blocks then compile without it, only slower)."""
    prelude = os.path.join(directory, "prelude.h")
    with open(prelude, "w") as f:
        f.write("\n".join(line for line in header.splitlines() if line.startswith("#include")) + "\n")
    suffix = ".pch" if "clang" in os.path.basename(compiler) else ".gch"
    result = subprocess.run([compiler, "-std=c++20", "-w", "-I", tree, "-x", "c++-header", prelude,
                             "-o", prelude + suffix], capture_output=True, text=True)
    return ["-include", prelude] if result.returncode == 0 else []


def compiles(compiler, tree, header, block, prelude_flags, directory):
    with tempfile.NamedTemporaryFile("w", suffix=".cpp", dir=directory, delete=False) as f:
        f.write(header + "\n" + block + "\n}  // namespace\n")
        name = f.name
    try:
        result = subprocess.run([compiler, "-std=c++20", "-fsyntax-only", "-w", "-I", tree, *prelude_flags, name],
                                capture_output=True, text=True)
        return result.returncode == 0
    finally:
        os.unlink(name)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", default=os.path.dirname(os.path.dirname(HERE)), help="nabla source root")
    parser.add_argument("--compiler", default="c++")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--expect-all", action="store_true",
                        help="fail unless every block of the test compiles on its own")
    args = parser.parse_args()
    header, tests, rejected = blocks(os.path.join(HERE, "libtorch_surface_test.cpp"))
    with tempfile.TemporaryDirectory() as directory:
        prelude_flags = precompiled_prelude(args.compiler, args.tree, header, directory)
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(lambda b: compiles(args.compiler, args.tree, header, b, prelude_flags, directory),
                                    tests))
    for block, ok in zip(tests, results):
        if not ok:
            print("does not compile:", block.splitlines()[0][len(MARKER):].strip())
    total = len(tests) + rejected
    print(f"{sum(results)} of {total} libtorch lines compile ({rejected} listed as not supported)")
    return 1 if args.expect_all and not all(results) else 0


if __name__ == "__main__":
    sys.exit(main())

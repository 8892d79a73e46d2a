"""PyTorch's own float32 error on the points and with the measure of activation_accuracy_test.cpp.

    /usr/bin/python3 tests/nn/activation_accuracy_torch.py          # a table
    /usr/bin/python3 tests/nn/activation_accuracy_torch.py --inc > tests/nn/activation_accuracy_torch.inc

Prints, per activation, the worst error of f, f' and f'' in ulps of the value (of the scale
within 0.25 of a zero crossing; see the top of activation_accuracy_test.cpp). The reference is
float64 (exact enough for float32). With --inc, the rows of the test's table of PyTorch's
errors. For comparison only: nabla's tests never depend on PyTorch.
"""
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

FLT_MIN = np.finfo(np.float32).tiny


def points(low=-20.0, high=20.0, kinks=()):
    xs = [np.float32(i / 512) for i in range(-20 * 512, 20 * 512 + 1)]
    state = 12345
    for _ in range(20000):
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        xs.append(np.float32(-20.0 + 40.0 * (state >> 11) / 9007199254740992.0))
    for centre in (-5.0, -3.0, -2.9, -2.4, -0.8, 0.0, 0.8, 2.4, 3.0, 5.0):
        xs += [np.float32(centre + i * 1e-4) for i in range(-2000, 2001)]
    xs = np.array(xs, dtype=np.float32)
    keep = (xs > low) & (xs < high)
    for k in kinks:
        keep &= xs != np.float32(k)
    return xs[keep]


def sig(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def sech2(u):
    return 1 / np.cosh(np.minimum(np.abs(u), 700)) ** 2


erfc = np.vectorize(math.erfc)
phi = lambda x: np.exp(-x * x / 2) / math.sqrt(2 * math.pi)
Phi = lambda x: erfc(-x / math.sqrt(2)) / 2
K, C = math.sqrt(2 / math.pi), 0.044715
u = lambda x: K * (x + C * x**3)
du = lambda x: K * (1 + 3 * C * x * x)


def gt_d2(x, absolute=False):
    t, s, d = np.tanh(u(x)), sech2(u(x)), du(x)
    if absolute:
        return s * d + np.abs(x) * s * (6 * K * C * np.abs(x) + 2 * np.abs(t) * d * d) / 2
    return s * d + x * s * (6 * K * C * x - 2 * t * d * d) / 2


def mish_parts(x):
    sp = softplus(x)
    return np.tanh(sp), sech2(sp), sig(x), sig(-x)


SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
CROSSING_RADIUS = 0.5
BIN_WIDTH, BINS = 0.5, 80  # [-20, 20] in bins of 0.5: PyTorch's worst error per bin


def zero_crossings(g, low, high):
    """Sign changes of g between grid points 1/1024 apart, narrowed by bisection."""
    grid = np.arange(low + 1 / 1024, high, 1 / 1024)
    values = g(grid)
    nonzero = values != 0
    grid, values = grid[nonzero], values[nonzero]
    zeros = []
    for i in np.nonzero(np.sign(values[:-1]) != np.sign(values[1:]))[0]:
        lo, hi, sign_lo = grid[i], grid[i + 1], np.sign(values[i])
        for _ in range(60):
            mid = (lo + hi) / 2
            if np.sign(g(np.array([mid]))[0]) == sign_lo:
                lo = mid
            else:
                hi = mid
        zeros.append((lo + hi) / 2)
    return zeros


# name: (torch function, f, f', f'', f' terms, f'' terms, (low, high, kinks))
ROWS = {
    "gelu": (F.gelu, lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x), lambda x: phi(x) * (2 - x * x),
             lambda x: Phi(x) + np.abs(x) * phi(x), lambda x: phi(x) * (2 + x * x)),
    # (1 + tanh u) / 2 as sigmoid(2u): 1 + tanh u cancels, even in float64, once u < -19.
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda x: x * sig(2 * u(x)),
                  lambda x: sig(2 * u(x)) + x * sech2(u(x)) * du(x) / 2, gt_d2,
                  lambda x: sig(2 * u(x)) + np.abs(x) * sech2(u(x)) * du(x) / 2,
                  lambda x: gt_d2(x, True)),
    "silu": (F.silu, lambda x: x * sig(x), lambda x: sig(x) * (1 + x * sig(-x)),
             lambda x: sig(x) * sig(-x) * (2 + x * (sig(-x) - sig(x))),
             lambda x: sig(x) * (1 + np.abs(x) * sig(-x)),
             lambda x: sig(x) * sig(-x) * (2 + np.abs(x * (sig(-x) - sig(x))))),
    "mish": (F.mish, lambda x: x * np.tanh(softplus(x)),
             lambda x: (lambda t, q, s, c: t + x * q * s)(*mish_parts(x)),
             lambda x: (lambda t, q, s, c: q * s * (2 + x * (c - 2 * t * s)))(*mish_parts(x)),
             lambda x: (lambda t, q, s, c: t + np.abs(x) * q * s)(*mish_parts(x)),
             lambda x: (lambda t, q, s, c: q * s * (2 + np.abs(x) * (c + 2 * t * s)))(*mish_parts(x))),
    "elu": (F.elu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), lambda x: np.where(x > 0, 1, np.exp(np.minimum(x, 0))),
            lambda x: np.where(x > 0, 0, np.exp(np.minimum(x, 0))), None, None, (-20, 20, (0,))),
    "selu": (F.selu, lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0))),
             lambda x: np.where(x > 0, SELU_SCALE, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 0))),
             lambda x: np.where(x > 0, 0, SELU_SCALE * SELU_ALPHA * np.exp(np.minimum(x, 0))), None, None, (-20, 20, (0,))),
    "celu": (F.celu, lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))), lambda x: np.where(x > 0, 1, np.exp(np.minimum(x, 0))),
             lambda x: np.where(x > 0, 0, np.exp(np.minimum(x, 0))), None, None, (-20, 20, (0,))),
    "softplus": (F.softplus, softplus, sig, lambda x: sig(x) * sig(-x), None, None),
    "sigmoid": (torch.sigmoid, sig, lambda x: sig(x) * sig(-x), lambda x: sig(x) * sig(-x) * (sig(-x) - sig(x)), None, None),
    "log_sigmoid": (F.logsigmoid, lambda x: -softplus(-x), lambda x: sig(-x), lambda x: -sig(x) * sig(-x), None, None),
    "tanh": (torch.tanh, np.tanh, sech2, lambda x: -2 * np.tanh(x) * sech2(x), None, None),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x)), lambda x: 1 / (1 + np.abs(x)) ** 2,
                 lambda x: -2 * np.sign(x) / (1 + np.abs(x)) ** 3, None, None, (-20, 20, (0,))),
    "hard_sigmoid": (F.hardsigmoid, lambda x: np.clip((x + 3) / 6, 0, 1), lambda x: np.where((x > -3) & (x < 3), 1 / 6, 0),
                     None, None, None, (-20, 20, (-3, 3))),
    "hardswish": (F.hardswish, lambda x: np.where(x <= -3, 0, np.where(x >= 3, x, x * (x + 3) / 6)),
                  lambda x: np.where(x <= -3, 0, np.where(x >= 3, 1, (2 * x + 3) / 6)),
                  lambda x: np.where((x > -3) & (x < 3), 1 / 3, 0),
                  lambda x: np.where(x <= -3, 0, np.where(x >= 3, 1, (2 * np.abs(x) + 3) / 6)), None, (-20, 20, (-3, 3))),
}


def ulp32(m):
    m = np.maximum(np.abs(m), FLT_MIN).astype(np.float32)
    return (np.nextafter(m, np.float32(np.inf)) - m).astype(np.float64)


def errors(got, g, terms, xs, low, high):
    """Each point's error: ulps of the value, of the scale within CROSSING_RADIUS of a zero crossing."""
    x = xs.astype(np.float64)
    expected = g(x)
    near = np.zeros(len(x), dtype=bool)
    for z in zero_crossings(g, low, high):
        near |= np.abs(x - z) < CROSSING_RADIUS
    scale = np.abs(expected) if terms is None else np.where(near, np.maximum(np.abs(expected), terms(x)), np.abs(expected))
    diff = np.abs(got - expected)
    err = np.where(np.maximum(np.abs(expected), np.abs(got)) < 2.0**-100, 0, diff / ulp32(scale))
    return np.where(np.isnan(err), np.inf, err)


def per_bin(err, xs):
    bins = np.clip(((xs.astype(np.float64) + 20) / BIN_WIDTH).astype(int), 0, BINS - 1)
    worst = np.zeros(BINS)
    np.maximum.at(worst, bins, err)
    return worst


def main():
    as_include = "--inc" in sys.argv[1:]
    if as_include:
        print(f"// Printed by tests/nn/activation_accuracy_torch.py --inc (PyTorch {torch.__version__}); do not edit.")
    for name, row in ROWS.items():
        fn, f, df, d2f, df_terms, d2f_terms = row[:6]
        low, high, kinks = row[6] if len(row) > 6 else (-20, 20, ())
        xs = points(low, high, kinks)
        x = torch.tensor(xs, requires_grad=True)
        y = fn(x)
        (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        results = [(y, f, None), (dy, df, df_terms)]
        if d2f is not None and dy.requires_grad:
            (d2y,) = torch.autograd.grad(dy.sum(), x)
            results.append((d2y, d2f, d2f_terms))
        errs = [errors(got.detach().double().numpy(), g, terms, xs, low, high) for got, g, terms in results]
        if as_include:
            rows = [per_bin(e, xs) for e in errs] + [np.zeros(BINS)] * (3 - len(errs))
            body = ", ".join("{" + ", ".join(f"{v:.3g}" for v in row) + "}" for row in rows)
            for alias in [name] + (["swish"] if name == "silu" else []):
                print(f'{{"{alias}", {{{{{body}}}}}}},')
        else:
            line = f"{name:14}"
            for label, e in zip(("f ", "f' ", "f''"), errs):
                i = int(np.argmax(e))
                line += f"  {label} {e[i]:8.3g} ({xs[i]:.4g})"
            print(line)


if __name__ == "__main__":
    main()

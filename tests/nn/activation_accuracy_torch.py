"""PyTorch's own float32 error on the points and with the metric of activation_accuracy_test.cpp.

    /usr/bin/python3 tests/nn/activation_accuracy_torch.py

Prints, per activation, the worst error of f, f' and f'' in ulps of the scale (see the top
of activation_accuracy_test.cpp). The reference is float64 (exact enough for float32).
For comparison only: nabla's tests never depend on PyTorch.
"""
import math

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


# name: (torch function, f, f', f'', f' terms, f'' terms, (low, high, kinks))
ROWS = {
    "gelu": (F.gelu, lambda x: x * Phi(x), lambda x: Phi(x) + x * phi(x), lambda x: phi(x) * (2 - x * x),
             lambda x: Phi(x) + np.abs(x) * phi(x), lambda x: phi(x) * (2 + x * x)),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda x: x * (1 + np.tanh(u(x))) / 2,
                  lambda x: (1 + np.tanh(u(x))) / 2 + x * sech2(u(x)) * du(x) / 2, gt_d2,
                  lambda x: (1 + np.tanh(u(x))) / 2 + np.abs(x) * sech2(u(x)) * du(x) / 2,
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


def worst(got, g, terms, xs):
    x = xs.astype(np.float64)
    expected = g(x)
    scale = np.abs(expected) if terms is None else np.maximum(np.abs(expected), terms(x))
    diff = np.abs(got - expected)
    err = np.where(diff < FLT_MIN, 0, diff / ulp32(scale))
    err = np.where(np.isnan(err), np.inf, err)
    i = int(np.argmax(err))
    return err[i], xs[i]


def main():
    for name, row in ROWS.items():
        fn, f, df, d2f, df_terms, d2f_terms = row[:6]
        low, high, kinks = row[6] if len(row) > 6 else (-20, 20, ())
        xs = points(low, high, kinks)
        x = torch.tensor(xs, requires_grad=True)
        y = fn(x)
        (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        line = f"{name:14}"
        results = [(y, f, None), (dy, df, df_terms)]
        if d2f is not None:
            (d2y,) = torch.autograd.grad(dy.sum(), x)
            results.append((d2y, d2f, d2f_terms))
        for label, (got, g, terms) in zip(("f ", "f' ", "f''"), results):
            e, at = worst(got.detach().double().numpy(), g, terms, xs)
            line += f"  {label} {e:8.3g} ({at:.4g})"
        print(line)


if __name__ == "__main__":
    main()

"""PyTorch's f, f' and f'' of each activation at -inf, +inf and NaN, in float32 and float64:
the values tests/nn/activation_special_values_test.cpp marks as PyTorch's.

    /usr/bin/python3 tests/nn/activation_special_values_torch.py

For comparison only: nabla's tests never depend on PyTorch.
"""
import torch, torch.nn.functional as F
fns = {"relu": F.relu, "leaky_relu": F.leaky_relu, "elu": F.elu, "selu": F.selu, "celu": F.celu, "gelu": F.gelu,
       "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu, "mish": F.mish, "softplus": F.softplus,
       "softsign": F.softsign, "sigmoid": torch.sigmoid, "hard_sigmoid": F.hardsigmoid, "log_sigmoid": F.logsigmoid,
       "tanh": torch.tanh, "hardtanh": F.hardtanh, "relu6": F.relu6, "hardswish": F.hardswish, "sqrt": torch.sqrt, "log": torch.log}
for name, fn in fns.items():
    for dt in (torch.float32, torch.float64):
        x = torch.tensor([-float("inf"), float("inf"), float("nan")], dtype=dt, requires_grad=True)
        y = fn(x)
        (d1,) = torch.autograd.grad(y.sum(), x, create_graph=True)
        try:
            (d2,) = torch.autograd.grad(d1.sum(), x, allow_unused=True)
            d2 = d2.tolist() if d2 is not None else [0, 0, 0]
        except RuntimeError as e:
            d2 = ["err"] * 3
        print(f"{name:13} {'f32' if dt == torch.float32 else 'f64'}  f={y.tolist()}  f'={d1.tolist()}  f''={d2}")

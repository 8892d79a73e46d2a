#!/usr/bin/python3
"""Prints the reference values in optim_test.cpp: a few optimizer steps in PyTorch, then the
learning rates of CosineAnnealingLR(T_max=4, eta_min=0.1) from lr 1 over epochs 0..12.

The problem: parameters p = [1, -2, 3], loss = sum(c * p^2) with c = [1, 2, 3], three steps.
Run with Debian's python3-torch:  /usr/bin/python3 tests/nn/optim_reference.py
"""
import torch

CONFIGS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov_wd": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1),
    "adam": lambda p: torch.optim.Adam(p, lr=0.1),
    "adam_wd": lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    "adamw": lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
    "adamw_default_decay": lambda p: torch.optim.AdamW(p, lr=0.05),  # weight_decay=0.01
    # betas whose v shrinks as the gradient does, so that amsgrad's max(v) matters
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.5, betas=(0.5, 0.5), amsgrad=True),
    "adamw_amsgrad": lambda p: torch.optim.AdamW(p, lr=0.5, betas=(0.5, 0.5), amsgrad=True),
}

c = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
for name, make in CONFIGS.items():
    p = torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)
    opt = make([p])
    rows = []
    for _ in range(3):
        opt.zero_grad()
        (c * p * p).sum().backward()
        opt.step()
        rows.append("{" + ", ".join(f"{v:.17g}" for v in p.detach().tolist()) + "}")
    print(f'{{"{name}", {{{", ".join(rows)}}}}},')

p = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([p], lr=1.0)
schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.1)
rates = []
for _ in range(13):
    rates.append(opt.param_groups[0]["lr"])
    opt.step()
    schedule.step()
print("{" + ", ".join(f"{v:.17g}" for v in rates) + "}")

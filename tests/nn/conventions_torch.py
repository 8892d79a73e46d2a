"""PyTorch's side of each row of the README's table "where nabla differs from PyTorch", printed
by Debian's python3-torch; tests/nn/conventions_test.cpp checks nabla's side of the same rows.
    /usr/bin/python3 tests/nn/conventions_torch.py"""
import copy
import warnings

import torch

warnings.filterwarnings("ignore")
rows = {}
rows["comparisons"] = (torch.tensor([1.0, 2.0]) == torch.tensor([1.0, 3.0])).dtype
rows["factories from integers"] = [torch.tensor([1, 2]).dtype, torch.arange(5).dtype, torch.full((2,), 1).dtype]
rows["mixed dtypes"] = (torch.zeros(2) + torch.zeros(2, dtype=torch.float64)).dtype
base = torch.arange(6.0).reshape(2, 3)
rows["data_ptr of a transposed view"] = "the base's address" if base.t().data_ptr() == base.data_ptr() else "other"
x = torch.tensor([[1.0, float("nan"), float("nan")]], requires_grad=True)
torch.amax(x, 1).sum().backward()
rows["amax gradient with NaNs"] = x.grad.tolist()
x = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(torch.nn.functional.hardsigmoid(x).sum(), x, create_graph=True)
try:
    torch.autograd.grad(g.sum(), x)
    rows["hard_sigmoid second derivative"] = "computed"
except RuntimeError as e:
    rows["hard_sigmoid second derivative"] = "error: " + str(e).splitlines()[0][:80]
rows["softplus(25) float64"] = repr(torch.nn.functional.softplus(torch.tensor(25.0, dtype=torch.float64)).item())
linear = torch.nn.Linear(4, 3)
rows["Linear bias at init is zero"] = bool((linear.bias == 0).all())
copied = copy.deepcopy(linear)
rows["deepcopy shares parameters"] = copied.weight.data_ptr() == linear.weight.data_ptr()
with torch.autograd.detect_anomaly(), torch.no_grad():
    try:
        torch.log(torch.tensor([-1.0]))
        rows["anomaly in a forward under no_grad"] = "no error"
    except RuntimeError:
        rows["anomaly in a forward under no_grad"] = "error"
optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
optimizer.param_groups[0]["lr"] = 4.0  # set by hand: the schedule carries it on
optimizer.step()
scheduler.step()
rows["StepLR after a rate set by hand"] = optimizer.param_groups[0]["lr"]
rows["float32 sum of [1e8, 1, -1e8]"] = torch.tensor([1e8, 1.0, -1e8]).sum().item()
for row, value in rows.items():
    print(f"{row}: {value}")

"""The values libtorch gives for the lines of libtorch_surface_test.cpp, printed by PyTorch
(Debian's python3-torch; the C++ frontend computes the same). Run it to check the numbers that
the test's expectations hold:   /usr/bin/python3 tests/nn/libtorch_surface_torch.py
Random lines are checked by their distribution instead (same seed, different generators)."""
import torch

torch.set_printoptions(precision=8)
logits = torch.tensor([[0.1, 2.0, 0.3], [1.5, 0.2, 0.1], [0.0, 0.1, 3.0], [0.5, 0.4, 0.3]])
a24 = torch.arange(24.0).reshape(2, 3, 4)
a6 = torch.arange(6.0).reshape(2, 3)
lines = {
    "arange(0, 10, 2)": torch.arange(0, 10, 2),
    "x.view({-1, 4}), x = arange(24).reshape({2, 3, 4})": a24.view(-1, 4),
    "x.reshape({2, -1})": a24.reshape(2, -1),
    "x.unsqueeze(0).squeeze(), x = arange(6).reshape({3, 1, 2})": torch.arange(6.0).reshape(3, 1, 2).unsqueeze(0).squeeze(),
    "x.permute({1, 0}), x = arange(6).reshape({2, 3})": a6.permute(1, 0),
    "x.transpose(0, 1).contiguous()": a6.transpose(0, 1).contiguous(),
    "x.t().mm(x)": a6.t().mm(a6),
    "a.matmul(b), a = arange(6).reshape({2, 3}), b = arange(12).reshape({3, 4})": a6.matmul(torch.arange(12.0).reshape(3, 4)),
    "logits.softmax(1)": logits.softmax(1),
    "log_softmax(logits, 1)": torch.log_softmax(logits, 1),
    "x.mean(1, true), x = arange(6).reshape({2, 3})": a6.mean(1, keepdim=True),
    "logits.argmax(1)": logits.argmax(1),
    "cat({a, b}, 0), a = arange(6).reshape({2, 3}), b = full({1, 3}, 9)": torch.cat([a6, torch.full((1, 3), 9.0)], 0),
    "stack({a, b}), a = arange(6).reshape({2, 3}), b = -a": torch.stack([a6, -a6]),
    "x.expand({3, 4}), x = arange(4).reshape({1, 4})": torch.arange(4.0).reshape(1, 4).expand(3, 4),
    "x.to(kFloat64).detach().clone(), x = tensor({0.1, 2.5})": torch.tensor([0.1, 2.5]).to(torch.float64).detach().clone(),
}
for line, value in lines.items():
    print(f"{line}:\n  {value.dtype} {list(value.shape)} {value.flatten().tolist()}")

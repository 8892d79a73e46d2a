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


# The training lines, on a layer whose parameters are set (libtorch's initial values are random):
# Linear(4, 2) with weight = arange(8).reshape({2, 4}) / 10 - 0.3, bias = {0.5, -0.5},
# input x = arange(12).reshape({3, 4}) / 4, and the loss (fc(x) * fc(x)).sum().
def linear_4_2():
    fc = torch.nn.Linear(4, 2)
    with torch.no_grad():
        fc.weight.copy_(torch.arange(8.0).reshape(2, 4) / 10 - 0.3)
        fc.bias.copy_(torch.tensor([0.5, -0.5]))
    return fc


x_train = torch.arange(12.0).reshape(3, 4) / 4


def after_steps(make_optimizer, steps):
    fc = linear_4_2()
    optimizer = make_optimizer(fc.parameters())
    for _ in range(steps):
        optimizer.zero_grad()
        y = fc(x_train)
        (y * y).sum().backward()
        optimizer.step()
    return torch.cat([fc.weight.detach().flatten(), fc.bias.detach()])


def cross_entropy_step():
    fc = torch.nn.Linear(3, 3)
    with torch.no_grad():
        fc.weight.copy_(torch.arange(9.0).reshape(3, 3) / 9 - 0.4)
        fc.bias.copy_(torch.tensor([0.1, 0.0, -0.1]))
    optimizer = torch.optim.SGD(fc.parameters(), lr=0.1)
    labels = torch.tensor([1, 0, 2, 1])
    before = torch.nn.functional.cross_entropy(fc(logits), labels)
    optimizer.zero_grad()
    before.backward()
    optimizer.step()
    after = torch.nn.functional.cross_entropy(fc(logits), labels)
    return torch.cat([before.detach().reshape(1), after.detach().reshape(1), fc.weight.detach().flatten(), fc.bias.detach()])


lines["fc->forward(x), fc = Linear(4, 2) set as above"] = linear_4_2()(x_train).detach()
lines["SGD(fc->parameters(), 0.1): one step of (y * y).sum(); weight then bias"] = after_steps(
    lambda p: torch.optim.SGD(p, lr=0.1), 1)
lines["SGD(..., SGDOptions(0.1).momentum(0.9)): three steps"] = after_steps(
    lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), 3)
lines["Adam(fc->parameters(), 1e-3): three steps"] = after_steps(lambda p: torch.optim.Adam(p, lr=1e-3), 3)
lines["cross_entropy training step, Linear(3, 3) set as in the test: loss before, after, weight, bias"] = \
    cross_entropy_step()

for line, value in lines.items():
    print(f"{line}:\n  {value.dtype} {list(value.shape)} {value.flatten().tolist()}")

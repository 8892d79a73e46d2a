"""The sizes, strides, storage offset and is_contiguous() libtorch gives for the views that
tests/autograd/views_test.cpp takes of x = arange(24).reshape({2, 3, 4}) (PyTorch's Python API
gives the same layout as the C++ frontend). Run it to check the table in that test:
    /usr/bin/python3 tests/autograd/views_torch.py"""
import torch

x = torch.arange(24.0).reshape(2, 3, 4)
views = {
    "x.transpose(0, 2)": x.transpose(0, 2),
    "x.permute({2, 0, 1})": x.permute(2, 0, 1),
    "x[1]": x[1],
    "x.select(1, 2)": x.select(1, 2),
    "x.select(2, -1)": x.select(2, -1),
    "x.narrow(2, 1, 2)": x.narrow(2, 1, 2),
    "x.slice(1, 0, 3, 2)": x[:, 0:3:2],
    "x.slice(2, 1, 4, 2)": x[:, :, 1:4:2],
    "x.index({Slice(), 1})": x[:, 1],
    "x.unsqueeze(1)": x.unsqueeze(1),
    "x.unsqueeze(3)": x.unsqueeze(3),
    "x.select(1, 0).unsqueeze(1)": x.select(1, 0).unsqueeze(1),
    "x.narrow(0, 1, 1).squeeze(0)": x.narrow(0, 1, 1).squeeze(0),
    "x[0].t()": x[0].t(),
    "x[1].view({12})": x[1].view(12),
    "x.reshape({6, 4})": x.reshape(6, 4),
    "x.flatten(1)": x.flatten(1),
    "x.diagonal()": x.diagonal(),
    "x.diagonal(1, 1, 2)": x.diagonal(1, 1, 2),
    "x[0].diagonal(-1)": x[0].diagonal(-1),
    "x.unfold(2, 2, 2)": x.unfold(2, 2, 2),
    "x.transpose(1, 2).reshape({2, 2, 2, 3})": x.transpose(1, 2).reshape(2, 2, 2, 3),
    "x[0].t().view({2, 2, 3})": x[0].t().view(2, 2, 3),
}
# Views whose elements overlap in memory (one storage element seen at several indices).
overlapping = {
    "x[0].expand({2, 3, 4})": x[0].expand(2, 3, 4),
    "x.select(2, 0).unsqueeze(2).expand({-1, -1, 5})": x.select(2, 0).unsqueeze(2).expand(-1, -1, 5),
    "x[1][2].broadcast_to({3, 4})": torch.broadcast_to(x[1][2], (3, 4)),
    "x.unfold(1, 2, 1)": x.unfold(1, 2, 1),
}
def braces(values):
    return "{" + ", ".join(str(v) for v in values) + "}"


for name, v in list(views.items()) + [(None, None)] + list(overlapping.items()):
    if name is None:
        print("overlapping:")
        continue
    print(f'{{"{name}", {{{braces(v.shape)}, {braces(v.stride())}, {v.storage_offset()}, '
          f'{str(v.is_contiguous()).lower()}}}}},')

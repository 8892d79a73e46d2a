"""What the PyTorch comparison scripts share: reading the IDX files. Imported by
compare_pytorch.py and mnist_torch.py (not a nabla dependency)."""
import gzip

import numpy as np

DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    """An IDX file (gzip-compressed) as a NumPy array of its declared shape."""
    with gzip.open(path) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(split, directory=DATA):
    """Images as float32 [N, 784] in [0, 1] and labels as int64 [N], like nabla's DataLoader."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(f"{directory}/{prefix}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
    labels = read_idx(f"{directory}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels


#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): a few small
valid files and a few damaged ones, so that the fuzzer starts deep inside each format.
Run from the repository root; the output is committed, so this only needs rerunning
when the formats change. Uses only the standard library (gzip and zlib for the CRC-32,
which is the same polynomial nabla uses)."""
import gzip
import os
import struct
import zlib

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def gz(data, level=9, mtime=0):
    return gzip.compress(data, compresslevel=level, mtime=mtime)


# --- gunzip ------------------------------------------------------------------------------
text = b"gradient descent of the loss over a batch of tensors, epoch by epoch\n" * 6
write("gunzip", "dynamic.gz", gz(text))
write("gunzip", "fixed.gz", gz(b"nabla"))
write("gunzip", "stored.gz", gz(bytes(range(256)), level=0))
write("gunzip", "empty.gz", gz(b""))
write("gunzip", "two-members.gz", gz(b"first member ") + gz(b"second member"))
# Every optional header field: FEXTRA, FNAME, FCOMMENT, FHCRC (RFC 1952 section 2.3.1).
body = zlib.compressobj(9, zlib.DEFLATED, -15)
deflated = body.compress(b"header fields") + body.flush()
header = b"\x1f\x8b\x08\x1e" + b"\x00" * 4 + b"\x00\xff" + struct.pack("<H", 4) + b"xtra" + b"name\x00" + b"comment\x00"
header += struct.pack("<H", zlib.crc32(header) & 0xFFFF)
write("gunzip", "header-fields.gz", header + deflated + struct.pack("<II", zlib.crc32(b"header fields"), 13))
bad_crc = bytearray(gz(text))
bad_crc[-8] ^= 0xFF
write("gunzip", "bad-crc.gz", bytes(bad_crc))
write("gunzip", "truncated.gz", gz(text)[:40])
write("gunzip", "zeros.gz", gz(bytes(20000)))  # a small bomb: long back references


# --- idx ---------------------------------------------------------------------------------
def idx(dims, data, element_type=0x08):
    return bytes([0, 0, element_type, len(dims)]) + b"".join(struct.pack(">I", d) for d in dims) + bytes(data)


labels = idx([10], [i % 10 for i in range(10)])
images = idx([3, 4, 4], [(i * 37) % 256 for i in range(48)])
write("idx", "labels-idx1-ubyte", labels)
write("idx", "images-idx3-ubyte", images)
write("idx", "labels-idx1-ubyte.gz", gz(labels))
write("idx", "images-idx3-ubyte.gz", gz(images))
four_dims = bytearray(images)
four_dims[3] = 4
write("idx", "four-dims-header", bytes(four_dims))
write("idx", "truncated-idx3-ubyte", images[:-5])
write("idx", "trailing-idx1-ubyte", labels + b"\x00\x01")
write("idx", "float32-idx1-ubyte", idx([2], b"\x00" * 8, element_type=0x0D))
write("idx", "bomb-idx1-ubyte.gz", gz(idx([3], []) + bytes(30000)))


# --- load (nn/serialize.h documents the layout) ------------------------------------------
def model_file(parameters):
    out = b"NABLA\x00\r\n" + struct.pack("<II", 1, len(parameters))
    for name, code, shape in parameters:
        count = 1
        for size in shape:
            count *= size
        out += struct.pack("<I", len(name)) + name.encode() + bytes([code, len(shape)])
        out += b"".join(struct.pack("<q", s) for s in shape)
        if code == 0:
            out += b"".join(struct.pack("<f", 0.25 * i - 1) for i in range(count))
        else:
            out += b"".join(struct.pack("<d", 0.5 * i - 2) for i in range(count))
    return out + struct.pack("<I", zlib.crc32(out))


# What the fuzz target's two models hold: nn::mlp({4, 3, 2}) and its class Mixed.
mlp = model_file([("0.weight", 0, [3, 4]), ("0.bias", 0, [3]), ("2.weight", 0, [2, 3]), ("2.bias", 0, [2])])
mixed = model_file([("w", 0, [2, 3]), ("b", 1, [2]), ("scale", 0, [])])
write("load", "mlp.nbl", mlp)
write("load", "mixed.nbl", mixed)
write("load", "empty-model.nbl", model_file([]))
write("load", "wrong-shape.nbl", model_file([("0.weight", 0, [4, 3]), ("0.bias", 0, [3])]))
damaged = bytearray(mlp)
damaged[30] ^= 0x40
write("load", "bad-checksum.nbl", bytes(damaged))
write("load", "truncated.nbl", mlp[:60])
write("load", "trailing.nbl", mixed + b"\x00")

"""The IDX file format of MNIST and Fashion-MNIST, read with numpy alone.

An IDX file is a tiny header followed by raw bytes:

    bytes 0-3   magic number: 0x00, 0x00, the element type (0x08 = unsigned byte),
                the number of dimensions (3 for images, 1 for labels)
                → 0x00000803 for an image file, 0x00000801 for a label file
    then        one big-endian 32-bit size per dimension: 60000, 28, 28 for the images
    then        the elements in row-major order, one byte each (pixels 0..255, labels 0..9)

So the whole file must be exactly 4 + 4·dims + (product of the sizes) bytes long, which tells
a complete file from a cut-short download. The files are usually gzip-compressed (`.gz`);
a gzip stream starts with the bytes 1f 8b, so compressed and plain files are told apart by
their content, not their name. Reading is `np.frombuffer` over the bytes: no pickle, no code
runs from the file.
"""

from __future__ import annotations

import gzip
import zlib
from math import prod
from pathlib import Path

import numpy as np

from visualizer.errors import UsageError

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
KINDS = {IMAGES_MAGIC: "an image file", LABELS_MAGIC: "a label file"}
GZIP_START = b"\x1f\x8b"


def damaged(name: str, why: str) -> UsageError:
    return UsageError(f"{name} is damaged ({why}); delete it and copy it again, or fetch it with --download")


def read_idx(path: str | Path, magic: int, *, shown_as: str | None = None) -> np.ndarray:
    """The uint8 array stored in the IDX file at `path` (gzip-compressed or not), whose magic
    number must be `magic`. Errors name the file as `shown_as` (default: the path)."""
    path = Path(path)
    name = shown_as or str(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read {name}: {err.strerror or err}") from None
    if raw[:2] == GZIP_START:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):
            raise damaged(name, "its gzip data is cut short or corrupt") from None
    return parse_idx(raw, magic, name)


def parse_idx(raw: bytes, magic: int, name: str = "IDX data") -> np.ndarray:
    """Check the header of the uncompressed bytes `raw`, then view the elements as an array."""
    if len(raw) < 4:
        raise damaged(name, f"only {len(raw)} bytes, too short for an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        raise damaged(
            name, f"magic number 0x{found:08x}, but {KINDS.get(magic, 'this file')} starts with 0x{magic:08x}"
        )
    ndim = magic & 0xFF
    start = 4 + 4 * ndim
    if len(raw) < start:
        raise damaged(name, f"only {len(raw)} bytes, too short for its {ndim} sizes")
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = start + prod(shape)
    if len(raw) != expected:
        what = "truncated" if len(raw) < expected else "too long"
        raise damaged(
            name, f"{what}: sizes {' × '.join(map(str, shape))} need {expected} bytes, the file holds {len(raw)}"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=start).reshape(shape)

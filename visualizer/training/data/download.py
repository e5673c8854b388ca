"""Fetching the MNIST and Fashion-MNIST files, only when asked (`--download`).

Each file is fetched from a base address plus its file name: the canonical addresses below
(MNIST from the mirror torchvision uses, since the original site refuses scripts), or a mirror
of your own given in the environment variable BACKPROP_DATA_MIRROR (e.g.
`http://127.0.0.1:8000/`, a folder with the four `.gz` files). The bytes go to a temporary
name in the target folder and are checked as IDX (visualizer/data/idx.py) before the rename,
so an interrupted or wrong download never leaves a file that looks complete.
"""

from __future__ import annotations

import os
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

from visualizer.errors import UsageError
from visualizer.files import atomic_target

from .idx import read_idx

MIRRORS = {
    "mnist": "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "fashion-mnist": "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
}
MIRROR_ENV = "BACKPROP_DATA_MIRROR"
TIMEOUT = 60  # seconds without an answer before giving up


def base_url(dataset: str) -> str:
    """Where the files of `dataset` come from: $BACKPROP_DATA_MIRROR if set, else MIRRORS."""
    url = os.environ.get(MIRROR_ENV) or MIRRORS[dataset]
    return url if url.endswith("/") else url + "/"


def fetch(url: str, path: Path, magic: int) -> Path:
    """Download `url` to `path` atomically, after checking the bytes are IDX with `magic`."""
    hint = f"copy the files by hand into {path.parent}"
    print(f"downloading {url}", file=sys.stderr)
    try:
        with atomic_target(path) as tmp:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as answer, open(tmp, "wb") as out:
                shutil.copyfileobj(answer, out)
            try:
                read_idx(tmp, magic)
            except UsageError:
                raise UsageError(
                    f"cannot download {url}: the answer is not the expected IDX file; "
                    f"check {MIRROR_ENV} or the address, or {hint}"
                ) from None
    except urllib.error.HTTPError as err:
        raise UsageError(
            f"cannot download {url}: HTTP {err.code} {err.reason}; check {MIRROR_ENV} or the address, or {hint}"
        ) from None
    except urllib.error.URLError as err:
        raise UsageError(f"cannot download {url}: {err.reason}; check the network, or {hint}") from None
    except (OSError, ValueError) as err:  # timeouts, a reset connection, a malformed address
        if isinstance(err, UsageError):
            raise
        raise UsageError(f"cannot download {url}: {err}; {hint}") from None
    return path

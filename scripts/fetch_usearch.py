"""Fetches usearch's C++ headers from its source package on PyPI, by name and
pinned hash, into a directory of the build tree (called by CMake at configure
time; nothing third-party is kept in the repository).

    python3 scripts/fetch_usearch.py DEST_DIR

Leaves DEST_DIR/include/usearch/*.hpp and DEST_DIR/LICENSE. Uses the package
index pip uses (PIP_INDEX_URL, default https://pypi.org/simple), the simple
API's JSON form (PEP 691). Idempotent: an existing complete DEST_DIR is kept.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

NAME, VERSION = "usearch", "2.26.6"
SDIST = f"{NAME}-{VERSION}.tar.gz"
SHA256 = "eefb8dc019ad5a184f6089b22f20b91b3961720e504e97ba2718ad62ed65674b"
HEADERS = ("index.hpp", "index_dense.hpp", "index_plugins.hpp")


def sdist_url() -> str:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    request = urllib.request.Request(f"{index}/{NAME}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        files = json.load(response)["files"]
    for f in files:
        if f["filename"] == SDIST:
            return f["url"]
    raise SystemExit(f"fetch_usearch: {SDIST} is not on {index}")


def main() -> None:
    dest = Path(sys.argv[1])
    if all((dest / "include" / "usearch" / h).exists() for h in HEADERS):
        return
    with urllib.request.urlopen(sdist_url(), timeout=300) as response:
        data = response.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"fetch_usearch: {SDIST} has sha256 {digest}, expected {SHA256}")
    (dest / "include" / "usearch").mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        root = f"{NAME}-{VERSION}"
        for header in HEADERS:
            member = tar.extractfile(f"{root}/include/usearch/{header}")
            (dest / "include" / "usearch" / header).write_bytes(member.read())
        (dest / "LICENSE").write_bytes(tar.extractfile(f"{root}/LICENSE").read())
    print(f"fetch_usearch: {SDIST} headers in {dest}")


if __name__ == "__main__":
    main()

"""Fetches usearch's C++ headers from its source package on PyPI, by name and
pinned hash, into a directory of the build tree (called by CMake at configure
time; nothing third-party is kept in the repository).

    python3 scripts/fetch_usearch.py DEST_DIR

Leaves DEST_DIR/include/usearch/*.hpp and DEST_DIR/LICENSE. Uses the package
indexes pip is configured with, so a corporate mirror works: PIP_INDEX_URL /
PIP_EXTRA_INDEX_URL, else index-url / extra-index-url from pip's configuration
files (`pip config list`: pip.conf, PIP_CONFIG_FILE), else https://pypi.org/simple;
PIP_CERT or pip's `cert` setting names the CA bundle. (A `--index-url` given to
`pip install` on its command line is not passed on to build backends by pip: set
PIP_INDEX_URL instead.) The simple API's JSON form (PEP 691) is asked first, the
HTML form (PEP 503) otherwise. Idempotent: an existing complete DEST_DIR is kept.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import ssl
import subprocess
import sys
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path

NAME, VERSION = "usearch", "2.26.6"
SDIST = f"{NAME}-{VERSION}.tar.gz"
SHA256 = "eefb8dc019ad5a184f6089b22f20b91b3961720e504e97ba2718ad62ed65674b"
HEADERS = ("index.hpp", "index_dense.hpp", "index_plugins.hpp")


def pip_settings() -> dict[str, str]:
    """pip's configuration as `pip config list` prints it: {"global.index-url": ...}."""
    done = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                          capture_output=True, text=True)
    settings = {}
    for line in done.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            settings[key.strip()] = value.strip().strip("'\"")
    return settings


def setting(settings: dict[str, str], env: str, name: str) -> str | None:
    if os.environ.get(env):
        return os.environ[env]
    for section in ("download", "install", "global"):
        if f"{section}.{name}" in settings:
            return settings[f"{section}.{name}"]
    return None


def indexes_and_cert() -> tuple[list[str], ssl.SSLContext]:
    settings = pip_settings()
    index = setting(settings, "PIP_INDEX_URL", "index-url") or "https://pypi.org/simple"
    extra = (setting(settings, "PIP_EXTRA_INDEX_URL", "extra-index-url") or "").split()
    cert = setting(settings, "PIP_CERT", "cert")
    return [index, *extra], ssl.create_default_context(cafile=cert)


def sdist_url(index: str, context: ssl.SSLContext) -> str | None:
    index = index.rstrip("/")
    request = urllib.request.Request(
        f"{index}/{NAME}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json, text/html;q=0.1"})
    with urllib.request.urlopen(request, timeout=120, context=context) as response:
        body = response.read()
        kind = response.headers.get("Content-Type", "")
        base = response.geturl()
    if "json" in kind:
        links = [f["url"] for f in json.loads(body)["files"] if f["filename"] == SDIST]
    else:  # PEP 503 HTML: <a href="...usearch-2.26.6.tar.gz#sha256=...">
        links = [h for h in re.findall(r'href="([^"]+)"', body.decode("utf-8", "replace"))
                 if h.split("#")[0].endswith("/" + SDIST) or h.split("#")[0] == SDIST]
    return urllib.parse.urljoin(base, links[0].split("#")[0]) if links else None


def main() -> None:
    dest = Path(sys.argv[1])
    if all((dest / "include" / "usearch" / h).exists() for h in HEADERS):
        return
    indexes, context = indexes_and_cert()
    url = None
    for index in indexes:
        try:
            url = sdist_url(index, context)
        except (OSError, ValueError) as exc:  # URLError is an OSError
            raise SystemExit(f"fetch_usearch: cannot read the package index {index}: {exc}") from None
        if url:
            break
    if url is None:
        raise SystemExit(f"fetch_usearch: {SDIST} is on none of the indexes {indexes}")
    try:
        with urllib.request.urlopen(url, timeout=300, context=context) as response:
            data = response.read()
    except OSError as exc:
        raise SystemExit(f"fetch_usearch: cannot download {url}: {exc}") from None
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

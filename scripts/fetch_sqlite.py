"""Fetches the SQLite amalgamation (sqlite3.c, sqlite3.h) from the crates.io crate
`libsqlite3-sys`, by name and pinned sha256, into a directory of the build tree
(called by CMake at configure time; nothing third-party is kept in the repository).

    python3 scripts/fetch_sqlite.py DEST_DIR

The crate carries SQLite's own amalgamation, unmodified, in `sqlite3/`; only those
two files (public domain) are taken. The downloaded crate is kept in DEST_DIR, so a
reconfigure does not download it again.

Uses the registry cargo is configured with, so a mirror works: a source replacement
of crates-io in $CARGO_HOME/config.toml (default ~/.cargo; `[source.crates-io]
replace-with = "m"`, `[source.m] registry = "sparse+https://..."`), else
https://index.crates.io/. STRATAMEM_CRATES_INDEX overrides both. Only sparse
indexes are read (a git index would need git and a clone). CARGO_HTTP_CAINFO or
cargo's `http.cainfo` names the CA bundle.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import ssl
import sys
import tarfile
import tomllib
import urllib.request
from pathlib import Path

CRATE, VERSION = "libsqlite3-sys", "0.40.0"  # bundles SQLite 3.54.1
SHA256 = "b06e69070b7e12262b0cd90832f0a7396f142a2b330181255562decf9f0c6215"
SQLITE_VERSION = "3.54.1"
FILES = ("sqlite3.c", "sqlite3.h")
DEFAULT_INDEX = "https://index.crates.io/"


def fail(message: str) -> None:
    raise SystemExit(f"fetch_sqlite: {message}")


def cargo_config() -> dict:
    home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")
    for name in ("config.toml", "config"):
        path = home / name
        if path.is_file():
            try:
                return tomllib.loads(path.read_text())
            except (OSError, tomllib.TOMLDecodeError) as exc:
                fail(f"cannot read cargo's configuration {path}: {exc}")
    return {}


def index_and_cert() -> tuple[str, ssl.SSLContext]:
    config = cargo_config()
    cert = os.environ.get("CARGO_HTTP_CAINFO") or config.get("http", {}).get("cainfo")
    context = ssl.create_default_context(cafile=cert)
    if os.environ.get("STRATAMEM_CRATES_INDEX"):
        return os.environ["STRATAMEM_CRATES_INDEX"], context
    sources, name, seen = config.get("source", {}), "crates-io", set()
    while name in sources and "replace-with" in sources[name] and name not in seen:
        seen.add(name)
        name = sources[name]["replace-with"]
    if name == "crates-io":
        return DEFAULT_INDEX, context
    index = sources.get(name, {}).get("registry")
    if not index:
        fail(f"cargo's source {name!r} (replacing crates-io) has no `registry` index")
    return index, context


def read(url: str, context: ssl.SSLContext, what: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "stratamem-build (fetch_sqlite.py)"})
    try:
        with urllib.request.urlopen(request, timeout=300, context=context) as response:
            return response.read()
    except OSError as exc:  # URLError is an OSError
        fail(f"cannot download {what} from {url}: {exc}")


def download_url(index: str, context: ssl.SSLContext) -> str:
    if not index.startswith("sparse+") and index != DEFAULT_INDEX:
        fail(f"the crates index {index} is not a sparse index (sparse+https://...); "
             "set STRATAMEM_CRATES_INDEX or pass -DSTRATAMEM_SQLITE_DIR=<dir with sqlite3.c>")
    base = index.removeprefix("sparse+").rstrip("/")
    dl = json.loads(read(f"{base}/config.json", context, "the index configuration"))["dl"]
    markers = {"{crate}": CRATE, "{version}": VERSION, "{sha256-checksum}": SHA256,
               "{prefix}": f"{CRATE[:2]}/{CRATE[2:4]}", "{lowerprefix}": f"{CRATE[:2]}/{CRATE[2:4]}"}
    if not any(m in dl for m in markers):
        return f"{dl.rstrip('/')}/{CRATE}/{VERSION}/download"
    for marker, value in markers.items():
        dl = dl.replace(marker, value)
    return dl


def main() -> None:
    dest = Path(sys.argv[1])
    if all((dest / f).exists() for f in FILES):
        return
    dest.mkdir(parents=True, exist_ok=True)
    cached = dest / f"{CRATE}-{VERSION}.crate"
    data = cached.read_bytes() if cached.exists() else b""
    if hashlib.sha256(data).hexdigest() != SHA256:
        index, context = index_and_cert()
        data = read(download_url(index, context), context, f"{CRATE} {VERSION}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != SHA256:
            fail(f"{CRATE} {VERSION} has sha256 {digest}, expected {SHA256}")
        cached.write_bytes(data)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in FILES:
            member = tar.extractfile(f"{CRATE}-{VERSION}/sqlite3/{name}")
            (dest / f"{name}.part").write_bytes(member.read())
            (dest / f"{name}.part").replace(dest / name)
    header = (dest / "sqlite3.h").read_text(errors="replace")
    if f'#define SQLITE_VERSION        "{SQLITE_VERSION}"' not in header:
        fail(f"{CRATE} {VERSION} does not carry SQLite {SQLITE_VERSION}")
    print(f"fetch_sqlite: SQLite {SQLITE_VERSION} amalgamation ({CRATE} {VERSION}) in {dest}")


if __name__ == "__main__":
    main()

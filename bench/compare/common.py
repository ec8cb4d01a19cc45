"""Shared by the adapters (each runs inside its own system's venv): arguments,
the embed server's stats, and writing a result file."""
from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.locomo import data, harness  # noqa: E402


def parse_args(doc: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--base-url", required=True, help="OpenAI-compatible embeddings URL (…/v1)")
    ap.add_argument("--data")
    ap.add_argument("--convs", help="comma-separated sample ids (default: all)")
    ap.add_argument("--out", required=True)
    return ap.parse_args()


def conversations(args: argparse.Namespace) -> list[data.Conversation]:
    convs = data.load(args.data)
    if args.convs:
        wanted = args.convs.split(",")
        convs = [c for c in convs if c.sample_id in wanted]
    return convs


def embed_stats(base_url: str) -> dict:
    with urllib.request.urlopen(base_url.rstrip("/") + "/stats", timeout=10) as r:
        return json.loads(r.read())


def write(args: argparse.Namespace, results: dict, info: dict) -> None:
    for r in results.values():
        r.pop("per_question", None)
        r["info"] = info
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({k: v["metrics"]["1-4"] for k, v in results.items()}, indent=1))


__all__ = ["data", "harness", "parse_args", "conversations", "embed_stats", "write"]

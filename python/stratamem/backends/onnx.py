"""``EmbedderBackend.ONNX``: a BERT-family sentence-embedding model in ONNX,
run by onnxruntime, tokenised by ``tokenizers`` from its ``tokenizer.json``.

The model directory holds ``model.onnx`` (or ``onnx/model.onnx``, or a single
``*.onnx``) and ``tokenizer.json``; pooling, prefixes and the maximum length
come from the engine's reader of model settings (``stratamem_model.json``, the
sentence-transformers files, or the registry for a known model name:
docs/embeddings.md). A graph whose first output is 3-D (``last_hidden_state``)
is pooled here; a 2-D output is taken as already pooled.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from .. import _core
from ..errors import ConfigError, EmbedderError

__all__ = ["OnnxBackend"]


def _import_runtime() -> tuple[Any, Any, Any]:
    try:
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ConfigError(
            f"EmbedderBackend.ONNX needs onnxruntime, tokenizers and numpy ({exc.name} is "
            "missing): pip install 'stratamem[onnx]'") from None
    return np, ort, Tokenizer


def find_onnx_file(model_dir: str) -> Path:
    """The ONNX graph of ``model_dir``: model.onnx, onnx/model.onnx, or its only *.onnx."""
    root = Path(model_dir)
    for candidate in (root / "model.onnx", root / "onnx" / "model.onnx"):
        if candidate.is_file():
            return candidate
    found = sorted(root.glob("*.onnx"))
    if len(found) == 1:
        return found[0]
    what = "no" if not found else f"{len(found)} (name one model.onnx)"
    raise EmbedderError(f"{model_dir}: {what} ONNX files; expected model.onnx")


class OnnxBackend:
    """An ONNX model directory run by onnxruntime on the CPU.

    ``threads``: onnxruntime's intra-op threads (1 = one core, like the native
    encoder's default). ``max_tokens``: truncation (default: the model's own,
    else 512 capped by the model)."""

    def __init__(self, model_dir: str | os.PathLike[str], *, threads: int = 1,
                 max_tokens: int | None = None, model_id: str | None = None) -> None:
        np, ort, Tokenizer = _import_runtime()
        self._np = np
        self.model_dir = os.fspath(model_dir)
        self.settings = _core.model_settings(self.model_dir)
        tokenizer_path = Path(self.model_dir) / "tokenizer.json"
        if not tokenizer_path.is_file():
            raise EmbedderError(f"{self.model_dir}: no tokenizer.json")
        limit = max_tokens or self.settings["max_tokens"] or 512
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(limit)
        self._tokenizer.enable_padding()  # to the longest text of each batch
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        path = find_onnx_file(self.model_dir)
        try:
            self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EmbedderError(f"onnxruntime cannot load {path}: {exc}") from None
        self._inputs = {i.name for i in self._session.get_inputs()}
        if "input_ids" not in self._inputs:
            raise EmbedderError(f"{path}: the graph has no input_ids input (not a BERT-family encoder)")
        self.pooling = self.settings["pooling"]
        self.model_id = model_id or self.settings["name"].rsplit("/", 1)[-1]
        self.dimension = int(self._run(["dimension probe"]).shape[1])

    def _run(self, texts: Sequence[str]) -> Any:
        np = self._np
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids}
        if "attention_mask" in self._inputs:
            feeds["attention_mask"] = mask
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out = self._session.run(None, feeds)[0]
        if out.ndim == 2:
            return out.astype(np.float32)
        if self.pooling == "cls":
            return np.ascontiguousarray(out[:, 0, :], dtype=np.float32)
        weights = mask[:, :, None].astype(np.float32)
        summed = (out * weights).sum(axis=1)
        return (summed / np.maximum(weights.sum(axis=1), 1e-9)).astype(np.float32)

    def embed_batch(self, texts: Sequence[str], kind: Any = None) -> Any:
        """Pooled vectors, one row per text (the engine normalises them)."""
        return self._run(texts)

"""``EmbedderBackend.LOCAL``: a sentence-transformers model directory, loaded
by path (never by hub name: nothing is downloaded), on the CPU.

sentence-transformers runs the directory's own modules (pooling, dense,
normalisation). Prefixes are the engine's: the model's prompts are read by the
engine's settings reader and applied once there, so ``encode`` is called with
an empty prompt (sentence-transformers would otherwise add its
``default_prompt_name`` a second time).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from ..errors import ConfigError, EmbedderError

__all__ = ["LocalBackend"]


class LocalBackend:
    """A sentence-transformers model directory. ``threads``: torch's intra-op
    threads (1 = one core)."""

    def __init__(self, model_dir: str | os.PathLike[str], *, threads: int = 1,
                 model_id: str | None = None) -> None:
        self.model_dir = os.fspath(model_dir)
        if not Path(self.model_dir).is_dir():
            raise EmbedderError(f"LOCAL backend: {self.model_dir} is not a directory")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a path never needs the hub
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ConfigError(
                f"EmbedderBackend.LOCAL needs sentence-transformers ({exc.name} is missing): "
                "pip install 'stratamem[local]'") from None
        torch.set_num_threads(threads)
        try:
            self._model = SentenceTransformer(self.model_dir, device="cpu", local_files_only=True)
        except Exception as exc:  # sentence-transformers raises many kinds
            raise EmbedderError(f"sentence-transformers cannot load {self.model_dir}: {exc}") from None
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dimension = int(get_dim())
        self.model_id = model_id or Path(self.model_dir).name.split("__")[-1]

    def embed_batch(self, texts: Sequence[str], kind: Any = None) -> Any:
        """Vectors, one row per text (float32)."""
        return self._model.encode(list(texts), prompt="", batch_size=len(texts) or 1,
                                  convert_to_numpy=True, normalize_embeddings=False,
                                  show_progress_bar=False).astype("float32")

"""MemoryConfig and its enums: what a :class:`stratamem.Memory` opens and how.

Validation happens when a config is built (``MemoryConfig(...)`` or
``dataclasses.replace``) and raises :class:`ConfigError` naming the field.
"""

from __future__ import annotations

import dataclasses
import enum
import os
from dataclasses import dataclass
from typing import Any, Mapping, Union

from .errors import ConfigError

__all__ = ["MemoryConfig", "EmbedderBackend", "VectorBackend", "Durability", "Ranking"]


class EmbedderBackend(str, enum.Enum):
    """Which embedder turns text into vectors."""

    #: The engine's own BERT encoder (default, offline): all-MiniLM-L6-v2 bundled;
    #: bge-small-en-v1.5, e5-small-v2 or any BERT model directory by name or path.
    NATIVE = "native"
    #: A BERT-family ONNX model directory (``model.onnx`` + ``tokenizer.json``) run by
    #: onnxruntime (extra ``stratamem[onnx]``).
    ONNX = "onnx"
    #: A sentence-transformers model directory, by path (extra ``stratamem[local]``).
    LOCAL = "local"
    OPENAI = "openai"  #: HTTP ``{embedder_base_url}/embeddings``, OpenAI wire format
    OLLAMA = "ollama"  #: the same wire format at Ollama's ``/v1`` endpoint
    #: Deterministic word-hashing vectors, no model: a test double for your own tests
    #: (matches lexical overlap only, not meaning).
    HASH = "hash"

    @property
    def is_http(self) -> bool:
        return self in (EmbedderBackend.OPENAI, EmbedderBackend.OLLAMA)


class VectorBackend(str, enum.Enum):
    """How vectors are searched. ``AUTO`` plans each query: an exact scan of the
    memories visible from the search's context while they are few, the HNSW
    index (filtered by scope during the walk) when they are many. ``EXACT``
    never builds the index; ``HNSW`` always walks it (docs/architecture.md)."""

    AUTO = "auto"
    EXACT = "exact"
    HNSW = "hnsw"


class Durability(str, enum.Enum):
    """``FULL``: an acknowledged save survives power loss (fsync per commit).
    ``NORMAL``: it survives a crash of the process, not of the machine."""

    FULL = "full"
    NORMAL = "normal"


@dataclass(frozen=True, kw_only=True)
class Ranking:
    """How a search mixes relevance with other signals (docs/architecture.md,
    "Ranking"): ``score = (1 - recency - importance - access) * relevance +
    recency * 0.5 ** (days since last stated / half_life_days) + importance *
    memory.importance + access * min(1, log2(1 + times returned) / 5)``.
    ``Ranking(recency=0, importance=0, access=0)`` ranks by relevance alone."""

    recency: float = 0.1
    importance: float = 0.1
    access: float = 0.05
    half_life_days: float = 30.0

    def __post_init__(self) -> None:
        for name in ("recency", "importance", "access"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ConfigError(f"Ranking.{name} must be a number between 0 and 1, got {value!r}")
            object.__setattr__(self, name, float(value))
        if self.recency + self.importance + self.access >= 1:
            raise ConfigError("Ranking weights must add up to less than 1 (relevance keeps the rest)")
        h = self.half_life_days
        if isinstance(h, bool) or not isinstance(h, (int, float)) or not 0 < h < float("inf"):
            raise ConfigError(f"Ranking.half_life_days must be a positive number, got {h!r}")
        object.__setattr__(self, "half_life_days", float(h))


PathLike = Union[str, "os.PathLike[str]"]

_DEFAULT_BASE_URLS = {
    EmbedderBackend.OPENAI: "https://api.openai.com/v1",
    EmbedderBackend.OLLAMA: "http://127.0.0.1:11434/v1",
}


@dataclass(frozen=True, kw_only=True)
class MemoryConfig:
    """Settings of a :class:`stratamem.Memory`. Keyword-only; enum fields also
    take their string values (``vector_backend="exact"``)."""

    # --- the reference implementation's fields ---
    #: SQLite file of the store (created when missing); ``":memory:"`` for a private in-memory one.
    db_path: PathLike = "stratamem.db"
    #: See :class:`VectorBackend`.
    vector_backend: VectorBackend = VectorBackend.AUTO
    #: The store's vector length. It must equal the embedder's (384 for the bundled
    #: all-MiniLM-L6-v2); ``None`` takes the embedder's. A store created with one
    #: dimension refuses another (:class:`DimensionMismatchError`).
    vector_dimension: int | None = 384
    #: HNSW build breadth (a sidecar index built with another value is rebuilt).
    hnsw_ef_construction: int = 200
    #: HNSW links per node (a sidecar index built with another value is rebuilt).
    hnsw_m: int = 16
    #: HNSW search breadth (raised to the candidate depth a query needs).
    hnsw_ef_search: int = 64
    #: How the HNSW index stores vectors: ``"f32"``, or compact ``"f16"`` / ``"i8"``
    #: (smaller index, some recall cost; hits are re-scored in float32 either way).
    hnsw_scalar: str = "f32"
    #: The search-result cache (dropped exactly by writes the search could see, and
    #: after 60 s) and the query-embedding cache; hit rates in ``stats()["cache"]``.
    cache_enabled: bool = True
    #: Entries of each of those caches; 0 turns them off.
    cache_max_size: int = 1000
    #: See :class:`EmbedderBackend`.
    embedder_backend: EmbedderBackend = EmbedderBackend.NATIVE
    #: NATIVE: the model, found offline by name (``"BAAI/bge-small-en-v1.5"``,
    #: ``"intfloat/e5-small-v2"``, the bundled ``"all-MiniLM-L6-v2"``) or as a
    #: directory path; see :mod:`stratamem.models`. ONNX/LOCAL: a directory path
    #: (or use ``model_dir``). OPENAI/OLLAMA: the model name sent with each request.
    embedder_model: str = "all-MiniLM-L6-v2"

    # --- stratamem's own ---
    #: NATIVE/ONNX/LOCAL: a directory with the model's files; ``None`` finds
    #: ``embedder_model``: an installed model package (stratamem-model-minilm for the
    #: default), a path, the Hugging Face cache, the model store.
    model_dir: PathLike | None = None
    #: Text put before every search query / every saved memory before embedding;
    #: ``None`` takes the model's own (e5: ``"query: "`` / ``"passage: "``; bge: its
    #: retrieval instruction before queries), ``""`` embeds texts as they are.
    embedder_query_prefix: str | None = None
    embedder_passage_prefix: str | None = None
    #: OPENAI/OLLAMA: base URL ending in ``/v1``; ``None`` uses the provider's default.
    embedder_base_url: str | None = None
    #: OPENAI/OLLAMA: sent as ``Authorization: Bearer ...``; ``None`` reads ``OPENAI_API_KEY``
    #: for OPENAI and sends nothing for OLLAMA.
    embedder_api_key: str | None = dataclasses.field(default=None, repr=False)  # never printed
    #: Content longer than this many UTF-8 bytes is refused (:class:`InvalidInputError`).
    max_content_bytes: int = 32 * 1024
    #: ``"full"`` or ``"normal"``; see :class:`Durability`.
    durability: Durability = Durability.FULL
    #: NATIVE: ``"float32"``, or ``"int8"`` (8-bit matrix products: faster, a quarter of
    #: the weight memory, a slightly different model id; docs/embeddings.md).
    embedder_precision: str = "float32"
    #: NATIVE: must be >= 1; one embedding call runs on the calling thread (kept for
    #: compatibility: the encoder has its own single-threaded kernels). ONNX/LOCAL:
    #: the runtime's intra-op threads.
    embed_threads: int = 1
    #: Dedup on save: a fact whose normalised text equals, or whose cosine similarity
    #: is at least this with, a current memory at the same scope is merged into it.
    #: Above 1.0 only identical text merges.
    dedup_threshold: float = 0.95
    #: How searches (and ``with_memory`` recall) rank by default; see :class:`Ranking`.
    ranking: Ranking = dataclasses.field(default_factory=Ranking)
    #: The graph (docs/graph.md): find entities in memories saved without inline ones.
    graph_extract: bool = True
    #: Whether searches use graph expansion unless a search says otherwise
    #: (``search(..., include_graph=...)``). Off: on LoCoMo it did not raise
    #: recall yet and it costs 10x search latency at 10k memories
    #: (docs/benchmarks.md, "Graph").
    include_graph: bool = False
    #: How much graph expansion weighs against the fused vector + BM25 relevance
    #: (``relevance = (1 - w) * fused + w * graph``); 0 turns it off.
    graph_weight: float = 0.3

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            checked = _CHECKS[f.name](f.name, value)
            if checked is not value:
                object.__setattr__(self, f.name, checked)

    def replace(self, **overrides: Any) -> "MemoryConfig":
        """A copy with some fields changed; an unknown name is a :class:`ConfigError`."""
        return self.with_overrides(overrides)

    def with_overrides(self, overrides: Mapping[str, Any]) -> "MemoryConfig":
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(overrides) - names)
        if unknown:
            raise ConfigError(
                f"unknown MemoryConfig field(s): {', '.join(unknown)} "
                f"(known: {', '.join(sorted(names))})"
            )
        return dataclasses.replace(self, **overrides) if overrides else self

    def base_url(self) -> str:
        """The HTTP embedder's base URL after defaults ("" for NATIVE)."""
        if self.embedder_base_url is not None:
            return self.embedder_base_url
        return _DEFAULT_BASE_URLS.get(self.embedder_backend, "")

    def api_key(self) -> str:
        """The HTTP embedder's key after defaults ("" for none)."""
        if self.embedder_api_key is not None:
            return self.embedder_api_key
        if self.embedder_backend is EmbedderBackend.OPENAI:
            return os.environ.get("OPENAI_API_KEY", "")
        return ""


def _enum(cls: type[enum.Enum]):
    def check(name: str, value: Any):
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            key = value.strip().lower()
            for member in cls:
                if key in (member.value, member.name.lower()):
                    return member
        choices = ", ".join(repr(m.value) for m in cls)
        raise ConfigError(f"{name} must be a {cls.__name__} or one of {choices}, not {value!r}")

    return check


def _int(low: int, high: int | None = None, *, optional: bool = False):
    def check(name: str, value: Any):
        if value is None and optional:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name} must be an int, not {type(value).__name__}")
        if value < low or (high is not None and value > high):
            bound = f">= {low}" if high is None else f"in [{low}, {high}]"
            raise ConfigError(f"{name} must be {bound}, got {value}")
        return value

    return check


def _float(low: float, high: float):
    def check(name: str, value: Any):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name} must be a number, not {type(value).__name__}")
        if not (low <= value <= high):
            raise ConfigError(f"{name} must be between {low} and {high}, got {value!r}")
        return float(value)

    return check


def _one_of(*choices: str):
    def check(name: str, value: Any):
        if not isinstance(value, str) or value.strip().lower() not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
        return value.strip().lower()

    return check


def _instance(cls: type):
    def check(name: str, value: Any):
        if not isinstance(value, cls):
            raise ConfigError(f"{name} must be a {cls.__name__}, not {type(value).__name__}")
        return value

    return check


def _bool(name: str, value: Any):
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be a bool, not {type(value).__name__}")
    return value


def _text(*, optional: bool, path: bool = False, nonempty: bool = True):
    def check(name: str, value: Any):
        if value is None and optional:
            return value
        if path and isinstance(value, os.PathLike):
            value = os.fspath(value)
        if not isinstance(value, str):
            kind = "a str or path" if path else "a str"
            raise ConfigError(f"{name} must be {kind}, not {type(value).__name__}")
        if nonempty and not value.strip():
            raise ConfigError(f"{name} must not be empty")
        if "\x00" in value:
            raise ConfigError(f"{name} must not contain NUL characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ConfigError(f"{name} is not valid Unicode: {exc.reason}") from None
        return value

    return check


_CHECKS = {
    "db_path": _text(optional=False, path=True),
    "vector_backend": _enum(VectorBackend),
    "vector_dimension": _int(1, 65536, optional=True),
    "hnsw_ef_construction": _int(1, 100_000),
    "hnsw_m": _int(2, 1024),
    "hnsw_ef_search": _int(1, 100_000),
    "hnsw_scalar": _one_of("f32", "f16", "i8"),
    "cache_enabled": _bool,
    "cache_max_size": _int(0),
    "embedder_backend": _enum(EmbedderBackend),
    "embedder_model": _text(optional=False),
    "model_dir": _text(optional=True, path=True),
    "embedder_query_prefix": _text(optional=True, nonempty=False),
    "embedder_passage_prefix": _text(optional=True, nonempty=False),
    "embedder_base_url": _text(optional=True),
    "embedder_api_key": _text(optional=True, nonempty=False),
    "max_content_bytes": _int(1, 1 << 30),
    "durability": _enum(Durability),
    "embed_threads": _int(1, 256),
    "embedder_precision": _one_of("float32", "int8"),
    "dedup_threshold": _float(0.0, 2.0),
    "ranking": _instance(Ranking),
    "graph_extract": _bool,
    "include_graph": _bool,
    "graph_weight": _float(0.0, 0.95),
}

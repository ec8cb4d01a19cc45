"""Where the embedding models' weights are, so nothing is downloaded at run time.

Model packages install each model's files, with a manifest
(``stratamem_model.json``: id, full name, dimension, pooling, licence, the
sha256 of every file), into the namespace package ``stratamem_models/<id>/``.
The default model comes from ``stratamem-model-minilm``, a dependency of
stratamem built by ``scripts/build_model_wheel.py``. Finding a model reads the
manifests only: no import of the engine (the CLI shim uses this module too).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from .errors import ConfigError, EmbedderError

__all__ = [
    "DEFAULT_MODEL", "DEFAULT_PACKAGE", "MANIFEST", "bundled_model_dir", "bundled_models",
    "installed_model_dir",
]

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_PACKAGE = "stratamem-model-minilm"
MANIFEST = "stratamem_model.json"  # the engine reads it too (src/embed/model_settings.h)


def _installed() -> dict[str, tuple[Path, dict]]:
    """Every installed model: id -> (directory, manifest). The first of equal
    ids on the path wins, as for imports."""
    spec = importlib.util.find_spec("stratamem_models")
    found: dict[str, tuple[Path, dict]] = {}
    if spec is None or not spec.submodule_search_locations:
        return found
    for root in spec.submodule_search_locations:
        for path in sorted(Path(root).glob(f"*/{MANIFEST}")):
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise EmbedderError(f"unreadable model manifest {path}: {exc}") from exc
            found.setdefault(str(manifest.get("id", path.parent.name)), (path.parent, manifest))
    return found


def bundled_models() -> list[str]:
    """Full names of the models whose weights are installed, e.g.
    ``["sentence-transformers/all-MiniLM-L6-v2"]``."""
    return [manifest.get("name", model_id) for model_id, (_, manifest) in _installed().items()]


def installed_model_dir(model: str) -> str | None:
    """The directory of the installed model package holding ``model`` (an id or
    a full name), or ``None``."""
    for model_id, (directory, manifest) in _installed().items():
        if model in (model_id, manifest.get("name")):
            return str(directory)
    return None


def bundled_model_dir(model: str = DEFAULT_MODEL) -> str:
    """The directory holding ``model``'s installed weights (config.json,
    model.safetensors, vocab/tokenizer files, LICENSE).

    ``model`` is an id (``"all-MiniLM-L6-v2"``) or a full name
    (``"sentence-transformers/all-MiniLM-L6-v2"``). Raises :class:`EmbedderError`
    when no model package is installed at all (a broken install: the default one
    is a dependency), and :class:`ConfigError` when none holds ``model``.
    """
    installed = _installed()
    if not installed:
        raise EmbedderError(
            f"no embedding model is installed: pip install {DEFAULT_PACKAGE} "
            "(a dependency of stratamem; from source: python3 scripts/build_model_wheel.py, "
            "then pip install dist/*.whl)"
        )
    found = installed_model_dir(model)
    if found is not None:
        return found
    names = ", ".join(sorted(installed))
    raise ConfigError(
        f"no installed weights for embedder_model {model!r} (installed: {names}); "
        "pass model_dir= a directory with the model's files"
    )

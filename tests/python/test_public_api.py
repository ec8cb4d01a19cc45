"""The public surface: __all__ is complete and importable, the async and sync
APIs have the same methods and signatures, typing markers ship."""

from __future__ import annotations

import inspect
import types
from pathlib import Path

import stratamem
import stratamem.memory
from stratamem import Memory, SyncMemory


def _public_names(module: types.ModuleType) -> set[str]:
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        if getattr(value, "__module__", "").startswith("stratamem"):
            names.add(name)
    return names


def test_all_is_complete_and_importable():
    assert set(stratamem.__all__) >= _public_names(stratamem)
    for name in stratamem.__all__:
        assert hasattr(stratamem, name), name
    assert len(stratamem.__all__) == len(set(stratamem.__all__))


def test_documented_import_paths():
    from stratamem import Memory, MemoryConfig  # noqa: F401
    from stratamem.memory import EmbedderBackend, Memory, MemoryConfig, VectorBackend  # noqa: F401

    assert stratamem.memory.Memory is stratamem.Memory


def test_errors_never_shadow_builtin_memory_error():
    assert stratamem.StratamemError is not MemoryError
    assert not issubclass(stratamem.StratamemError, MemoryError)
    assert "MemoryError" not in stratamem.__all__


def _methods(cls) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(fn)
        for name, fn in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_sync_and_async_parity():
    async_methods, sync_methods = _methods(Memory), _methods(SyncMemory)
    assert set(async_methods) == set(sync_methods)
    assert {"save", "save_many", "search", "get", "get_all", "delete", "clear", "stats",
            "close"} <= set(async_methods)
    for name, sig in async_methods.items():
        assert inspect.iscoroutinefunction(getattr(Memory, name)), name
        assert not inspect.iscoroutinefunction(getattr(SyncMemory, name)), name
        assert sig == sync_methods[name], name
    assert hasattr(Memory, "__aenter__") and hasattr(SyncMemory, "__enter__")


def test_typing_markers_ship():
    pkg = Path(stratamem.__file__).parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_core.pyi").is_file()


def test_stub_names_exist_in_core():
    stub = (Path(stratamem.__file__).parent / "_core.pyi").read_text()
    import re

    for name in re.findall(r"^(?:class|def) (\w+)", stub, flags=re.M):
        assert hasattr(stratamem._core, name), name


def test_sync_docstrings_say_what_each_method_does():
    for name in _methods(SyncMemory):
        doc = getattr(SyncMemory, name).__doc__
        assert doc and not doc.startswith("See"), name
        assert doc == getattr(Memory, name).__doc__, name


def test_python_api_doc_names_every_method_and_parameter():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "python-api.md").read_text()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name, sig in _methods(Memory).items():
        heading = f"### `{name}("
        assert heading in doc, f"docs/python-api.md has no section for Memory.{name}"
        assert f"`{name}`" in readme, f"README.md's method list lacks {name}"
        section = doc[doc.index(heading) + len(heading):]
        section = section[section.index("\n"):]  # the prose under the signature
        section = section[:section.find("\n#")] if "\n#" in section else section
        for param in sig.parameters:
            if param != "self":
                assert f"`{param}`" in section, f"docs/python-api.md: {name}() lacks `{param}`"

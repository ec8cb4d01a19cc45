"""The native entity extractor, without a store (what ``save`` would find)."""

from __future__ import annotations

from . import _client, _core
from .records import ExtractedEntity

__all__ = ["extract_entities"]


def extract_entities(text: str) -> list[ExtractedEntity]:
    """The entities the engine's extractor finds in ``text``: people and other
    names, quoted titles, code, paths, URLs, e-mail addresses, dates and
    quantities (docs/graph.md says what it misses). Nothing is stored."""
    return [ExtractedEntity(e.name, e.key, e.type, e.subject, e.weak, e.count)
            for e in _core.extract_entities(_client.text("text", text))]

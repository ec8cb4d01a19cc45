"""Exceptions raised by stratamem.

Every error the package raises on purpose derives from :class:`StratamemError`
(it never shadows the builtin ``MemoryError``). The engine reports errors as
status codes; the binding turns each code into one of these classes in a single
place (``python/_core/errors_bindings.cc``) and sets ``status_code`` on the
instance. Errors found in Python before the engine is called (wrong types,
strings that cannot be UTF-8, bad configuration) use the same classes.

::

    StratamemError                     (Exception)
    ├── InvalidInputError              (+ ValueError)   bad content, ids, scope, metadata ...
    │   └── InvalidTypeError           (+ TypeError)    an argument of the wrong Python type
    ├── ConfigError                    (+ ValueError)   a bad MemoryConfig field or override
    ├── NotFoundError                  (+ KeyError)     no memory with that id
    ├── StoreError                                      the file cannot be opened/written, store closed
    │   └── CorruptionError                             not a stratamem/SQLite file, failed checks
    ├── DimensionMismatchError         (+ ValueError)   vectors of another dimension than the store's
    ├── EmbedderError                                   the embedder failed (model files, HTTP)
    ├── NotSupportedError                               a backend/feature not in this release
    └── InternalError                                   a bug in stratamem: please report it
"""

from __future__ import annotations

__all__ = [
    "StratamemError",
    "InvalidInputError",
    "InvalidTypeError",
    "ConfigError",
    "NotFoundError",
    "StoreError",
    "CorruptionError",
    "DimensionMismatchError",
    "EmbedderError",
    "NotSupportedError",
    "InternalError",
]


class StratamemError(Exception):
    """Base class of every stratamem error.

    ``status_code`` is the engine's numeric code (``stratamem._core.StatusCode``)
    when the engine raised it, ``None`` when Python did.
    """

    status_code: int | None = None

    def __str__(self) -> str:
        # One plain message, even for KeyError subclasses (which would quote it).
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


class InvalidInputError(StratamemError, ValueError):
    """An argument's value is not acceptable (empty or oversized content, NUL
    bytes, strings that are not valid Unicode, missing ids for a scope ...)."""


class InvalidTypeError(InvalidInputError, TypeError):
    """An argument has the wrong Python type (e.g. ``content=123``). Also a
    ``TypeError``, so code that expects Python's convention still catches it."""


class ConfigError(StratamemError, ValueError):
    """A ``MemoryConfig`` field or a ``Memory(**overrides)`` name is invalid."""


class NotFoundError(StratamemError, KeyError):
    """No memory has the given id."""


class StoreError(StratamemError):
    """The store file cannot be opened, read or written (permissions, disk
    full, locked), or the ``Memory`` is closed."""


class CorruptionError(StoreError):
    """The file is not a stratamem store (not SQLite, damaged, or failed its
    checks). stratamem never overwrites such a file."""


class DimensionMismatchError(StratamemError, ValueError):
    """The embedder's vectors have a different dimension than the store's."""


class EmbedderError(StratamemError):
    """The embedder failed: missing or unreadable model files, HTTP errors."""


class NotSupportedError(StratamemError):
    """A backend or feature that this release does not provide."""


class InternalError(StratamemError):
    """An invariant inside stratamem broke: a bug, please report it."""

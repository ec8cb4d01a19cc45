"""LoCoMo retrieval benchmark: loader (with evidence normalisation), metrics, runner.

The data set is never copied into the repository: it is read from ``$STRATAMEM_LOCOMO``
or ``--data`` (default ``../shared/data/locomo/locomo10.json`` relative to the repo).
``data`` and ``metrics`` are plain Python with no third-party imports, so the adapters
in ``bench/compare/`` can reuse them from their own virtual environments.
"""

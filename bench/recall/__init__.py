"""Recall on the two development sets (LoCoMo, PrefEval explicit preferences).

``sets`` turns both into the same shape (stores of memories, questions with the
memories they should recall, a fold for fit-on-one-half / score-on-the-other);
``prefeval`` reads PrefEval; ``run`` scores every model x signal through the
public API; ``study`` re-fuses the engine's own candidate lists offline to choose
the fusion's calibration; ``report`` writes the tables and the chart.

The data sets are never copied into the repository: they are read from
``../shared/data/`` (or ``$STRATAMEM_LOCOMO`` / ``$STRATAMEM_PREFEVAL``).
"""

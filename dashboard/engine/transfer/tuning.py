"""Hyperparameters chosen on the training rows only: the candidate with the least MAE on a
held-out quarter of them. A model calls this from its own `fit`, so whatever split or fold
the caller makes, its test rows never take part in the choice."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np

HOLDOUT_SHARE = 0.25
MIN_ROWS = 20
"""With fewer training rows than this the first candidate is taken without a hold-out."""


def best_candidate(
    candidates: dict[Hashable, object],
    X: np.ndarray,
    y: np.ndarray,
    seed: int,
    **per_row: np.ndarray | None,
) -> Hashable:
    """The key of the unfitted estimator with the lowest hold-out MAE. `per_row` arrays (one
    value per row of X, e.g. a start value) go to `fit` and `predict` with the same rows."""
    keys = list(candidates)
    if len(keys) == 1 or len(y) < MIN_ROWS:
        return keys[0]
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(round(len(y) * HOLDOUT_SHARE))
    held, kept = order[:cut], order[cut:]
    errors = []
    for key in keys:
        model = candidates[key]
        model.fit(X[kept], y[kept], **_rows(per_row, kept))
        predicted = model.predict(X[held], **_rows(per_row, held))
        errors.append(float(np.mean(np.abs(predicted - y[held]))))
    return keys[int(np.argmin(errors))]


def _rows(per_row: dict[str, np.ndarray | None], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: values[rows] for name, values in per_row.items() if values is not None}

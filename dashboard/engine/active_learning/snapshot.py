"""What the plots of one campaign step need: per-pool-row predictions, scores and picks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INITIAL_DESIGN = "initial design"
"""The acquisition of a step taken before a model exists: rows come from the initial design."""


@dataclass
class Snapshot:
    """Everything the plots of one step need, one entry per pool row (see `Campaign.pool_rows`).

    `mean`/`std` are NaN before a model exists; `score` is the acquisition score of candidates
    (NaN for measured rows); `truth` holds the known values (all of them in a simulated campaign,
    the measured ones in a real one, NaN elsewhere); `picks` are the dataset rows chosen next.
    """

    step: int
    mean: np.ndarray
    std: np.ndarray
    score: np.ndarray
    measured: np.ndarray
    truth: np.ndarray
    picks: list[int]
    acquisition: str

    @classmethod
    def empty(
        cls, step: int, size: int, measured: list[int], truth: np.ndarray, acquisition: str
    ) -> Snapshot:
        """A snapshot of `size` pool rows with no model yet: NaN means, σ and scores."""
        is_measured = np.zeros(size, dtype=bool)
        is_measured[measured] = True
        empty = np.full(size, np.nan)
        return cls(step, empty, empty.copy(), empty.copy(), is_measured, truth, [], acquisition)

"""Learning curves: test MAE of each method against the share of target training rows used.

Each repeat draws one random order of the training rows and takes growing prefixes of it, so
within a repeat a larger share holds the smaller ones; the test rows stay the same throughout.
A method is any function (training rows, seed) -> test predictions, which keeps this module
free of models and easy to test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.engine.transfer.metrics import regression_metrics

SHARES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)
REPEATS = 5
MIN_TRAIN_ROWS = 3

Method = Callable[[np.ndarray, int], np.ndarray]
Progress = Callable[[float, str], None]


@dataclass
class LearningCurve:
    """MAE per method, repeat and share (`mae[method]` has shape (repeats, shares))."""

    shares: list[float]
    n_train: list[int]
    mae: dict[str, np.ndarray]

    def mean(self, method: str) -> np.ndarray:
        return self.mae[method].mean(axis=0)

    def sd(self, method: str) -> np.ndarray:
        """Sample standard deviation over the repeats (0 for a single repeat)."""
        runs = self.mae[method]
        return runs.std(axis=0, ddof=1) if len(runs) > 1 else np.zeros(runs.shape[1])

    def to_dict(self) -> dict:
        return {
            "shares": list(self.shares),
            "n_train": list(self.n_train),
            "mae": {
                method: {
                    "mean": self.mean(method).tolist(),
                    "sd": self.sd(method).tolist(),
                    "runs": runs.tolist(),
                }
                for method, runs in self.mae.items()
            },
        }


def training_order(train: np.ndarray, seed: int, repeat: int) -> np.ndarray:
    """The random order of the training rows in one repeat; a share takes a prefix of it."""
    return np.random.default_rng([seed, repeat]).permutation(train)


def learning_curve(
    methods: dict[str, Method],
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    seed: int,
    shares: tuple[float, ...] = SHARES,
    repeats: int = REPEATS,
    progress: Progress | None = None,
) -> LearningCurve:
    """Test MAE of every method trained on growing shares of `train` (indices into `y`)."""
    if not shares or any(not 0.0 < s <= 1.0 for s in shares) or repeats < 1:
        raise ValueError(f"shares must lie in (0, 1] and repeats be >= 1; got {shares}, {repeats}")
    sizes = [max(MIN_TRAIN_ROWS, min(len(train), round(s * len(train)))) for s in shares]
    mae = {name: np.empty((repeats, len(shares))) for name in methods}
    steps = repeats * len(shares)
    for repeat in range(repeats):
        order = training_order(train, seed, repeat)
        for column, size in enumerate(sizes):
            if progress is not None:
                done = repeat * len(shares) + column
                progress(done / steps, f"learning curve: {shares[column]:.0%}, repeat {repeat + 1}")
            rows = np.sort(order[:size])
            for name, method in methods.items():
                predicted = method(rows, seed + repeat)
                mae[name][repeat, column] = regression_metrics(y[test], predicted).mae
    return LearningCurve(shares=list(shares), n_train=sizes, mae=mae)

"""Learning curves: test MAE of each method against the share of target training rows used.

Each repeat draws one random order of the training rows and takes growing prefixes of it, so
within a repeat a larger share holds the smaller ones; the test rows stay the same throughout.
A method is any function (training rows, seed) -> test predictions, which keeps this module
free of models and easy to test.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard.engine.transfer.metrics import regression_metrics
from dashboard.engine.wording import about

SHARES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0)
REPEATS = 5
MIN_TRAIN_ROWS = 3
WORK_EXPONENT = 1.5
"""A fit's time grows about as its training rows to this power, and a curve's progress counts
its fits by it. The median forest of qm9's gap from LUMO took 1.8 s on 400 rows, 3.6 on 800,
10.5 on 2,000, 34 on 4,000 and 116 on 8,000 (with the LUMO model's outputs: 3.2, 6.1, 15, 37
and 98 s); counted one by one, the bar ran through the small shares in seconds and then stood
still for minutes at the largest."""

TIME_LEFT_AFTER = (0.05, 10.0)
"""The time left is said once this share of the work is done and this many seconds have passed:
earlier, a guess from the first small fits says more about overheads than about the rest."""

Method = Callable[[np.ndarray, int], np.ndarray]
Progress = Callable[[float, str], None]


class TimeLeft:
    """A progress callback that adds the time left to the message ("· about 12 min left"), from
    the time so far and the share of the work done, so that a curve of minutes (qm9's 8,000
    training rows, the page's three repeats: about 7 min) says how long it will go on."""

    def __init__(self, progress: Progress, clock: Callable[[], float] = time.monotonic) -> None:
        self.progress, self.clock = progress, clock
        self.started = clock()

    def __call__(self, fraction: float, message: str) -> None:
        elapsed = self.clock() - self.started
        if fraction >= TIME_LEFT_AFTER[0] and elapsed >= TIME_LEFT_AFTER[1]:
            message += f" · {about(elapsed * (1.0 - fraction) / fraction)} left"
        self.progress(fraction, message)


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
    work = np.array(sizes, dtype=float) ** WORK_EXPONENT
    done, total = 0.0, repeats * float(work.sum())
    for repeat in range(repeats):
        order = training_order(train, seed, repeat)
        for column, size in enumerate(sizes):
            if progress is not None:
                where = f"{shares[column]:.0%}, repeat {repeat + 1} of {repeats}"
                progress(done / total, f"learning curve: {where}")
            rows = np.sort(order[:size])
            for name, method in methods.items():
                predicted = method(rows, seed + repeat)
                mae[name][repeat, column] = regression_metrics(y[test], predicted).mae
            done += work[column]
    return LearningCurve(shares=list(shares), n_train=sizes, mae=mae)

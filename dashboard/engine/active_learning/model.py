"""What a campaign needs from a model, on its own so that the models and the mixture of them
(auto.py) can name it without importing each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np


class Surrogate(Protocol):
    """What a campaign needs from a model; `std` is in target units."""

    name: str
    hyperparameters: dict[str, float]

    def fit(self, X: np.ndarray, y: np.ndarray) -> Surrogate: ...

    def predict(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def fit_pool(
        self, X_pool: np.ndarray, rows: np.ndarray, y: np.ndarray, optimize: bool = True
    ) -> Surrogate: ...

    def bind_pool(self, X_pool: np.ndarray, rows: np.ndarray | None = None) -> None:
        """Do ahead what `fit_pool` on X_pool and `rows` does before it looks at their values
        (features fitted on the pool; a GP's kernel bases and factor of the rows), so that a
        process holding a loaded campaign spends its next Step on the step alone; the fit that
        follows is the same."""

    def predict_pool(self) -> tuple[np.ndarray, np.ndarray]: ...

    def believer(self, candidates: np.ndarray) -> Callable[[int], np.ndarray]: ...

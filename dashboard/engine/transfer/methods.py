"""The four ways to learn the target, each fitted on some rows and scored on others.

- baseline: the target model on the structure features alone (no transfer);
- lv: the same target model with the latent variables (the source's outputs) as more features;
- ft: fine-tuning by continued boosting from the source's value (see finetune.py);
- ft_scratch: the same booster from a constant start, trained on the target alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.engine.transfer.finetune import ContinuedBoosting
from dashboard.engine.transfer.lv import LatentVariable
from dashboard.engine.transfer.models import make_target_model

METHODS: tuple[str, ...] = ("baseline", "lv", "ft", "ft_scratch")
METHOD_NAMES: dict[str, str] = {
    "baseline": "no transfer",
    "lv": "latent variable",
    "ft": "fine-tuned",
    "ft_scratch": "same booster, no source",
}


@dataclass(frozen=True)
class Inputs:
    """What the methods learn from, for every usable target row: features, values, the latent
    variables; `model` names the target model of baseline and lv."""

    X: np.ndarray
    y: np.ndarray
    lv: LatentVariable
    model: str
    n_jobs: int = 1

    def features(self, method: str) -> np.ndarray:
        """The input columns of `method`: the latent variables join the features for lv."""
        return np.column_stack([self.X, self.lv.values]) if method == "lv" else self.X


def fit_predict(
    method: str, inputs: Inputs, train: np.ndarray, test: np.ndarray, seed: int
) -> tuple[object, np.ndarray]:
    """Fit `method` on the rows `train` (indices into inputs.X); the fitted model and its
    predictions for the rows `test`."""
    X, y = inputs.features(method), inputs.y
    if method in ("baseline", "lv"):
        model = make_target_model(inputs.model, seed, inputs.n_jobs).fit(X[train], y[train])
        return model, model.predict(X[test])
    if method == "ft":
        start = inputs.lv.start
        booster = ContinuedBoosting(seed).fit(X[train], y[train], start[train])
        return booster, booster.predict(X[test], start[test])
    if method == "ft_scratch":
        booster = ContinuedBoosting(seed).fit(X[train], y[train])
        return booster, booster.predict(X[test])
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")

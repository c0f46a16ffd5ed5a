"""Choosing and weighing models on the measured rows: cross-validated predictive densities.

Models of different families (Gaussian processes, a random forest) cannot be compared by their
marginal likelihoods, but each predicts a mean and a σ for rows it has not seen, so each can be
scored by the Gaussian negative log predictive density (NLPD) of held-out rows: low when the mean
is close and σ is honest about the error, high when the model is wrong and sure of itself.
Hyperparameters stay at their values fitted on all rows while the folds are refitted (as in
leave-one-out model selection for GPs, Rasmussen & Williams 2006, § 5.4.2), which keeps a check
cheap: one refit per fold and model, with no optimisation. The same held-out predictions
weigh a mixture of the models (`stacking_weights`, used by auto.py).

While fewer than MIN_ROWS rows are measured there is nothing to cross-validate, and the prior
default (the first candidate) is used. The choice and the weights are re-checked when the number
of measured rows has grown by a quarter since the last check (every step at first, rarely on
large campaigns).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

MIN_ROWS = 6
FOLDS = 10
"""Folds of the cross-validation: leave-one-out up to FOLDS rows, then FOLDS folds."""
GROWTH = 1.25
SIGMA_FLOOR = 1e-6
"""σ below this share of the targets' spread counts as this much, so that a model certain of a
wrong value gets a large but finite penalty."""

FitPredict = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""fit_predict(train, test): fit on the rows `train`, return mean and σ at the rows `test`."""


def nlpd(y: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Mean of -log N(y | mean, std²) over the rows."""
    y, mean, std = (np.asarray(a, dtype=float) for a in (y, mean, std))
    return float(np.mean(0.5 * np.log(2.0 * np.pi * std**2) + 0.5 * ((y - mean) / std) ** 2))


def fold_labels(n: int, seed: int = 0) -> np.ndarray:
    """A fold number for each of n rows: 0 ... n-1 (leave-one-out) up to FOLDS rows, else
    FOLDS folds of (nearly) equal size in a random order fixed by `seed`."""
    if n <= FOLDS:
        return np.arange(n)
    return np.random.default_rng(seed).permutation(np.arange(n) % FOLDS)


def cross_validated_moments(
    fit_predict: FitPredict, y: np.ndarray, folds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and σ (at least SIGMA_FLOOR of the spread) of every row, predicted by a model fitted
    on the other folds (positions into y)."""
    y = np.asarray(y, dtype=float)
    mean, std = np.empty(y.size), np.empty(y.size)
    positions = np.arange(y.size)
    for fold in np.unique(folds):
        test = positions[folds == fold]
        mean[test], std[test] = fit_predict(positions[folds != fold], test)
    return mean, np.maximum(std, SIGMA_FLOOR * (float(y.std()) or 1.0))


def stacking_weights(
    y: np.ndarray, moments: list[tuple[np.ndarray, np.ndarray]], iterations: int = 200
) -> np.ndarray:
    """Weights (summing to 1) of the mixture of the models' held-out Gaussian predictions
    `moments` (mean, σ per row) that maximise the summed log density of y: the mixture-weight
    EM, whose every iteration raises that sum (Yao et al. 2018 stack predictive densities so)."""
    y = np.asarray(y, dtype=float)
    log_density = np.stack(
        [-np.log(std) - 0.5 * ((y - mean) / std) ** 2 for mean, std in moments], axis=1
    )
    log_density = np.where(np.isfinite(log_density), log_density, -np.inf)
    log_density -= log_density.max(axis=1, keepdims=True)
    density = np.nan_to_num(np.exp(log_density))
    weights = np.full(len(moments), 1.0 / len(moments))
    for _ in range(iterations):
        share = weights * density
        share /= np.maximum(share.sum(axis=1, keepdims=True), np.finfo(float).tiny)
        weights = share.mean(axis=0)
    return weights / weights.sum()


def is_due(measured: int, checked_at: int) -> bool:
    """Whether to (re)check the choice with `measured` rows, last checked at `checked_at` (0:
    never)."""
    if measured < MIN_ROWS:
        return False
    return checked_at == 0 or measured >= math.ceil(GROWTH * checked_at)


def choose(scores: dict[str, float]) -> str:
    """The name with the lowest score (the first one on ties and when every score is NaN)."""
    finite = {name: s for name, s in scores.items() if np.isfinite(s)}
    if not finite:
        return next(iter(scores))
    return min(finite, key=finite.__getitem__)

"""The models of transfer learning: the source models and the target models, built by name.

Source: histogram gradient boosting for large sources (fast on 100k rows with two cores, and
more accurate there than a forest of the same cost), extra trees for small ones (few rows leave
boosting little to gain and forests need no tuning). When the source column is zero-inflated
(band gaps: metals are exactly 0), a classifier of "source value ≠ 0" gives a second latent
variable, the probability that the source calls the material a non-metal.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)
from sklearn.inspection import permutation_importance

TARGET_MODELS: dict[str, str] = {
    "et": "extra trees (300 trees)",
    "rf": "random forest (300 trees; the seed study's model)",
    "gbr": "histogram gradient boosting (500 rounds, learning rate 0.05)",
}
"""Target models of the latent-variable approach; the first one is the default (it won the
five-split benchmark, `python -m dashboard bench transfer`)."""
DEFAULT_TARGET_MODEL = next(iter(TARGET_MODELS))

LARGE_SOURCE_ROWS = 5_000
"""From this many source rows on, the source models are gradient boosting, else extra trees."""
ZERO_SHARE = 0.05
"""A source column with at least this share of zeros (and of non-zeros) is zero-inflated."""

SOURCE_PARAMS: dict[str, dict[str, object]] = {
    "large-regressor": {
        "max_iter": 500,
        "learning_rate": 0.2,
        "max_leaf_nodes": 255,
        "min_samples_leaf": 5,
    },
    "large-classifier": {"max_iter": 300, "learning_rate": 0.1, "max_leaf_nodes": 63},
    "small": {"n_estimators": 100, "max_features": 1.0},
}
"""Settings of the source models (part of their cache key)."""

_IMPORTANCE_ROWS = 300


def make_target_model(name: str, seed: int, n_jobs: int = 1) -> RegressorMixin:
    """A fresh, unfitted target model by name (see TARGET_MODELS)."""
    if name == "et":
        return ExtraTreesRegressor(n_estimators=300, n_jobs=n_jobs, random_state=seed)
    if name == "rf":
        return RandomForestRegressor(n_estimators=300, n_jobs=n_jobs, random_state=seed)
    if name == "gbr":
        return HistGradientBoostingRegressor(
            max_iter=500, learning_rate=0.05, early_stopping=False, random_state=seed
        )
    raise ValueError(f"unknown target model {name!r}; choose one of {', '.join(TARGET_MODELS)}")


def make_source_regressor(n_rows: int, seed: int, n_jobs: int = 1) -> RegressorMixin:
    """The source model of the source column for a source of `n_rows` rows."""
    if n_rows >= LARGE_SOURCE_ROWS:
        params = SOURCE_PARAMS["large-regressor"]
        return HistGradientBoostingRegressor(**params, early_stopping=False, random_state=seed)
    return ExtraTreesRegressor(**SOURCE_PARAMS["small"], n_jobs=n_jobs, random_state=seed)


def make_source_classifier(n_rows: int, seed: int, n_jobs: int = 1) -> ClassifierMixin:
    """The classifier of "source value ≠ 0" for a zero-inflated source column."""
    if n_rows >= LARGE_SOURCE_ROWS:
        params = SOURCE_PARAMS["large-classifier"]
        return HistGradientBoostingClassifier(**params, early_stopping=False, random_state=seed)
    return ExtraTreesClassifier(**SOURCE_PARAMS["small"], n_jobs=n_jobs, random_state=seed)


def is_zero_inflated(y: np.ndarray) -> bool:
    """Whether both exact zeros and other values make up at least ZERO_SHARE of `y`."""
    zeros = float(np.mean(y == 0.0))
    return ZERO_SHARE <= zeros <= 1.0 - ZERO_SHARE


def feature_importances(
    model: RegressorMixin, X: np.ndarray, y: np.ndarray, seed: int
) -> np.ndarray:
    """Importance of each feature: impurity decrease for forests, else the loss of R² when the
    feature is shuffled on (up to 300 of) the given rows."""
    if hasattr(model, "feature_importances_"):
        return np.asarray(model.feature_importances_, dtype=float)
    rows = np.random.default_rng(seed).permutation(len(y))[:_IMPORTANCE_ROWS]
    result = permutation_importance(model, X[rows], y[rows], n_repeats=2, random_state=seed)
    return np.asarray(result.importances_mean, dtype=float)

"""Regression metrics (R², MAE, RMSE) over all test points and per group of them."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

ZERO_GROUP = "= 0"
NONZERO_GROUP = "≠ 0"


@dataclass(frozen=True)
class Metrics:
    """How close predictions are to true values: R², mean absolute and root-mean-square error.

    R² is NaN for fewer than two points or constant true values, where it is undefined.
    """

    r2: float
    mae: float
    rmse: float
    n: int

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> Metrics:
    """R², MAE and RMSE of `y_pred` against `y_true` (1-D arrays of equal length, n >= 1)."""
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or len(y_true) == 0:
        raise ValueError(f"need two 1-D arrays of one length, got {y_true.shape}, {y_pred.shape}")
    error = y_pred - y_true
    spread = float(np.sum((y_true - y_true.mean()) ** 2))
    r2 = 1.0 - float(np.sum(error**2)) / spread if spread > 0 else float("nan")
    return Metrics(
        r2=r2,
        mae=float(np.mean(np.abs(error))),
        rmse=float(np.sqrt(np.mean(error**2))),
        n=len(y_true),
    )


@dataclass(frozen=True)
class GroupMetrics:
    """The metrics of one model on the test points of one group."""

    group: str
    model: str
    metrics: Metrics

    def to_dict(self) -> dict:
        return {"group": self.group, "model": self.model, **self.metrics.to_dict()}


def group_metrics(
    y_true: np.ndarray, predictions: dict[str, np.ndarray], groups: np.ndarray
) -> list[GroupMetrics]:
    """Metrics of each model (name -> predictions) within each group label, groups sorted."""
    groups = np.asarray(groups).astype(str)
    rows = []
    for label in sorted(set(groups.tolist())):
        members = groups == label
        for model, y_pred in predictions.items():
            metrics = regression_metrics(np.asarray(y_true)[members], np.asarray(y_pred)[members])
            rows.append(GroupMetrics(group=label, model=model, metrics=metrics))
    return rows


def zero_groups(y_true: np.ndarray) -> np.ndarray:
    """Label each value "= 0" or "≠ 0": for band gaps, metals against non-metals."""
    return np.where(np.asarray(y_true, dtype=float) == 0.0, ZERO_GROUP, NONZERO_GROUP)

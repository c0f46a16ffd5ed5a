"""What a transfer run gives back: test-set predictions, metrics, importances and the curve."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dashboard.engine.transfer.curve import LearningCurve
from dashboard.engine.transfer.metrics import GroupMetrics, Metrics


@dataclass
class TransferResult:
    """One transfer run, holding everything the page shows.

    Predictions are for the target's test rows (`test_rows`: positions in the target frame),
    from the baseline (the same model without transfer) and the transfer model, on one split.
    `importances` belong to the transfer model, one per name in `feature_names`; the
    latent-variable features are the last names and `lv_ranks` maps each to its rank among all
    features (1 = most important).
    `n_overlap` counts target rows whose features also occur among the source's rows.
    `n_train` rows of the `n_train_all` training rows were used (a run on a share of them).
    """

    approach: str
    model: str
    source_column: str
    target_column: str
    seed: int
    test_size: float
    n_source: int
    n_train: int
    n_train_all: int
    n_test: int
    test_rows: np.ndarray
    y_test: np.ndarray
    baseline_pred: np.ndarray
    transfer_pred: np.ndarray
    baseline: Metrics
    transfer: Metrics
    group_by: str | None
    groups: np.ndarray | None
    group_metrics: list[GroupMetrics]
    feature_names: list[str]
    importances: np.ndarray | None
    lv_ranks: dict[str, int]
    n_overlap: int
    same_dataset: bool
    source_cached: bool
    learning_curve: LearningCurve | None
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def summary(self) -> dict:
        """The answer of `python -m dashboard transfer --json`."""
        answer = {
            "approach": self.approach,
            "baseline": _three(self.baseline),
            "transfer": _three(self.transfer),
            "n_source": self.n_source,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "seconds": round(self.seconds, 3),
        }
        if self.learning_curve is not None:
            answer["learning_curve"] = self.learning_curve.to_dict()
        return answer

    def to_dict(self) -> dict:
        """Everything as JSON-ready values (arrays become lists)."""
        return {
            **self.summary(),
            "model": self.model,
            "source_column": self.source_column,
            "target_column": self.target_column,
            "seed": self.seed,
            "test_size": self.test_size,
            "n_train_all": self.n_train_all,
            "test_rows": self.test_rows.tolist(),
            "y_test": self.y_test.tolist(),
            "baseline_pred": self.baseline_pred.tolist(),
            "transfer_pred": self.transfer_pred.tolist(),
            "group_by": self.group_by,
            "groups": None if self.groups is None else self.groups.tolist(),
            "group_metrics": [row.to_dict() for row in self.group_metrics],
            "feature_names": list(self.feature_names),
            "importances": None if self.importances is None else self.importances.tolist(),
            "lv_ranks": dict(self.lv_ranks),
            "n_overlap": self.n_overlap,
            "same_dataset": self.same_dataset,
            "source_cached": self.source_cached,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _three(metrics: Metrics) -> dict[str, float]:
    return {"r2": metrics.r2, "mae": metrics.mae, "rmse": metrics.rmse}

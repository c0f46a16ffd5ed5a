"""Transfer learning from a large source dataset to a small target dataset.

Latent-variable transfer (the source models' outputs as more target features) and fine-tuning
(boosting continued from the source's value), each against the target model without transfer
on the same split; learning curves; metrics per group; k-fold cross-validation of all methods
(the Matbench protocol). `run_transfer` and `cross_validate` are the entry points.
"""

from dashboard.engine.transfer.cache import NotCached
from dashboard.engine.transfer.crossval import (
    CrossValidation,
    CrossValidationConfig,
    cross_validate,
    kfold_test_rows,
)
from dashboard.engine.transfer.curve import LearningCurve, learning_curve
from dashboard.engine.transfer.methods import METHOD_NAMES, METHODS
from dashboard.engine.transfer.metrics import (
    GroupMetrics,
    Metrics,
    group_metrics,
    regression_metrics,
    zero_groups,
)
from dashboard.engine.transfer.models import DEFAULT_TARGET_MODEL, TARGET_MODELS
from dashboard.engine.transfer.result import TransferResult
from dashboard.engine.transfer.run import (
    APPROACHES,
    AUTO_GROUPS,
    TransferConfig,
    run_transfer,
)
from dashboard.engine.transfer.switch import switch_seconds

__all__ = [
    "APPROACHES",
    "AUTO_GROUPS",
    "DEFAULT_TARGET_MODEL",
    "METHODS",
    "METHOD_NAMES",
    "TARGET_MODELS",
    "CrossValidation",
    "CrossValidationConfig",
    "GroupMetrics",
    "LearningCurve",
    "Metrics",
    "NotCached",
    "TransferConfig",
    "TransferResult",
    "cross_validate",
    "group_metrics",
    "kfold_test_rows",
    "learning_curve",
    "regression_metrics",
    "run_transfer",
    "switch_seconds",
    "zero_groups",
]

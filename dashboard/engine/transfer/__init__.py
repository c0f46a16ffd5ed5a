"""Transfer learning from a large source dataset to a small target dataset.

Latent-variable transfer (a source model's prediction as one more target feature) and
fine-tuning (an MLP pre-trained on the source, trained further on the target), each against
the same model without transfer on the same split; learning curves; metrics per group.
`run_transfer` is the entry point.
"""

from dashboard.engine.transfer.curve import LearningCurve, learning_curve
from dashboard.engine.transfer.finetune import NetworkSpec
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
    MLP,
    TransferConfig,
    run_transfer,
)

__all__ = [
    "APPROACHES",
    "AUTO_GROUPS",
    "DEFAULT_TARGET_MODEL",
    "MLP",
    "TARGET_MODELS",
    "GroupMetrics",
    "LearningCurve",
    "Metrics",
    "NetworkSpec",
    "TransferConfig",
    "TransferResult",
    "group_metrics",
    "learning_curve",
    "regression_metrics",
    "run_transfer",
    "zero_groups",
]

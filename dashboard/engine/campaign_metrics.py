"""How well a campaign is doing: model quality on the unmeasured pool, calibration of σ, recall.

Definitions follow SCIENCE.md: top-k recall is the share of the k best candidates (by the goal)
that have been measured; a well-calibrated Gaussian σ holds 68.3 % of true values within ±1σ and
95.4 % within ±2σ.
"""

from __future__ import annotations

import numpy as np

from dashboard.engine.goals import Goal, utility


def model_metrics(truth: np.ndarray, mean: np.ndarray, std: np.ndarray) -> dict[str, float | None]:
    """R², MAE and the shares within ±1σ and ±2σ of the predictions on rows with known truth.

    Values are None when there is nothing to score (R² also when the truth is constant).
    """
    truth, mean, std = (np.asarray(a, dtype=float) for a in (truth, mean, std))
    if truth.size == 0:
        return {"r2": None, "mae": None, "within_1sigma": None, "within_2sigma": None}
    error = np.abs(truth - mean)
    spread = ((truth - truth.mean()) ** 2).sum()
    return {
        "r2": float(1.0 - (error**2).sum() / spread) if spread > 0 else None,
        "mae": float(error.mean()),
        "within_1sigma": float(np.mean(error <= std)),
        "within_2sigma": float(np.mean(error <= 2.0 * std)),
    }


def top_k(values: np.ndarray, goal: Goal, k: int) -> np.ndarray:
    """Positions of the k best values under the goal (ties broken by position)."""
    order = np.argsort(-utility(values, goal), kind="stable")
    return order[: min(k, order.size)]


def recall(measured: np.ndarray, best: np.ndarray) -> float:
    """Share of the positions in `best` that are among `measured`."""
    return float(np.isin(best, measured).mean()) if len(best) else 0.0

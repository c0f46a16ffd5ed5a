"""How well a campaign is doing: model quality on the unmeasured pool, calibration of σ, recall.

Definitions follow SCIENCE.md: top-k recall is the share of the k best candidates (by the goal)
that have been measured; a well-calibrated Gaussian σ holds 68.3 % of true values within ±1σ and
95.4 % within ±2σ.
"""

from __future__ import annotations

import numpy as np

from dashboard.engine.active_learning.goals import Goal, best_value, utility


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


def random_search(
    truth: np.ndarray, goal: Goal, top: np.ndarray, sizes: np.ndarray, seeds: int
) -> dict[str, np.ndarray]:
    """Best so far and top-k recall of random search after each of `sizes` measurements,
    (seeds, len(sizes)) arrays; seed s draws rows in the order of `default_rng(s)`."""
    best = np.empty((seeds, sizes.size))
    found = np.empty((seeds, sizes.size))
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(truth.size)
        best[seed] = [best_value(truth[order[:size]], goal) for size in sizes]
        found[seed] = [recall(order[:size], top) for size in sizes]
    return {"best_so_far": best, "top_k_recall": found}

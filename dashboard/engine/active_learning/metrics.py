"""How well a campaign is doing: model quality on the unmeasured pool, calibration of σ, recall.

Definitions follow SCIENCE.md: top-k recall is the share of the k best candidates (by the goal)
that have been measured; a well-calibrated Gaussian σ holds 68.3 % of true values within ±1σ and
95.4 % within ±2σ.
"""

from __future__ import annotations

import numpy as np

from dashboard.engine.active_learning.goals import Goal, utility


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
    (seeds, len(sizes)) arrays; seed s draws rows in the order of `default_rng(s)`.

    The same numbers as `best_value` and `recall` on each prefix of a seed's order, read off one
    running best and one running count per seed: the page asks for this on every save, and
    prefix by prefix it cost 0.1 s a step by step 40.
    """
    truth, sizes = np.asarray(truth, dtype=float), np.asarray(sizes, dtype=int)
    if sizes.size and sizes.min() < 1:
        raise ValueError("no measured values yet")
    multiplicity = np.bincount(np.asarray(top, dtype=int), minlength=truth.size)
    best = np.empty((seeds, sizes.size))
    found = np.empty((seeds, sizes.size))
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(truth.size)
        drawn = truth[order]
        best[seed] = drawn[_running_argmax(utility(drawn, goal))[sizes - 1]]
        hits = np.cumsum(multiplicity[order])[sizes - 1]
        found[seed] = hits / len(top) if len(top) else 0.0
    return {"best_so_far": best, "top_k_recall": found}


def _running_argmax(values: np.ndarray) -> np.ndarray:
    """For each i, np.argmax(values[: i + 1]): the first position of the prefix's maximum, and
    of its first NaN once there is one (as np.argmax does)."""
    ranked = np.where(np.isnan(values), np.inf, values)
    leads = np.ones(ranked.size, dtype=bool)
    leads[1:] = ranked[1:] > np.maximum.accumulate(ranked)[:-1]
    return np.maximum.accumulate(np.where(leads, np.arange(ranked.size), 0))

"""Acquisition functions: which candidates to measure next, given a model's mean and σ.

Each score is a small pure function of (mean, std, best, goal, parameters) returning one number per
candidate, higher meaning "measure sooner". `best` is the best measured value so far (the value,
not its utility) and `std` is in target units. Formulas: SCIENCE.md; for a "value" goal the
improvement is getting closer to the target than the best so far.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.special import ndtr

from dashboard.engine.active_learning.goals import Goal, utility

_TINY_SIGMA = 1e-12
SEED_SWITCH = "seed-switch"
SEED_SWITCH_R2 = 0.2

Scorer = Callable[[np.ndarray, np.ndarray, float], np.ndarray]


def greedy(mean: np.ndarray, std: np.ndarray, best: float, goal: Goal) -> np.ndarray:
    """The predicted mean itself (as a utility): pure exploitation."""
    return utility(mean, goal)


def max_sigma(mean: np.ndarray, std: np.ndarray, best: float, goal: Goal) -> np.ndarray:
    """The predicted standard deviation: pure exploration."""
    return np.asarray(std, dtype=float).copy()


def random_scores(
    mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, seed: int = 0
) -> np.ndarray:
    """Uniform random scores from a seeded generator: the random-search baseline.

    Measured rows are never candidates, so taking the top scores samples without replacement.
    """
    return np.random.default_rng(seed).random(np.shape(mean)[0])


def probability_of_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, xi: float = 0.0
) -> np.ndarray:
    """Φ(z): the chance to beat `best` by at least `xi` (for a value goal: to land closer to t)."""
    mean, std = _arrays(mean, std)
    if isinstance(goal, tuple):
        half_width = max(abs(best - goal[1]) - xi, 0.0)
        return _interval_probability(mean, std, goal[1] - half_width, goal[1] + half_width)
    sign = 1.0 if goal == "max" else -1.0
    return ndtr((sign * (mean - best) - xi) / std)


def expected_improvement(
    mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, xi: float = 0.0
) -> np.ndarray:
    """E[max(0, improvement - xi)], closed form (Jones et al. 1998); balances mean and σ.

    For a value goal the improvement is (w - |y - t|)+ with w = |best - t| - xi, a tent function,
    whose expectation is G(t - w) - 2 G(t) + G(t + w) with G(a) = E[(y - a)+].
    """
    mean, std = _arrays(mean, std)
    if isinstance(goal, tuple):
        target = goal[1]
        half_width = max(abs(best - target) - xi, 0.0)
        tent = (
            _expected_excess(mean, std, target - half_width)
            - 2.0 * _expected_excess(mean, std, target)
            + _expected_excess(mean, std, target + half_width)
        )
        return np.maximum(tent, 0.0)
    sign = 1.0 if goal == "max" else -1.0
    return _expected_excess(sign * mean, std, sign * best + xi)


def upper_confidence_bound(
    mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, kappa: float = 2.5
) -> np.ndarray:
    """Utility of the mean plus κσ (Srinivas et al. 2010): κ sets how much σ counts."""
    mean, std = _arrays(mean, std)
    return utility(mean, goal) + kappa * std


def target_probability(
    mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, tol: float = 0.1
) -> np.ndarray:
    """The chance to land within t ± tol, for a goal ("value", t); tol is in target units."""
    if not isinstance(goal, tuple):
        raise ValueError("the target-value acquisition needs a goal 'value:T', e.g. 'value:1.4'")
    if not tol > 0:
        raise ValueError(f"the tolerance must be positive, got {tol!r}")
    mean, std = _arrays(mean, std)
    return _interval_probability(mean, std, goal[1] - tol, goal[1] + tol)


ACQUISITIONS: dict[str, Callable[..., np.ndarray]] = {
    "greedy": greedy,
    "pi": probability_of_improvement,
    "ei": expected_improvement,
    "ucb": upper_confidence_bound,
    "max-sigma": max_sigma,
    "random": random_scores,
    "target": target_probability,
}
"""Name -> score function; every one takes (mean, std, best, goal, **its parameters)."""

PARAMETERS: dict[str, dict[str, float]] = {
    "pi": {"xi": 0.0},
    "ei": {"xi": 0.0},
    "ucb": {"kappa": 2.5},
    "target": {"tol": 0.1},
}
"""Tunable parameters of each acquisition and their defaults (random takes the campaign's seed)."""


def score(
    name: str, mean: np.ndarray, std: np.ndarray, best: float, goal: Goal, **params: float
) -> np.ndarray:
    """Scores of the named acquisition; ValueError for an unknown name or parameter."""
    if name not in ACQUISITIONS:
        raise ValueError(f"unknown acquisition {name!r}; choose one of {sorted(ACQUISITIONS)}")
    allowed = set(PARAMETERS.get(name, {})) | ({"seed"} if name == "random" else set())
    unknown = set(params) - allowed
    if unknown:
        raise ValueError(f"acquisition {name!r} takes no parameter(s) {sorted(unknown)}")
    return ACQUISITIONS[name](mean, std, best, goal, **params)


def seed_switch(pool_r2: Sequence[float | None], threshold: float = SEED_SWITCH_R2) -> str:
    """The seed study's rule: maximum uncertainty until R² on the unmeasured pool has once
    exceeded `threshold`, probability of improvement from then on. `pool_r2` is R² per step so far.
    """
    switched = any(r2 is not None and r2 > threshold for r2 in pool_r2)
    return "pi" if switched else "max-sigma"


def top_q(scores: np.ndarray, q: int, tie_break: np.ndarray | None = None) -> np.ndarray:
    """Indices of the q highest scores, best first; NaN ranks last. Ties go to the higher
    `tie_break` (campaigns pass the mean's utility, so that when PI or EI are zero everywhere,
    e.g. once a value goal's target has been hit exactly, the picks are the most promising rows
    rather than the first ones), then to the lower index."""
    scores = np.asarray(scores, dtype=float)
    if not 0 < q <= scores.size:
        raise ValueError(f"cannot pick {q} of {scores.size} candidates")
    ranked = np.where(np.isnan(scores), -np.inf, scores)
    secondary = np.zeros_like(ranked) if tie_break is None else np.asarray(tie_break, dtype=float)
    # sort only the rows that can be among the q best (every row tied with the q-th best
    # included): on 100,000 candidates a full sort took 24 ms of each believer pick
    threshold = np.partition(ranked, ranked.size - q)[ranked.size - q]
    contenders = np.flatnonzero(ranked >= threshold)
    order = np.lexsort((-secondary[contenders], -ranked[contenders]))
    return contenders[order[:q]]


def kriging_believer(
    mean: np.ndarray,
    std: np.ndarray,
    best: float,
    goal: Goal,
    q: int,
    scorer: Scorer,
    condition: Callable[[int], np.ndarray],
    tie_break: np.ndarray | None = None,
) -> np.ndarray:
    """A batch of q picks that spreads out (Ginsbourger, Le Riche & Carraro 2010).

    Pick the best score, pretend that candidate was measured at its predicted mean, let the model
    shrink σ around it (`condition(pick)` returns the new σ of every candidate), score again and
    pick again. Chosen over a distance penalty because it needs no distance scale: the model's own
    kernel says which candidates are near-duplicates, and for a Gaussian process the update is an
    exact rank-one change (mean unchanged, σ reduced) costing one pass over the candidates a pick.
    `scorer(mean, std, best)` is the acquisition; believed means count towards `best`; ties are
    broken as in `top_q`.
    """
    mean = np.asarray(mean, dtype=float)
    if not 0 < q <= mean.size:
        raise ValueError(f"cannot pick {q} of {mean.size} candidates")
    picks: list[int] = []
    for _ in range(q):
        scores = np.asarray(scorer(mean, std, best), dtype=float).copy()
        scores[picks] = -np.inf
        pick = int(top_q(scores, 1, tie_break)[0])
        picks.append(pick)
        if utility(mean[pick], goal) > utility(best, goal):
            best = float(mean[pick])
        if len(picks) < q:
            std = condition(pick)
    return np.asarray(picks, dtype=int)


def _arrays(mean: np.ndarray, std: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float arrays, σ kept away from zero so that z-scores stay finite."""
    return np.asarray(mean, dtype=float), np.maximum(np.asarray(std, dtype=float), _TINY_SIGMA)


def _expected_excess(mean: np.ndarray, std: np.ndarray, level: float) -> np.ndarray:
    """G(a) = E[(y - a)+] for y ~ N(mean, std²)."""
    z = (mean - level) / std
    return (mean - level) * ndtr(z) + std * np.exp(-0.5 * z * z) / np.sqrt(2.0 * np.pi)


def _interval_probability(mean: np.ndarray, std: np.ndarray, low: float, high: float) -> np.ndarray:
    """P(low <= y <= high) for y ~ N(mean, std²), using upper tails where they are more exact."""
    a, b = (low - mean) / std, (high - mean) / std
    lower_tail = ndtr(b) - ndtr(a)
    upper_tail = ndtr(-a) - ndtr(-b)
    return np.maximum(np.where(a > 0, upper_tail, lower_tail), 0.0)

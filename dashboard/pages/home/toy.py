"""The Home page's Gaussian-process toy: the engine's own GP and acquisition functions on a
made-up 1-D function, so that what a visitor sees is what a campaign computes.

Points are measured on a fixed grid (the GP's pool); a click measures the grid point nearest to
it, or takes back a measured point within `TOUCH` of it. The length scale and the noise are
fitted by the marginal likelihood, or set by hand in x units and target units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.engine.active_learning.acquisition import score
from dashboard.engine.active_learning.gaussian_process import GaussianProcess
from dashboard.engine.active_learning.kernels import Stationary

GRID = np.linspace(0.0, 5.0, 201)
POOL = GRID[:, None]
START = (0.3, 1.1, 2.0, 3.4, 4.3)
TOUCH = 0.1
ACQUISITIONS = {
    "greedy": "greedy (the mean)",
    "ei": "expected improvement",
    "pi": "probability of improvement",
    "ucb": "upper confidence bound",
    "max-sigma": "maximum σ",
}


def hidden(x: np.ndarray) -> np.ndarray:
    """The made-up function the toy measures; not a material property."""
    return np.sin(1.6 * x) + 0.35 * x


def nearest(x: float) -> int:
    """The grid index nearest to x."""
    return int(np.abs(GRID - float(x)).argmin())


def start_points() -> list[int]:
    """The five measured grid points the toy opens with."""
    return [nearest(x) for x in START]


def toggle(points: list[int], x: float) -> list[int]:
    """Take back the measured point within TOUCH of x, or measure the grid point nearest x."""
    close = [p for p in points if abs(GRID[p] - x) <= TOUCH]
    if close:
        drop = min(close, key=lambda p: abs(GRID[p] - x))
        return [p for p in points if p != drop]
    return sorted({*points, nearest(x)})


@dataclass(frozen=True)
class Toy:
    """The toy's state for drawing: the posterior on the grid and where the acquisition points."""

    points: list[int]
    mean: np.ndarray
    std: np.ndarray
    scores: np.ndarray
    pick: int | None
    lengthscale: float
    noise: float
    fitted: bool


def explore(
    points: list[int],
    acquisition: str = "ei",
    kappa: float = 2.0,
    lengthscale: float | None = None,
    noise: float | None = None,
) -> Toy | None:
    """Fit the engine's Matern 5/2 GP on the measured grid points and score the rest.

    With `lengthscale` (x units) and `noise` (σ, y units) both given they are used as they are
    (amplitude: the measured values' variance); otherwise the marginal likelihood picks them.
    None when nothing is measured.
    """
    rows = np.array(sorted(set(points)), dtype=int)
    if rows.size == 0:
        return None
    y = hidden(GRID[rows])
    part = Stationary(slice(0, 1), 2.5, standardize=False)
    gp = GaussianProcess([part], name="toy")
    part.fit(POOL)
    unit = float(part.transform(np.array([[1.0]]))[0, 0] - part.transform(np.array([[0.0]]))[0, 0])
    spread = float(y.std()) or 1.0
    fitted = lengthscale is None or noise is None
    if not fitted:
        gp.hyperparameters = {
            "matern52.amplitude": 1.0,
            "matern52.lengthscale": lengthscale * unit,
            "noise": (noise / spread) ** 2,
        }
    gp.fit_pool(POOL, rows, y, optimize=fitted)
    mean, std = gp.predict_pool()
    chosen = gp.hyperparameters
    params = {"kappa": kappa} if acquisition == "ucb" else {}
    scores = score(acquisition, mean, std, float(y.max()), "max", **params)
    open_scores = np.where(np.isin(np.arange(GRID.size), rows), -np.inf, scores)
    pick = int(np.argmax(open_scores)) if np.isfinite(open_scores).any() else None
    return Toy(
        points=rows.tolist(),
        mean=mean,
        std=std,
        scores=scores,
        pick=pick,
        lengthscale=chosen["matern52.lengthscale"] / unit,
        noise=float(np.sqrt(chosen["noise"])) * spread,
        fitted=fitted,
    )

"""The GP on a handful of rows (issue 14): the fit follows the points instead of going flat."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.engine.active_learning import gaussian_process
from dashboard.engine.active_learning.gaussian_process import GaussianProcess
from dashboard.engine.active_learning.kernels import Stationary

FIVE_X = np.array([0.3, 1.1, 2.0, 3.4, 4.3])


def curve(x: np.ndarray) -> np.ndarray:
    return np.sin(1.6 * x) + 0.35 * x


def matern(columns: int = 1, standardize: bool = False) -> GaussianProcess:
    return GaussianProcess([Stationary(slice(0, columns), 2.5, standardize=standardize)])


def test_five_points_fit_a_sensible_lengthscale_and_a_mean_through_them():
    grid = np.linspace(0.0, 5.0, 201)[:, None]
    rows = np.searchsorted(grid[:, 0], FIVE_X)
    gp = matern().fit_pool(grid, rows, curve(grid[rows, 0]))
    unit = 1.0 / float(np.diff(gp.parts[0].transform(np.array([[0.0], [1.0]]))[:, 0])[0])
    lengthscale = gp.hyperparameters["matern52.lengthscale"] * unit
    assert 0.3 < lengthscale < 1.5  # in x units; the curve's period is 3.9
    mean, _ = gp.predict_pool()
    assert np.abs(mean[rows] - curve(grid[rows, 0])).max() < 0.05
    assert np.ptp(mean) > 0.9 * np.ptp(curve(grid[rows, 0]))


def test_the_prior_gradient_matches_finite_differences():
    gp = GaussianProcess(
        [Stationary(slice(0, 1), 2.5), Stationary(slice(1, 2), np.inf)], name="two parts"
    )
    theta = np.array([0.1, -1.3, 0.2, 0.7, np.log(0.3)])
    value, gradient = gp._negative_log_prior(theta)
    step = 1e-6
    numeric = [
        (gp._negative_log_prior(theta + step * e)[0] - gp._negative_log_prior(theta - step * e)[0])
        / (2 * step)
        for e in np.eye(theta.size)
    ]
    assert value > 0 and gradient == pytest.approx(numeric, abs=1e-5)


def test_the_noise_prior_leaves_clean_data_free_to_fit_almost_no_noise():
    gp = matern()
    low, at_center = np.log(1e-5), gaussian_process.NOISE_PRIOR[0]
    assert gp._negative_log_prior(np.array([0.0, 0.0, low]))[0] == 0.0
    assert gp._negative_log_prior(np.array([0.0, 0.0, at_center]))[0] == 0.0
    assert gp._negative_log_prior(np.array([0.0, 0.0, 0.0]))[0] > 4.0


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_small_campaign_starts_are_not_flat(n):
    """Two to five random rows of a smooth 3-D function, as a Liang et al. campaign starts: the
    predicted mean over the pool varies and follows the truth (without the priors a third to a
    half of such fits were flat)."""
    rng = np.random.default_rng(7)
    X = rng.uniform(0.0, 1.0, (300, 3))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 - 0.5 * X[:, 2]
    flat, correlations = 0, []
    for seed in range(10):
        rows = np.random.default_rng(seed).choice(300, n, replace=False)
        mean, _ = matern(3, standardize=True).fit_pool(X, rows, y[rows]).predict_pool()
        flat += np.std(mean) < 0.05 * np.std(y[rows])
        correlations.append(np.corrcoef(mean, y)[0, 1])
    assert flat == 0
    assert np.mean(correlations) > 0.2


def test_larger_fits_use_the_likelihood_alone(monkeypatch):
    X = np.linspace(0, 10, 101)[:, None]
    rows = np.arange(0, 101, 3)
    assert rows.size >= gaussian_process.PRIOR_ROWS
    fitted = matern().fit_pool(X, rows, np.sin(X[rows, 0])).hyperparameters
    monkeypatch.setattr(gaussian_process, "LENGTHSCALE_PRIOR", (5.0, 0.01))
    again = matern().fit_pool(X, rows, np.sin(X[rows, 0])).hyperparameters
    assert again == pytest.approx(fitted)

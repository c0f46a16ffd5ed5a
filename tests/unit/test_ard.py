"""The ARD Gaussian process: a length scale per input, small fits that keep their points, and
refits with fixed hyperparameters that reproduce a step."""

import numpy as np
import pytest

from dashboard.engine.active_learning.ard import ArdGaussianProcess
from dashboard.engine.active_learning.surrogates import make_surrogate


def smooth_with_an_irrelevant_input(n=60, seed=0):
    """y depends on columns 0 and 1 (both spanning [0, 10]) and not at all on column 2."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 10, (n, 3))
    return X, np.sin(0.6 * X[:, 0]) + 0.5 * np.cos(0.4 * X[:, 1])


def test_the_irrelevant_input_gets_a_much_longer_length_scale():
    X, y = smooth_with_an_irrelevant_input()
    values = ArdGaussianProcess().fit(X, y).hyperparameters
    relevant = max(values["lengthscale_0"], values["lengthscale_1"])
    assert values["lengthscale_2"] > 10 * relevant
    assert set(values) == {"lengthscale_0", "lengthscale_1", "lengthscale_2", "amplitude", "noise"}


def test_three_measured_rows_are_fitted_not_explained_away_as_noise():
    X, y = smooth_with_an_irrelevant_input(40, seed=3)
    rows = np.array([4, 17, 29])
    model = ArdGaussianProcess().fit(X[rows], y[rows], pool=X)
    mean, std = model.predict(X[rows])
    assert np.abs(mean - y[rows]).max() < 0.1 * np.ptp(y[rows])
    assert std.max() < 0.5 * y[rows].std()


def test_length_scales_are_in_units_of_each_inputs_range_over_the_pool():
    X, y = smooth_with_an_irrelevant_input()
    in_metres = X * np.array([1.0, 1000.0, 1.0]) + np.array([0.0, 0.0, 273.15])
    rows = np.arange(20)
    plain = ArdGaussianProcess().fit(X[rows], y[rows], pool=X)
    rescaled = ArdGaussianProcess().fit(in_metres[rows], y[rows], pool=in_metres)
    assert rescaled.hyperparameters == pytest.approx(plain.hyperparameters, rel=1e-6)


def test_a_refit_with_fixed_hyperparameters_reproduces_the_predictions():
    X, y = smooth_with_an_irrelevant_input(80, seed=1)
    rows = np.arange(25)
    fitted = make_surrogate("gp-ard", {"numeric": slice(0, 3)}).fit_pool(X, rows, y[rows])
    again = make_surrogate("gp-ard", {"numeric": slice(0, 3)})
    again.hyperparameters = fitted.hyperparameters
    again.fit_pool(X, rows, y[rows], optimize=False)
    assert again.hyperparameters == pytest.approx(fitted.hyperparameters)
    for a, b in zip(fitted.predict_pool(), again.predict_pool(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_hyperparameters_that_do_not_fit_the_model_are_refused():
    model = ArdGaussianProcess()
    with pytest.raises(ValueError, match="lengthscale_0"):
        model.hyperparameters = {"amplitude": 1.0, "noise": 0.1, "lengthscale": 1.0}
    with pytest.raises(ValueError, match="positive"):
        model.hyperparameters = {"amplitude": 1.0, "noise": -0.1, "lengthscale_0": 1.0}
    model.hyperparameters = {"amplitude": 1.0, "noise": 0.1, "lengthscale_0": 1.0}
    X, y = smooth_with_an_irrelevant_input(10)
    with pytest.raises(ValueError, match="3 columns"):
        model.fit(X, y, optimize=False)

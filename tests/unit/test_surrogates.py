"""Surrogate models: kernels by hand, GP sanity, the pool fast path, warm starts, the forest."""

import numpy as np
import pytest
from scipy import sparse

from dashboard.engine.active_learning.gaussian_process import GaussianProcess
from dashboard.engine.active_learning.kernels import Stationary, Tanimoto
from dashboard.engine.active_learning.surrogates import (
    AutoSurrogate,
    RandomForest,
    default_model,
    make_surrogate,
)


def sine_data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 6, (n, 1))
    return X, np.sin(X[:, 0]) + 0.1 * X[:, 0]


def test_tanimoto_of_two_fingerprints_by_hand():
    kernel = Tanimoto(slice(0, 4))
    A = sparse.csr_matrix(np.array([[1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], dtype=np.float32))
    similarity = kernel.base(A, A)
    assert similarity[0, 1] == pytest.approx(1 / 3)  # 1 shared bit / (2 + 2 - 1)
    assert similarity[0, 0] == 1.0
    assert similarity[2, 2] == 1.0  # two empty fingerprints count as identical
    assert similarity[0, 2] == 0.0


@pytest.mark.parametrize(
    ("nu", "at_one_lengthscale"),
    [
        (0.5, np.exp(-1)),
        (1.5, (1 + np.sqrt(3)) * np.exp(-np.sqrt(3))),
        (2.5, (1 + np.sqrt(5) + 5 / 3) * np.exp(-np.sqrt(5))),
        (np.inf, np.exp(-0.5)),
    ],
)
def test_stationary_kernels_by_hand_and_their_lengthscale_gradient(nu, at_one_lengthscale):
    kernel = Stationary(slice(0, 1), nu, standardize=False)
    value, _ = kernel.kernel(np.array([4.0]), 2.0)  # squared distance 4 = (one lengthscale)²
    assert value[0] == pytest.approx(at_one_lengthscale)
    step = 1e-6
    up = kernel.kernel(np.array([3.0]), np.exp(np.log(1.3) + step))[0][0]
    down = kernel.kernel(np.array([3.0]), np.exp(np.log(1.3) - step))[0][0]
    assert kernel.kernel(np.array([3.0]), 1.3, with_grad=True)[1][0] == pytest.approx(
        (up - down) / (2 * step), rel=1e-6
    )


def test_gp_interpolates_with_small_sigma_at_data_and_large_sigma_far_away():
    X, y = sine_data()
    gp = GaussianProcess([Stationary(slice(0, 1), 2.5)]).fit(X, y)
    mean, std = gp.predict(X)
    assert np.abs(mean - y).max() < 0.01
    assert std.max() < 0.05 * y.std()
    _, far = gp.predict(np.array([[60.0]]))
    assert far[0] > 0.5 * y.std()


def test_log_marginal_likelihood_gradient_matches_finite_differences():
    X, y = sine_data(30)
    gp = GaussianProcess([Stationary(slice(0, 1), 1.5), Stationary(slice(0, 1), np.inf)])
    gp.fit(X, y)
    bases = [gp._bases[i][np.ix_(gp._slot[gp._rows], gp._rows)].astype(float) for i in range(2)]
    standard = (y - y.mean()) / y.std()
    theta = np.log([0.7, 1.2, 0.4, 2.0, 0.05])
    _, gradient = gp._negative_log_likelihood(theta, bases, standard)
    for i in range(theta.size):
        shift = np.zeros_like(theta)
        shift[i] = 1e-6
        up = gp._negative_log_likelihood(theta + shift, bases, standard)[0]
        down = gp._negative_log_likelihood(theta - shift, bases, standard)[0]
        assert gradient[i] == pytest.approx((up - down) / 2e-6, rel=1e-4, abs=1e-6)


def test_growing_and_shrinking_the_measured_rows_matches_a_fresh_fit():
    X, y = sine_data(200, seed=1)
    grown = GaussianProcess([Stationary(slice(0, 1), 2.5)]).fit_pool(X, np.arange(30), y[:30])
    fresh = GaussianProcess([Stationary(slice(0, 1), 2.5)])
    for rows in (np.arange(45), np.arange(35)):
        grown.fit_pool(X, rows, y[rows], optimize=False)
        fresh.hyperparameters = grown.hyperparameters
        fresh.fit_pool(X, rows, y[rows], optimize=False)
        for a, b in zip(grown.predict_pool(), fresh.predict_pool(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-7, atol=1e-9)


def test_pool_predictions_agree_with_plain_predictions():
    X, y = sine_data(100, seed=2)
    gp = GaussianProcess([Stationary(slice(0, 1), 2.5)]).fit_pool(X, np.arange(20), y[:20])
    for a, b in zip(gp.predict_pool(), gp.predict(X), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-8, atol=1e-10)


def test_hyperparameters_warm_start_the_next_fit_and_stay_when_fixed():
    X, y = sine_data()
    gp = GaussianProcess([Stationary(slice(0, 1), 2.5)]).fit(X, y)
    fitted = gp.hyperparameters
    assert set(fitted) == {"matern52.amplitude", "matern52.lengthscale", "noise"}
    fixed = {**fitted, "noise": 0.01}
    gp.hyperparameters = fixed
    gp.fit_pool(X, np.arange(len(y)), y, optimize=False)
    assert gp.hyperparameters == pytest.approx(fixed)


def test_hyperparameters_with_wrong_names_are_refused():
    gp = GaussianProcess([Tanimoto(slice(0, 4))])
    with pytest.raises(ValueError, match="hyperparameters must be"):
        gp.hyperparameters = {"lengthscale": 1.0}


def test_believer_shrinks_sigma_at_the_pick_and_leaves_far_candidates_alone():
    X = np.linspace(0, 10, 101)[:, None]
    y = np.sin(X[:, 0])
    rows = np.arange(0, 101, 10)
    gp = GaussianProcess([Stationary(slice(0, 1), 2.5)]).fit_pool(X, rows, y[rows])
    _, before = gp.predict_pool()
    candidates = np.setdiff1d(np.arange(101), rows)
    after = gp.believer(candidates)(int(np.flatnonzero(candidates == 5)[0]))
    assert after[candidates == 5][0] < 0.2 * before[5]
    assert after[candidates == 95][0] == pytest.approx(before[95], rel=1e-6)
    assert np.all(after <= before[candidates] + 1e-12)


def test_random_forest_sigma_is_the_spread_of_its_trees():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = X[:, 0] * 2 + rng.normal(scale=0.1, size=80)
    forest = RandomForest(n_estimators=20).fit(X, y)
    mean, std = forest.predict(X[:5])
    trees = np.stack([t.predict(X[:5]) for t in forest.forest.estimators_]) * y.std() + y.mean()
    np.testing.assert_allclose(mean, trees.mean(axis=0))
    np.testing.assert_allclose(std, trees.std(axis=0))


def test_factory_builds_each_model_and_picks_a_default_per_kind_of_features():
    molecules = {"ecfp": slice(0, 8), "descriptors": slice(8, 12)}
    assert default_model(molecules) == "gp-tanimoto-rbf"
    assert default_model({"ecfp": slice(0, 8)}) == "gp-tanimoto"
    assert default_model({"magpie": slice(0, 5)}) == "rf"
    assert default_model({"numeric": slice(0, 5)}) is None  # chosen from the measured rows
    assert make_surrogate("auto", molecules).name == "gp-tanimoto-rbf"
    assert make_surrogate("gp", {"numeric": slice(0, 2)}).name == "gp-matern52"
    assert make_surrogate("rf", molecules).name == "rf"
    with_numbers = make_surrogate("gp-tanimoto", {"ecfp": slice(0, 8), "numeric": slice(8, 9)})
    assert [part.label for part in with_numbers.parts] == ["tanimoto", "rbf"]


def test_factory_explains_what_a_model_needs():
    with pytest.raises(ValueError, match="unknown model"):
        make_surrogate("svm", {"numeric": slice(0, 2)})
    with pytest.raises(ValueError, match="ECFP"):
        make_surrogate("gp-tanimoto", {"magpie": slice(0, 5)})
    with pytest.raises(ValueError, match="descriptors"):
        make_surrogate("gp-tanimoto-rbf", {"ecfp": slice(0, 8)})


def test_auto_for_numeric_features_chooses_among_ard_forest_and_isotropic_gp():
    auto = make_surrogate("auto", {"numeric": slice(0, 3)})
    assert isinstance(auto, AutoSurrogate)
    assert list(auto.candidates) == ["gp-ard", "rf", "gp-matern52"]
    assert auto.name == "gp-ard"  # the prior default, before any row is measured


def test_auto_leaves_ard_out_where_it_does_not_apply():
    mixed = {"ecfp:ligand": slice(0, 64), "numeric": slice(64, 66)}
    assert list(make_surrogate("auto", {"numeric": slice(0, 200)}).candidates) == [
        "rf",
        "gp-matern52",
    ]
    with pytest.raises(ValueError, match="length scale per input"):
        make_surrogate("gp-ard", mixed)


def test_auto_hyperparameters_name_the_choice_and_load_old_saved_ones():
    X, y = sine_data(30)
    auto = make_surrogate("auto", {"numeric": slice(0, 1)}).fit(X, y)
    values = auto.hyperparameters
    assert values["auto.model"] == ["gp-ard", "rf", "gp-matern52"].index(auto.name)
    assert values["auto.checked_at"] == 30
    old = make_surrogate("gp-matern52", {"numeric": slice(0, 1)}).fit(X, y).hyperparameters
    restored = make_surrogate("auto", {"numeric": slice(0, 1)})
    restored.hyperparameters = old  # saved when auto meant the isotropic GP
    assert restored.name == "gp-matern52"
    with pytest.raises(ValueError, match="auto.model"):
        restored.hyperparameters = {**values, "auto.model": 7.0}

"""Feature importances of the target models: a boosting model's shuffles skip the columns it
never splits on, which is exact (their importance is 0) and many times faster."""

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor
from sklearn.inspection import permutation_importance

from dashboard.engine.transfer.models import (
    SplittableColumnsBooster,
    _split_features,
    feature_importances,
)


def _booster_and_rows():
    """A booster on 40 columns of which 30 are constant on the training rows (as most
    fingerprint bits are), and a target of the first two."""
    rng = np.random.default_rng(0)
    X = np.zeros((200, 40))
    X[:, :10] = rng.normal(size=(200, 10))
    y = 2 * X[:, 0] + X[:, 1] ** 2 + 0.1 * rng.normal(size=200)
    model = HistGradientBoostingRegressor(max_iter=50, random_state=0).fit(X[:150], y[:150])
    test = X[150:].copy()
    test[:, 10:] = rng.integers(0, 2, size=(50, 30))
    return model, test, y[150:]


def test_the_split_features_are_the_columns_whose_shuffle_changes_a_prediction():
    model, X, _ = _booster_and_rows()
    rng = np.random.default_rng(1)
    changes = set()
    for column in range(X.shape[1]):
        shuffled = X.copy()
        shuffled[:, column] = rng.permutation(X[:, column])
        if not np.array_equal(model.predict(shuffled), model.predict(X)):
            changes.add(column)
    split = set(_split_features(model, X.shape[1]).tolist())
    assert changes <= split <= set(range(10))
    assert {0, 1} <= changes


def test_boosting_importances_agree_with_a_full_shuffle():
    model, X, y = _booster_and_rows()
    ours = feature_importances(model, X, y, seed=3)
    full = permutation_importance(model, X, y, n_repeats=20, random_state=3).importances_mean
    assert np.all(ours[10:] == 0.0) and np.all(full[10:] == 0.0)
    assert list(np.argsort(ours)[-2:]) == list(np.argsort(full)[-2:])
    assert np.allclose(ours[:2], full[:2], rtol=0.3)


def test_forests_keep_their_impurity_importances():
    model, X, y = _booster_and_rows()
    forest = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, y)
    assert np.array_equal(feature_importances(forest, X, y, 0), forest.feature_importances_)


def test_boosting_on_the_splittable_columns_predicts_as_boosting_on_all():
    """gbr drops the columns its trees cannot split (constant, or fewer than 20 rows away from
    the most common value): the same model, fewer histograms; its split features are reported
    as columns of the whole table."""
    rng = np.random.default_rng(4)
    X = np.zeros((120, 30))
    X[:, [2, 7, 19]] = rng.normal(size=(120, 3))
    X[100:, 25] = 1.0  # constant on the training rows, set on the test rows
    X[:19, 11] = 1.0  # a bit set in 19 training rows: no split leaves 20 rows on both sides
    X[:20, 12] = 1.0  # in 20: splittable
    X[:, 13] = np.where(np.arange(120) < 19, rng.normal(size=120), 5.0)  # 19 rows off the mode
    y = X[:, 2] - 2 * X[:, 19] + X[:, 11] + X[:, 12] + 0.1 * rng.normal(size=120)
    ours = SplittableColumnsBooster(max_iter=60, random_state=0).fit(X[:100], y[:100])
    plain = HistGradientBoostingRegressor(
        max_iter=60, learning_rate=0.05, early_stopping=False, random_state=0
    ).fit(X[:100], y[:100])
    assert ours.columns_.tolist() == [2, 7, 12, 19]
    np.testing.assert_array_equal(ours.predict(X[100:]), plain.predict(X[100:]))
    assert set(_split_features(ours, 30).tolist()) == set(_split_features(plain, 30).tolist())
    assert ours.predict(np.zeros((1, 30))).shape == (1,)
    assert SplittableColumnsBooster(max_iter=5).fit(
        np.ones((10, 3)), np.arange(10.0)
    ).columns_.tolist() == [0]

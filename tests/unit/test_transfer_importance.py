"""Feature importances of the target models: a boosting model's shuffles skip the columns it
never splits on, which is exact (their importance is 0) and many times faster."""

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor
from sklearn.inspection import permutation_importance

from dashboard.engine.transfer.models import _split_features, feature_importances


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

"""Feature importances of the target models: the forests' impurity decrease, and for boosting
the split gain of each column over its trees (shares summing to 1)."""

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor

from dashboard.engine.transfer.models import (
    SplittableColumnsBooster,
    feature_importances,
    split_gains,
)


def _rows():
    """40 columns of which 30 are constant on the training rows (as most fingerprint bits
    are), and a target of the first two."""
    rng = np.random.default_rng(0)
    X = np.zeros((200, 40))
    X[:, :10] = rng.normal(size=(200, 10))
    y = 2 * X[:, 0] + X[:, 1] ** 2 + 0.1 * rng.normal(size=200)
    return X, y


def _split_columns(booster: HistGradientBoostingRegressor) -> set[int]:
    return {
        int(feature)
        for trees in booster._predictors
        for tree in trees
        for feature in tree.nodes["feature_idx"][~tree.nodes["is_leaf"].astype(bool)]
    }


def test_split_gains_are_shares_on_the_split_columns_led_by_the_drivers():
    X, y = _rows()
    booster = HistGradientBoostingRegressor(max_iter=50, random_state=0).fit(X, y)
    gains = split_gains(booster, X.shape[1])
    assert np.isclose(gains.sum(), 1.0) and np.all(gains >= 0)
    assert set(np.flatnonzero(gains).tolist()) == _split_columns(booster)
    assert set(np.argsort(gains)[-2:].tolist()) == {0, 1}
    assert gains[0] > 0.5  # the linear driver carries most of the squared error


def test_every_target_model_gives_importances_for_every_column():
    X, y = _rows()
    forest = ExtraTreesRegressor(n_estimators=10, random_state=0).fit(X, y)
    assert np.array_equal(feature_importances(forest), forest.feature_importances_)
    booster = SplittableColumnsBooster(max_iter=50).fit(X, y)
    importances = feature_importances(booster)
    assert importances.shape == (40,) and np.all(importances[10:] == 0.0)
    assert set(np.argsort(importances)[-2:].tolist()) == {0, 1}


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
    np.testing.assert_array_equal(
        np.flatnonzero(ours.feature_importances_),
        sorted(ours.columns_[list(_split_columns(ours.booster_))]),
    )
    assert _split_columns(plain) == set(ours.columns_[list(_split_columns(ours.booster_))].tolist())
    assert ours.predict(np.zeros((1, 30))).shape == (1,)
    assert SplittableColumnsBooster(max_iter=5).fit(
        np.ones((10, 3)), np.arange(10.0)
    ).columns_.tolist() == [0]

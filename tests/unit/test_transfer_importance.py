"""Feature importances of the target models: the forests' impurity decrease, and for boosting
the split gain of each column over its trees (shares summing to 1)."""

import numpy as np
from sklearn.ensemble import ExtraTreesRegressor, HistGradientBoostingRegressor

from dashboard.engine.transfer.models import (
    MIN_COLUMNS,
    MedianForest,
    SplittableColumns,
    feature_importances,
    important_columns,
    make_target_model,
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
    for name in ("et-median", "et", "rf", "gbr"):
        importances = feature_importances(make_target_model(name, seed=0).fit(X, y))
        assert importances.shape == (40,) and np.all(importances[10:] == 0.0), name
        assert np.isclose(importances.sum(), 1.0), name
        assert set(np.argsort(importances)[-2:].tolist()) == {0, 1}, name


def _booster(max_iter: int) -> SplittableColumns:
    plain = HistGradientBoostingRegressor(
        max_iter=max_iter, learning_rate=0.05, early_stopping=False, random_state=0
    )
    return SplittableColumns(plain, min_samples_leaf=20)


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
    ours = _booster(60).fit(X[:100], y[:100])
    plain = ours.estimator.fit(X[:100], y[:100])
    assert ours.columns_.tolist() == [2, 7, 12, 19]
    np.testing.assert_array_equal(ours.predict(X[100:]), plain.predict(X[100:]))
    np.testing.assert_array_equal(
        np.flatnonzero(ours.feature_importances_),
        sorted(ours.columns_[list(_split_columns(ours.estimator_))]),
    )
    assert _split_columns(plain) == set(
        ours.columns_[list(_split_columns(ours.estimator_))].tolist()
    )
    assert ours.predict(np.zeros((1, 30))).shape == (1,)
    assert _booster(5).fit(np.ones((10, 3)), np.arange(10.0)).columns_.tolist() == [0]


def test_a_forest_on_the_varying_columns_predicts_from_the_whole_table():
    """A forest drops the columns constant on its training rows (leaves of one row can split
    on any other); it is given and asked about rows of every column."""
    X, y = _rows()
    X[150:, 30] = 1.0  # constant on the training rows, set on the test rows
    forest = make_target_model("et-median", seed=0).fit(X[:150], y[:150])
    assert forest.columns_.tolist() == list(range(10))
    predicted = forest.predict(X[150:])
    assert predicted.shape == (50,)
    assert np.mean(np.abs(predicted - y[150:])) < 0.5 * np.mean(np.abs(y[150:] - y[:150].mean()))


def test_the_median_forest_predicts_the_median_of_its_trees():
    X, y = _rows()
    forest = MedianForest(n_estimators=15, max_features=0.5).fit(X[:150], y[:150])
    trees = [tree.predict(X[150:]) for tree in forest.forest_.estimators_]
    np.testing.assert_array_equal(forest.predict(X[150:]), np.median(trees, axis=0))


def test_the_median_forest_leaves_out_the_columns_of_little_use():
    """Five columns make the target, 200 bits set in a row or two each (as most fingerprint
    bits are) are noise: the forest that is kept is fitted on the columns a first forest found
    useful, all five among them and a quarter fewer than vary, and predicts from them alone."""
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.normal(size=(300, 5)), rng.random((300, 200)) < 0.005])
    y = X[:, :5] @ np.array([3.0, -2.0, 2.0, 1.5, 1.0]) + 0.1 * rng.normal(size=300)
    forest = MedianForest(n_estimators=30, n_jobs=2).fit(X[:240], y[:240])
    assert set(range(5)) <= set(forest.columns_.tolist())
    assert forest.columns_.size <= 0.75 * np.sum(X[:240].std(axis=0) > 0)
    assert forest.forest_.n_features_in_ == forest.columns_.size
    outside = np.setdiff1d(np.arange(205), forest.columns_)
    assert np.all(forest.feature_importances_[outside] == 0.0)
    assert np.isclose(forest.feature_importances_.sum(), 1.0)
    rows = X[240:, forest.columns_].astype(np.float32)
    trees = [tree.predict(rows) for tree in forest.forest_.estimators_]
    np.testing.assert_array_equal(forest.predict(X[240:]), np.median(trees, axis=0))


def test_a_narrow_or_short_table_keeps_every_column():
    assert important_columns(np.r_[0.9, 0.05, 0.03, 0.02]).tolist() == [0, 1, 2, 3]
    assert important_columns(np.zeros(50)).size == 50  # nothing learnt: nothing left out
    skewed = np.r_[np.full(10, 0.0995), np.full(90, 0.005 / 90)]
    assert important_columns(skewed).size == MIN_COLUMNS  # the ten, then the next most useful
    X, y = _rows()
    assert MedianForest(n_estimators=10).fit(X[:15], y[:15]).columns_.size == 40  # no hold-out
    assert MedianForest(n_estimators=10, max_features=0.5).fit(X, y).columns_.size == 40

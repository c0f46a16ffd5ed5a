"""The models of transfer learning: the source models and the target models, built by name.

Source: histogram gradient boosting for large sources (fast on 100k rows, and more accurate
there than a forest of the same cost), extra trees for small ones (few rows leave boosting
little to gain and forests need no tuning). When the source column is zero-inflated (band gaps:
metals are exactly 0), a classifier of "source value ≠ 0" gives a second latent variable, the
probability that the source calls the material a non-metal.

Target: the default predicts the median of an extra-trees forest's trees rather than their
mean. The median is the point with the least expected absolute error under the forest's spread,
so a material most trees call a metal gets exactly 0 instead of a small positive average; on
the Matbench folds of matbench_expt_gap the same LV forest gave 0.297 eV with the trees' mean
and 0.244 with their median. It leaves out the columns a first, smaller forest found of little
use (IMPORTANCE_SHARE): on molecules' fingerprints that makes a fit about twice as fast, with
the same MAE.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestRegressor,
)

from dashboard.engine.transfer.tuning import best_candidate

TARGET_MODELS: dict[str, str] = {
    "et-median": (
        "extra trees, median of 200 trees on the useful columns (lowest MAE; tuned on the "
        "training rows)"
    ),
    "et": "extra trees, mean of 100 trees, a third of the features per split",
    "rf": "random forest, 40 trees, a third of the features per split",
    "gbr": "histogram gradient boosting (150 rounds, learning rate 0.1)",
}
"""Target models of the latent-variable approach and of every baseline; the first one is the
default (it won `python -m dashboard bench transfer --matbench`). The other three are there to
compare, and sized so that a switch to one retrains both its models (baseline and LV) in under
2 s on a Matbench split of 3,683 training rows with 2 cores (1.5-1.7 s measured). Mean MAE of
baseline and LV, the earlier size -> this one (fit of one model on a Matbench split):
- et (all features per split): Matbench folds 0.344, 0.293 -> 0.351, 0.296 eV (2.1 -> 0.8 s);
  FreeSolv, all rows, three splits 0.559, 0.533 -> 0.573, 0.546 kcal/mol; qm9 gap from LUMO,
  2,000 training rows, three splits 0.277, 0.268 -> 0.283, 0.272 eV;
- rf (100 trees): 0.388, 0.315 -> 0.391, 0.316 (1.9 -> 0.9 s); 0.660, 0.627 -> 0.671, 0.642;
  0.298, 0.280 -> 0.302, 0.283;
- gbr (500 rounds at 0.05): 0.375, 0.315 -> 0.383, 0.320 (2.3 -> 0.7 s); 0.617, 0.612 -> 0.633,
  0.606; 0.279, 0.268 -> 0.282, 0.271.
`python -m dashboard bench transfer --matbench` prints the switch for each model."""
DEFAULT_TARGET_MODEL = next(iter(TARGET_MODELS))

MAX_FEATURES = (0.2, 0.4)
"""Shares of the features an extra-trees split may look at; the median forest picks one on a
held-out part of its training rows (few features per split suit many correlated features)."""
_SELECTION_TREES = 50
IMPORTANCE_SHARE = 0.1
"""The median forest leaves out a column whose importance (impurity decrease) in the chosen
candidate forest, fitted on three quarters of the training rows, is below this share of the
mean: on fingerprints most bits seldom help a split and only slow every one down. Mean test MAE
(baseline, LV) with all columns -> the useful ones, and the time of a fit (2 cores):
- qm9's gap with its LUMO, three repeats, 2,000 test rows: 500 training rows 0.343, 0.292 ->
  0.344, 0.294 eV (2.8 -> 1.7 s); 2,000 rows 0.278, 0.237 -> 0.276, 0.236 (21.8 -> 8.5 s, of
  2,222 columns about 480 kept); 4,000 rows 0.249, 0.210 -> 0.250, 0.209 (45.7 -> 20.3 s);
  with its HOMO, 1,000 rows 0.310, 0.285 -> 0.310, 0.285 (4.1 -> 2.9 s);
- FreeSolv's calculated -> measured energies, six repeats, 128 test molecules: 51 training
  rows 1.358, 1.208 -> 1.334, 1.185 kcal/mol; 128 rows 0.997, 0.840 -> 0.981, 0.838; 513 rows
  0.603, 0.531 -> 0.603, 0.525 (1.8 -> 1.0 s, of 1,308 columns about 300 kept);
- Matbench's five folds (145 composition features, about 130 kept): 0.287, 0.244 -> 0.286,
  0.245 eV (two seeds of the trees gave 0.244 and 0.245 before);
- reaction tables, one-hot components, no source, three repeats: Buchwald-Hartwig (44
  columns) keeps them all (MAE 6.03 % yield on 3,164 rows either way); direct arylation (22
  columns), 100 rows 10.08 -> 10.07.
A quarter of the mean, tried first, was faster on molecules (qm9, 2,000 rows: 5.4 s a fit) but
left out 3 to 6 of Buchwald-Hartwig's one-hot columns that matter for the few reactions with
them: MAE 6.03 -> 7.03 on 3,164 rows, 9.81 -> 10.56 on 500. Choosing between all columns and the
useful ones on the held-out quarter flipped between splits (FreeSolv: half of the fits kept
every column) and gained nothing in MAE. The times with all columns were measured about an
hour before the others, and this machine's speed varies by up to 40 % by the hour; in one run,
alternated, a fit on qm9's 2,000 rows took 13.0-14.2 s with all columns and 5.3-5.8 s with the
useful ones, on 4,000 rows 40.7-46.6 and 13.9-22.4 s."""
MIN_COLUMNS = 20
"""The median forest keeps at least this many columns (all of a narrower table)."""

LARGE_SOURCE_ROWS = 5_000
"""From this many source rows on, the source models are gradient boosting, else extra trees."""
ZERO_SHARE = 0.05
"""A source column with at least this share of zeros (and of non-zeros) is zero-inflated."""

SOURCE_PARAMS: dict[str, dict[str, object]] = {
    "large-regressor": {
        "max_iter": 200,
        "learning_rate": 0.2,
        "max_leaf_nodes": 63,
        "min_samples_leaf": 20,
    },
    "large-classifier": {"max_iter": 100, "learning_rate": 0.2, "max_leaf_nodes": 31},
    "small": {"n_estimators": 100, "max_features": 1.0},
}
"""Settings of the source models (part of their cache key). On the 106k DFT gaps the large
regressor trains in 17 s on one core, about a seventh of 500 rounds of 255 leaves, for latent
variables as good (Matbench folds, LV MAE 0.253 against 0.250 eV in a trial with a median
forest of all features per split). It is fitted on the columns its leaves of 20 rows can split
(`SplittableColumns`, the same predictions): on 8,000 of qm9's molecules 1,829 of 2,269
columns, 21.5 s a fit instead of 31.1."""


class MedianForest(RegressorMixin, BaseEstimator):
    """Extra trees that predict the median of their trees; `max_features=None` chooses it from
    MAX_FEATURES by the MAE on a held-out quarter of the training rows, and leaves out of the
    forest the columns the chosen candidate found unimportant (`important_columns`)."""

    def __init__(
        self,
        n_estimators: int = 200,
        max_features: float | None = None,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> None:
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X: np.ndarray, y: np.ndarray) -> MedianForest:
        share, columns = self.max_features, np.arange(X.shape[1])
        if share is None:
            candidates = {
                value: MedianForest(_SELECTION_TREES, value, self.random_state, self.n_jobs)
                for value in MAX_FEATURES
            }
            share = best_candidate(candidates, X, y, self.random_state)
            importances = getattr(candidates[share], "feature_importances_", None)
            if importances is not None:  # None: too few rows to hold any out, nothing fitted
                columns = important_columns(importances)
        self.max_features_, self.columns_ = share, columns
        self.forest_ = ExtraTreesRegressor(
            n_estimators=self.n_estimators,
            max_features=share,
            n_jobs=self.n_jobs,
            random_state=self.random_state,
        ).fit(X[:, columns], y)
        self.feature_importances_ = np.zeros(X.shape[1])
        self.feature_importances_[columns] = self.forest_.feature_importances_
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The median of the trees' predictions. The rows are made float32 once (trees split
        on float32 values, so the predictions are the same), not checked and converted once a
        tree: that took most of a prediction, 0.13 s against 0.02 s for 513 rows of 2,269
        fingerprint columns."""
        rows = np.ascontiguousarray(np.asarray(X)[:, self.columns_], dtype=np.float32)
        trees = [tree.predict(rows, check_input=False) for tree in self.forest_.estimators_]
        return np.median(np.stack(trees), axis=0)


def important_columns(importances: np.ndarray) -> np.ndarray:
    """The columns whose importance is at least IMPORTANCE_SHARE of the mean, and at least the
    MIN_COLUMNS most important ones (all of them when every importance is 0)."""
    keep = importances >= IMPORTANCE_SHARE * importances.mean()
    floor = min(MIN_COLUMNS, importances.size)
    if keep.sum() < floor:
        keep[np.argsort(-importances, kind="stable")[:floor]] = True
    return np.flatnonzero(keep)


def splittable_columns(X: np.ndarray, min_samples_leaf: int) -> np.ndarray:
    """The columns of X a tree with leaves of at least `min_samples_leaf` rows can split on:
    those where at least that many rows differ from the column's most common value. In any
    other column the rows of that value fall on one side of every split, which leaves fewer
    than `min_samples_leaf` rows on the other, so no tree of a booster trained on X (or on
    some of its rows) ever splits there. At least one column is kept, so a table with none
    still fits (to the mean)."""
    X = np.asarray(X, dtype=float)
    rows = X.shape[0]
    keep = [
        j
        for j in range(X.shape[1])
        if rows - np.unique(X[:, j], return_counts=True)[1].max() >= min_samples_leaf
    ]
    return np.array(keep, dtype=int) if keep else np.arange(min(1, X.shape[1]))


class SplittableColumns(RegressorMixin, BaseEstimator):
    """A tree model fitted on the columns its trees can split (`splittable_columns`), for the
    same model and predictions at a fraction of the cost on fingerprints, where most bits are
    constant on the training rows or set in a few of them. `min_samples_leaf` is the
    estimator's own.

    Boosting (leaves of 20): FreeSolv's 513 training rows, 2,269 columns of which 1,307 vary
    and 210 can split, 16.0 s a fit on every column, 8.6 on the varying ones, 1.4 on the
    splittable ones. Forests (leaves of 1) keep the varying columns: a forest looks at each
    column it draws before it knows the column is constant there. The fits of the page's
    learning curve on the demo (30 median forests of 26 to 513 rows, fitted in turn with the
    fits on every column) took 17.5 s instead of 20.2 (28.1 s of CPU instead of 34.1), mean
    MAE 0.988 against 0.999 kcal/mol; with all of FreeSolv's rows, ten 80/20 splits, baseline
    and LV 0.597 and 0.576 against 0.595 and 0.583 (the columns drawn differ, so the trees
    do too)."""

    def __init__(self, estimator: RegressorMixin, min_samples_leaf: int = 1) -> None:
        self.estimator = estimator
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: np.ndarray, y: np.ndarray) -> SplittableColumns:
        X = np.asarray(X, dtype=float)
        self.n_features_in_ = X.shape[1]
        self.columns_ = splittable_columns(X, self.min_samples_leaf)
        self.estimator_ = clone(self.estimator).fit(X[:, self.columns_], y)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.estimator_.predict(np.asarray(X, dtype=float)[:, self.columns_])

    @property
    def feature_importances_(self) -> np.ndarray:
        """The estimator's importances as columns of the whole table (0 where it never split).
        Boosting's are its split gains (`split_gains`), as the forests' are their impurity
        decrease, where shuffling each split column took 1.5 s a fit on a Matbench split (R²
        lost on 300 rows, two shuffles of each)."""
        fitted = self.estimator_
        if isinstance(fitted, HistGradientBoostingRegressor):
            shares = split_gains(fitted, self.columns_.size)
        else:
            shares = fitted.feature_importances_
        importances = np.zeros(self.n_features_in_)
        importances[self.columns_] = shares
        return importances


BOOSTER_LEAF = 20
"""Fewest rows in a leaf of the gbr target model: scikit-learn's default, kept."""


def make_target_model(name: str, seed: int, n_jobs: int = 1) -> RegressorMixin:
    """A fresh, unfitted target model by name (see TARGET_MODELS), on the columns it can split."""
    if name == "et-median":
        return SplittableColumns(MedianForest(random_state=seed, n_jobs=n_jobs))
    if name == "et":
        forest = ExtraTreesRegressor(
            n_estimators=100, max_features=1 / 3, n_jobs=n_jobs, random_state=seed
        )
        return SplittableColumns(forest)
    if name == "rf":
        forest = RandomForestRegressor(
            n_estimators=40, max_features=1 / 3, n_jobs=n_jobs, random_state=seed
        )
        return SplittableColumns(forest)
    if name == "gbr":
        booster = HistGradientBoostingRegressor(
            max_iter=150,
            learning_rate=0.1,
            min_samples_leaf=BOOSTER_LEAF,
            early_stopping=False,
            random_state=seed,
        )
        return SplittableColumns(booster, BOOSTER_LEAF)
    raise ValueError(f"unknown target model {name!r}; choose one of {', '.join(TARGET_MODELS)}")


def make_source_regressor(n_rows: int, seed: int, n_jobs: int = 1) -> RegressorMixin:
    """The source model of the source column for a source of `n_rows` rows."""
    if n_rows >= LARGE_SOURCE_ROWS:
        params = SOURCE_PARAMS["large-regressor"]
        booster = HistGradientBoostingRegressor(**params, early_stopping=False, random_state=seed)
        return SplittableColumns(booster, int(params["min_samples_leaf"]))
    return ExtraTreesRegressor(**SOURCE_PARAMS["small"], n_jobs=n_jobs, random_state=seed)


def make_source_classifier(n_rows: int, seed: int, n_jobs: int = 1) -> ClassifierMixin:
    """The classifier of "source value ≠ 0" for a zero-inflated source column."""
    if n_rows >= LARGE_SOURCE_ROWS:
        params = SOURCE_PARAMS["large-classifier"]
        return HistGradientBoostingClassifier(**params, early_stopping=False, random_state=seed)
    return ExtraTreesClassifier(**SOURCE_PARAMS["small"], n_jobs=n_jobs, random_state=seed)


def is_zero_inflated(y: np.ndarray) -> bool:
    """Whether both exact zeros and other values make up at least ZERO_SHARE of `y`."""
    zeros = float(np.mean(y == 0.0))
    return ZERO_SHARE <= zeros <= 1.0 - ZERO_SHARE


def feature_importances(model: RegressorMixin) -> np.ndarray:
    """Importance of each feature of a fitted target model: its share of the trees' total
    decrease of the squared error (impurity for the forests, split gain for boosting)."""
    return np.asarray(model.feature_importances_, dtype=float)


def split_gains(booster: HistGradientBoostingRegressor, n_features: int) -> np.ndarray:
    """The total split gain of each feature over every tree of a fitted histogram booster, as a
    share of their sum (zeros when no tree splits). scikit-learn has no public accessor for the
    trees of histogram boosting (nor feature_importances_), so this reads its `_predictors`; the
    version is pinned in requirements.txt and a test checks the gains against the splits."""
    gains = np.zeros(n_features)
    for trees in booster._predictors:
        for tree in trees:
            split = ~tree.nodes["is_leaf"].astype(bool)
            np.add.at(gains, tree.nodes["feature_idx"][split], tree.nodes["gain"][split])
    total = gains.sum()
    return gains / total if total > 0 else gains

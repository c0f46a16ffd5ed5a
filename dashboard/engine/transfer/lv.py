"""The latent variables: what source models say about every usable target row.

A source regressor learns the source column from the structure features of the source rows;
its prediction is the first latent variable. When the source column is zero-inflated (band
gaps, where metals are exactly 0), a classifier's probability of "≠ 0" is a second one.
When source and target are different tables, the source models train on all usable source rows,
and a target material that also occurs in the source (the same features, e.g. Fe2O3 and Fe4O6)
gets two more: the mean source value of its source rows ("source value", the prediction for the
others) and a 0/1 "in the source". That is not leakage: the source holds another fidelity of
the property (a DFT gap, not a measured one), known for a new material before it is measured,
and training and test rows are treated alike whatever the split. They are counted in
`n_overlap`. When both are one table (two columns of one file), the target's test rows are
withheld from the source models and the other target rows get out-of-fold predictions, so
training and test rows see latent variables of equal quality and no test row leaks into the
source; a row's own source value would not be known for a test row, so none is looked up.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import KFold

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer.cache import NotCached, TransferCache, cache_key
from dashboard.engine.transfer.data import MIN_SOURCE_ROWS, TransferData
from dashboard.engine.transfer.models import (
    SOURCE_PARAMS,
    is_zero_inflated,
    make_source_classifier,
    make_source_regressor,
)

SOURCE_VALUE = "source value"
IN_SOURCE = "in the source"
SOURCE_SEED = 0
"""The source models' own seed, kept apart from the split seed so a new split reuses them."""
OUT_OF_FOLD_SPLITS = 5


@dataclass(frozen=True)
class LatentVariable:
    """Source-model outputs for the usable target rows: `values` (rows, len(names))."""

    values: np.ndarray
    names: list[str]
    n_source: int
    n_overlap: int
    cached: bool
    seconds: float

    @property
    def start(self) -> np.ndarray:
        """The source's value of each row, where fine-tuning starts: the source column itself
        for a material the source holds, else the source model's prediction."""
        value = [i for i, name in enumerate(self.names) if name.startswith(SOURCE_VALUE)]
        return self.values[:, value[0] if value else 0]


class SourceModels:
    """The source regressor and, for a zero-inflated source column, the "≠ 0" classifier."""

    def __init__(self, n_rows: int, zero_inflated: bool, n_jobs: int) -> None:
        self.regressor = make_source_regressor(n_rows, SOURCE_SEED, n_jobs)
        self.classifier = (
            make_source_classifier(n_rows, SOURCE_SEED, n_jobs) if zero_inflated else None
        )

    def fit(self, X: np.ndarray, y: np.ndarray) -> SourceModels:
        self.regressor.fit(X, y)
        if self.classifier is not None:
            self.classifier.fit(X, y != 0.0)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(rows, 1 or 2): the predicted source value, then P(source value ≠ 0) if classified."""
        columns = [self.regressor.predict(X)]
        if self.classifier is not None:
            columns.append(self.classifier.predict_proba(X)[:, 1])
        return np.column_stack(columns)


def lv_names(source_column: str, zero_inflated: bool, looked_up: bool) -> list[str]:
    """Names of the latent-variable features, in the order of their columns."""
    names = [f"source model: {source_column}"]
    if zero_inflated:
        names.append(f"source model: P({source_column} ≠ 0)")
    if looked_up:
        names += [f"{SOURCE_VALUE}: {source_column}", IN_SOURCE]
    return names


def latent_variable(
    data: TransferData, cache: TransferCache, n_jobs: int = 1, cached_only: bool = False
) -> LatentVariable:
    """The latent variables of `data`'s target rows, from the cache or by training the source
    (NotCached instead, with `cached_only`)."""
    started = time.perf_counter()
    model_key = cache_key(kind="source-models", params=SOURCE_PARAMS, **source_identity(data))
    key = cache_key(kind="latent-variable", model=model_key, **data.target_identity())
    stored = cache.load_arrays("lv", key)
    cached = stored is not None
    if stored is None and cached_only:
        raise NotCached("the source model's outputs for this target are not in the cache")
    if stored is None:
        stored = _compute(data, cache, model_key, n_jobs)
        cache.save_arrays("lv", key, stored)
    values = stored["values"]
    return LatentVariable(
        values=values,
        names=lv_names(data.source_column, bool(stored["zero_inflated"]), values.shape[1] > 2),
        n_source=int(stored["n_source"]),
        n_overlap=int(stored["n_overlap"]),
        cached=cached,
        seconds=time.perf_counter() - started,
    )


def source_training_rows(data: TransferData) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, frame rows) the source models may learn from: the usable source rows, less the
    target's test rows when source and target are one table."""
    X, y, rows = data.source_features
    if data.same_dataset:
        keep = ~np.isin(rows, data.test_frame_rows)
        X, y, rows = X[keep], y[keep], rows[keep]
    if len(y) < MIN_SOURCE_ROWS:
        raise ValueError(
            f"The source '{data.source.title}' has {len(y)} usable rows with a value in "
            f"'{data.source_column}'; at least {MIN_SOURCE_ROWS} are needed to train on."
        )
    return X, y, rows


def source_means(target_X: np.ndarray, source_X: np.ndarray, source_y: np.ndarray) -> np.ndarray:
    """For each target row, the mean source value of the source rows with the same features
    (the same material, e.g. Fe2O3 and Fe4O6, compared after rounding away floating-point
    noise); NaN where the source has none."""
    sums: dict[bytes, list[float]] = {}
    for row, value in zip(_rounded(source_X), source_y, strict=True):
        total = sums.setdefault(row.tobytes(), [0.0, 0])
        total[0] += value
        total[1] += 1
    means = [sums.get(row.tobytes()) for row in _rounded(target_X)]
    return np.array([np.nan if m is None else m[0] / m[1] for m in means])


def _rounded(X: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.round(X, 6) + 0.0)  # + 0.0 turns -0.0 into 0.0


def source_identity(data: TransferData) -> dict:
    """What models trained on the source depend on: its data, and for a shared table the
    withheld test rows."""
    identity = data.identity()
    if data.same_dataset:
        identity["withheld"] = data.target_identity() | {"test": data.test_frame_rows.tolist()}
    return identity


def trained_key(source: Dataset) -> str:
    """The key of the cache's note that source models were trained on `source` (on any of its
    columns), which the first run's estimate reads: cached features say nothing of it, since
    campaigns and the server's warm-up cache them too."""
    return cache_key(kind="source-trained", source=source.content_hash(), params=SOURCE_PARAMS)


def _compute(
    data: TransferData, cache: TransferCache, model_key: str, n_jobs: int
) -> dict[str, np.ndarray]:
    X, y, rows = source_training_rows(data)
    zero_inflated = is_zero_inflated(y)
    models = cache.load_model("source", model_key)
    if not isinstance(models, SourceModels):
        models = SourceModels(len(y), zero_inflated, n_jobs).fit(X, y)
        cache.save_model("source", model_key, models)
    values = models.predict(data.X)
    means = source_means(data.X, X, y)
    n_overlap = int(np.isfinite(means).sum())
    if data.same_dataset:
        _out_of_fold(values, data.target_rows, X, y, rows, zero_inflated, n_jobs)
    elif n_overlap:
        known = np.isfinite(means)
        values = np.column_stack([values, np.where(known, means, values[:, 0]), known])
    cache.save_arrays("trained", trained_key(data.source), {"rows": np.array(len(y))})
    return {
        "values": values,
        "zero_inflated": np.array(zero_inflated),
        "n_source": np.array(len(y)),
        "n_overlap": np.array(n_overlap),
    }


def _out_of_fold(
    values: np.ndarray,
    target_rows: np.ndarray,
    X: np.ndarray,
    y: np.ndarray,
    rows: np.ndarray,
    zero_inflated: bool,
    n_jobs: int,
) -> None:
    """Overwrite the latent variables of target rows the source models were trained on with
    those of models that did not see them (K-fold over the source rows)."""
    position = {row: i for i, row in enumerate(target_rows)}
    folds = KFold(OUT_OF_FOLD_SPLITS, shuffle=True, random_state=SOURCE_SEED)
    for fit_rows, held_rows in folds.split(X):
        held = [i for i in held_rows if rows[i] in position]
        if not held:
            continue
        models = SourceModels(len(fit_rows), zero_inflated, n_jobs).fit(X[fit_rows], y[fit_rows])
        values[[position[rows[i]] for i in held]] = models.predict(X[held])

"""featurize(dataset): one block of features per input parameter of the dataset's design space
(each structure column, each categorical column, the numeric columns), cached on disk when a cache
folder is given."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.upload.roles import MAX_LABELS
from dashboard.engine.features import cache
from dashboard.engine.features.composition import composition_features
from dashboard.engine.features.matrix import FeatureMatrix
from dashboard.engine.features.molecules import (
    DESCRIPTOR_VERSION,
    ecfp,
    ecfp_names,
    rdkit_descriptors,
)
from dashboard.engine.util import held


def featurize(
    dataset: Dataset,
    cache_dir: Path | None = None,
    descriptors: bool = False,
    radius: int = 2,
    n_bits: int = 2048,
    progress: Callable[[float], None] | None = None,
    compact: bool = False,
) -> FeatureMatrix:
    """Features of every row of `dataset` (see FeatureMatrix; with `compact`, X is a BlockMatrix).

    Compositions give the 145 Magpie-style features (block "magpie"); SMILES give ECFP bits
    (block "ecfp", Morgan `radius`, `n_bits` bits) and, with `descriptors`, RDKit's 2-D
    descriptors (block "descriptors"). With several structure columns (one per reaction
    component, say) each has its own blocks, named "ecfp:<column>" and so on. Each categorical
    column is one-hot encoded (block "onehot:<column>", one 0/1 column per label, labels sorted);
    the dataset's numeric `feature_columns` follow as they are (block "numeric"; scaling belongs
    to the models). With `cache_dir`, the result is read
    from or written to a .npz file keyed by the dataset's content and these parameters; while
    one process computes a file, others asking for the same one wait and then read it; a cache
    folder that cannot be written only means the features are computed without being kept.
    `progress(fraction)` hears how far the slow part (RDKit descriptors) has come.
    """
    featuriser, params = _featuriser_and_params(dataset, descriptors, radius, n_bits)
    if cache_dir is None:
        return _computed(dataset, params, progress, compact)
    path = cache.cache_path(cache_dir, dataset.content_hash(), featuriser, params)
    cached = cache.load(path, compact)
    if cached is not None:
        return cached
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with held(path.with_suffix(".lock")):
            cached = cache.load(path, compact)
            if cached is not None:
                return cached
            matrix = _computed(dataset, params, progress, compact)
            _save_if_possible(path, matrix)
    except OSError:  # the cache folder cannot be written: features are computed, not kept
        return _computed(dataset, params, progress, compact)
    return matrix


def is_cached(
    dataset: Dataset,
    cache_dir: Path,
    descriptors: bool = False,
    radius: int = 2,
    n_bits: int = 2048,
) -> bool:
    """Whether `featurize` with these arguments would read `dataset`'s features from `cache_dir`
    instead of computing them (a few seconds, or minutes, for large tables of molecules)."""
    featuriser, params = _featuriser_and_params(dataset, descriptors, radius, n_bits)
    return cache.cache_path(cache_dir, dataset.content_hash(), featuriser, params).is_file()


def _save_if_possible(path: Path, matrix: FeatureMatrix) -> None:
    """Keep `matrix` in the cache; a full or read-only disk only costs the next computation."""
    with contextlib.suppress(OSError):
        cache.save(path, matrix)


def _computed(
    dataset: Dataset, params: dict, progress: Callable[[float], None] | None, compact: bool
) -> FeatureMatrix:
    parts = _structure_parts(dataset, params, progress)
    parts += _categorical_parts(dataset) + _numeric_parts(dataset)
    return FeatureMatrix.stacked(parts, compact)


def _featuriser_and_params(
    dataset: Dataset, descriptors: bool, radius: int, n_bits: int
) -> tuple[str, dict]:
    """The featuriser's name and the parameters that change its output, for the cache key."""
    if dataset.structure_kind == "composition":
        return "magpie", {}
    if dataset.structure_kind == "smiles":
        params = {"radius": radius, "n_bits": n_bits, "descriptors": descriptors}
        return "ecfp", params | ({"descriptor_version": DESCRIPTOR_VERSION} if descriptors else {})
    if not dataset.feature_columns and not dataset.categorical_columns:
        raise ValueError(f"dataset {dataset.id!r} has neither a structure nor feature columns")
    return "numeric", {}


def _structure_parts(
    dataset: Dataset, params: dict, progress: Callable[[float], None] | None = None
) -> list[tuple]:
    """(block, X, names, valid) parts computed from the structure columns."""
    columns = dataset.structure_columns
    parts = []
    for i, column in enumerate(columns):
        suffix = "" if len(columns) == 1 else f":{column}"
        share = _shared_progress(progress, i, len(columns))
        for block, *rest in _one_structure(dataset, column, params, share):
            parts.append((block + suffix, *rest))
    return parts


def _one_structure(
    dataset: Dataset, column: str, params: dict, progress: Callable[[float], None] | None
) -> list[tuple]:
    """The blocks of one structure column, computed once per distinct value.

    A column of a few repeated values (at most MAX_LABELS: a reaction component, a solvent) is a
    choice among those molecules: a one-hot block of them, plus their descriptors when asked,
    instead of 2,048 fingerprint bits that would say little more and cost memory per row."""
    values = dataset.frame[column].map(lambda v: None if pd.isna(v) else str(v))
    distinct, where = np.unique(values.fillna("").to_numpy(dtype=str), return_inverse=True)
    unique = [v or None for v in distinct.tolist()]
    kind = dataset.structure_kind
    parts = []
    if len(unique) <= MAX_LABELS and len(unique) < len(values):
        onehot = (where[:, None] == np.arange(len(unique))[None, :]).astype(float)
        names = [f"{column}={label}" for label in unique]
        parts.append(("onehot", onehot, names, values.notna().to_numpy()))
    elif kind == "composition":
        X, names, valid = composition_features(unique)
        parts.append(("magpie", X[where], names, valid[where]))
    else:
        bits, valid = ecfp(unique, radius=params["radius"], n_bits=params["n_bits"])
        names = ecfp_names(params["radius"], params["n_bits"])
        parts.append(("ecfp", bits[where], names, valid[where]))
        del bits  # 100,000 molecules' bits are 0.2 GB: not kept twice while descriptors run
    if kind == "smiles" and params["descriptors"]:
        X, names, valid = rdkit_descriptors(unique, progress)
        parts.append(("descriptors", X[where], names, valid[where]))
    elif kind == "composition" and parts[0][0] == "onehot":
        X, names, valid = composition_features(unique)
        parts.append(("magpie", X[where], names, valid[where]))
    return parts


def _shared_progress(
    progress: Callable[[float], None] | None, i: int, n: int
) -> Callable[[float], None] | None:
    """`progress` for the i-th of n equal pieces of work."""
    if progress is None:
        return None
    return lambda fraction: progress((i + fraction) / n)


def _categorical_parts(dataset: Dataset) -> list[tuple]:
    """One one-hot block per categorical column; a row without a label is invalid."""
    parts = []
    for column in dataset.categorical_columns:
        values = dataset.frame[column]
        labels = sorted({str(v) for v in values.dropna()})
        text = values.map(lambda v: None if pd.isna(v) else str(v))
        onehot = np.stack([(text == label).to_numpy(dtype=float) for label in labels], axis=1)
        names = [f"{column}={label}" for label in labels]
        parts.append((f"onehot:{column}", onehot, names, text.notna().to_numpy()))
    return parts


def _numeric_parts(dataset: Dataset) -> list[tuple]:
    """The numeric feature columns as one block; a row with a missing or non-numeric value there
    is invalid."""
    if not dataset.feature_columns:
        return []
    numeric = dataset.frame[dataset.feature_columns].apply(pd.to_numeric, errors="coerce")
    values = numeric.to_numpy(dtype=np.float64)
    return [("numeric", values, list(dataset.feature_columns), np.isfinite(values).all(axis=1))]

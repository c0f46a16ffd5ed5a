"""featurize(dataset): the right featuriser for the dataset's structure kind, plus its numeric
feature columns, cached on disk when a cache folder is given."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import cache
from dashboard.engine.features.composition import composition_features
from dashboard.engine.features.matrix import FeatureMatrix
from dashboard.engine.features.molecules import ecfp, ecfp_names, rdkit_descriptors
from dashboard.engine.util import held


def featurize(
    dataset: Dataset,
    cache_dir: Path | None = None,
    descriptors: bool = False,
    radius: int = 2,
    n_bits: int = 2048,
    progress: Callable[[float], None] | None = None,
) -> FeatureMatrix:
    """Features of every row of `dataset` (see FeatureMatrix).

    Compositions give the 145 Magpie-style features (block "magpie"); SMILES give ECFP bits
    (block "ecfp", Morgan `radius`, `n_bits` bits) and, with `descriptors`, RDKit's 2-D
    descriptors (block "descriptors"); the dataset's numeric `feature_columns` follow as they
    are (block "numeric"; scaling belongs to the models). With `cache_dir`, the result is read
    from or written to a .npz file keyed by the dataset's content and these parameters; while
    one process computes a file, others asking for the same one wait and then read it.
    `progress(fraction)` hears how far the slow part (RDKit descriptors) has come.
    """
    featuriser, params = _featuriser_and_params(dataset, descriptors, radius, n_bits)
    if cache_dir is None:
        return _computed(dataset, params, progress)
    path = cache.cache_path(cache_dir, dataset.content_hash(), featuriser, params)
    cached = cache.load(path)
    if cached is not None:
        return cached
    path.parent.mkdir(parents=True, exist_ok=True)
    with held(path.with_suffix(".lock")):
        cached = cache.load(path)
        if cached is not None:
            return cached
        matrix = _computed(dataset, params, progress)
        cache.save(path, matrix)
    return matrix


def _computed(
    dataset: Dataset, params: dict, progress: Callable[[float], None] | None
) -> FeatureMatrix:
    parts = _structure_parts(dataset, params, progress) + _numeric_parts(dataset)
    return FeatureMatrix.stacked(parts)


def _featuriser_and_params(
    dataset: Dataset, descriptors: bool, radius: int, n_bits: int
) -> tuple[str, dict]:
    """The featuriser's name and the parameters that change its output, for the cache key."""
    if dataset.structure_kind == "composition":
        return "magpie", {}
    if dataset.structure_kind == "smiles":
        return "ecfp", {"radius": radius, "n_bits": n_bits, "descriptors": descriptors}
    if not dataset.feature_columns:
        raise ValueError(f"dataset {dataset.id!r} has neither a structure nor feature columns")
    return "numeric", {}


def _structure_parts(
    dataset: Dataset, params: dict, progress: Callable[[float], None] | None = None
) -> list[tuple]:
    """(block, X, names, valid) parts computed from the structure column."""
    if dataset.structure_kind == "none":
        return []
    column = dataset.frame[dataset.structure_column].tolist()
    if dataset.structure_kind == "composition":
        return [("magpie", *composition_features(column))]
    bits, valid = ecfp(column, radius=params["radius"], n_bits=params["n_bits"])
    parts = [("ecfp", bits, ecfp_names(params["radius"], params["n_bits"]), valid)]
    if params["descriptors"]:
        parts.append(("descriptors", *rdkit_descriptors(column, progress)))
    return parts


def _numeric_parts(dataset: Dataset) -> list[tuple]:
    """The numeric feature columns as one block; a row with a missing or non-numeric value there
    is invalid."""
    if not dataset.feature_columns:
        return []
    numeric = dataset.frame[dataset.feature_columns].apply(pd.to_numeric, errors="coerce")
    values = numeric.to_numpy(dtype=np.float64)
    return [("numeric", values, list(dataset.feature_columns), np.isfinite(values).all(axis=1))]

"""Disk cache of feature matrices as .npz files (plain arrays, never pickles).

A file is named by the dataset's content hash and a digest of the featuriser, its parameters,
the versions of the libraries that compute it and FEATURES_VERSION, so any change to one of
them misses the cache instead of returning stale features. Files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

import numpy as np

from dashboard.engine.features.matrix import FeatureMatrix

# Bump when a change to this package changes the features it computes.
FEATURES_VERSION = 2

_LIBRARIES = ("numpy", "matminer", "pymatgen", "rdkit")


def cache_path(cache_dir: Path, dataset_hash: str, featuriser: str, params: dict) -> Path:
    """Where the features of one dataset, featuriser and parameter set are stored."""
    identity = {
        "featuriser": featuriser,
        "params": params,
        "version": FEATURES_VERSION,
        "libraries": {name: version(name) for name in _LIBRARIES},
    }
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:16]
    return Path(cache_dir) / f"{dataset_hash}-{featuriser}-{digest}.npz"


def load(path: Path) -> FeatureMatrix | None:
    """The cached matrix at `path`, or None when it is absent, unreadable or inconsistent."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            valid = stored["valid"]
            names = stored["names"].tolist()
            block_names = stored["block_names"].tolist()
            parts = [stored[f"block_{i}"] for i in range(len(block_names))]
        X = np.full((len(valid), len(names)), np.nan)
        X[valid] = np.hstack(parts) if parts else np.empty((int(valid.sum()), 0))
        starts = np.cumsum([0] + [part.shape[1] for part in parts])
        bounds = zip(block_names, pairwise(starts), strict=True)
        blocks = {name: slice(int(a), int(b)) for name, (a, b) in bounds}
        return FeatureMatrix(X=X, names=names, valid=valid, blocks=blocks)
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile):
        return None


def save(path: Path, matrix: FeatureMatrix) -> None:
    """Write `matrix` to `path` through a temporary file and an atomic rename.

    Only valid rows are stored (invalid rows are NaN by definition); a block of small
    non-negative integers (fingerprint bits) is stored as uint8, an eighth of the size.
    """
    blocks = [_compact(matrix.X[matrix.valid][:, columns]) for columns in matrix.blocks.values()]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                valid=matrix.valid,
                names=np.array(matrix.names, dtype=str),
                block_names=np.array(list(matrix.blocks), dtype=str),
                **{f"block_{i}": block for i, block in enumerate(blocks)},
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _compact(values: np.ndarray) -> np.ndarray:
    """`values` as uint8 when that loses nothing, else unchanged."""
    small_integers = (values >= 0) & (values <= 255) & (values == np.floor(values))
    return values.astype(np.uint8) if small_integers.all() else values

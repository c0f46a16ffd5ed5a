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
from collections.abc import Iterator
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

import numpy as np

from dashboard.engine.features.blocks import BlockMatrix, row_slices
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


def load(path: Path, compact: bool = False) -> FeatureMatrix | None:
    """The cached matrix at `path`, or None when it is absent, unreadable or inconsistent. With
    `compact`, X is a BlockMatrix of the stored blocks (bits unpacked to uint8), else an array.
    """
    try:
        with np.load(path, allow_pickle=False) as stored:
            valid = stored["valid"]
            names = stored["names"].tolist()
            block_names = stored["block_names"].tolist()
            rows = np.flatnonzero(valid)
            parts = [_read_block(stored, i, valid.size, rows) for i in range(len(block_names))]
        X = BlockMatrix(parts, ~valid)
        starts = np.cumsum([0] + [part.shape[1] for part in parts])
        bounds = zip(block_names, pairwise(starts), strict=True)
        blocks = {name: slice(int(a), int(b)) for name, (a, b) in bounds}
        return FeatureMatrix(
            X=X if compact else np.asarray(X), names=names, valid=valid, blocks=blocks
        )
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile):
        return None


def _read_block(stored: np.lib.npyio.NpzFile, i: int, n: int, rows: np.ndarray) -> np.ndarray:
    """Block i of `stored` with a row for each of the n rows (the valid `rows` filled)."""
    if f"bits_{i}" not in stored.files:
        values = stored[f"block_{i}"]
        block = np.zeros((n, values.shape[1]), dtype=values.dtype)
        block[rows] = values
        return block
    packed, width = stored[f"bits_{i}"], int(stored[f"width_{i}"])
    if packed.shape[0] != rows.size:
        raise ValueError(f"block {i} has {packed.shape[0]} rows, not {rows.size}")
    block = np.zeros((n, width), dtype=np.uint8)
    for chunk in row_slices(rows.size):
        block[rows[chunk]] = np.unpackbits(packed[chunk], axis=1, count=width)
    return block


def save(path: Path, matrix: FeatureMatrix) -> None:
    """Write `matrix` to `path` through a temporary file and an atomic rename.

    Only valid rows are stored (invalid rows are NaN by definition). A block of 0/1 values
    (fingerprint bits, one-hot labels) is stored packed, 8 bits a byte: 25 MB instead of 1.6 GB
    of float64 for 100,000 molecules' ECFP; other blocks of small non-negative integers as uint8.
    """
    rows = np.flatnonzero(matrix.valid)
    arrays = {}
    for i, columns in enumerate(matrix.blocks.values()):
        arrays.update(_stored_block(i, matrix.X, rows, columns))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                valid=matrix.valid,
                names=np.array(matrix.names, dtype=str),
                block_names=np.array(list(matrix.blocks), dtype=str),
                **arrays,
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _stored_block(i: int, X: np.ndarray, rows: np.ndarray, columns: slice) -> dict[str, np.ndarray]:
    """The arrays that store block i (its `columns` of X's `rows`): packed bits, uint8 when that
    loses nothing, else float64. Bits are checked and packed in row chunks, never copied whole."""

    def chunks() -> Iterator[np.ndarray]:
        return (X[rows[chunk], columns] for chunk in row_slices(rows.size))

    if all(((part == 0) | (part == 1)).all() for part in chunks()):
        packed = [np.packbits(part.astype(np.uint8), axis=1) for part in chunks()]
        width = np.arange(X.shape[1])[columns].size
        return {f"bits_{i}": np.vstack(packed), f"width_{i}": np.array(width)}
    values = X[rows, columns]
    small_integers = (values >= 0) & (values <= 255) & (values == np.floor(values))
    return {f"block_{i}": values.astype(np.uint8) if small_integers.all() else values}

"""Disk cache of the transfer engine's own results, keyed by a hash of everything they depend on.

Arrays (source predictions) are .npz files read without pickle; trained models are joblib
files. Only models this engine trained are ever written here, and they are read back only from
this folder, so unpickling never touches user-supplied bytes. Every write goes to a temporary
file first and is renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import joblib
import numpy as np

# Bump when a change to the transfer engine changes what it stores for the same inputs.
CODE_VERSION = 8

_LIBRARIES = ("numpy", "scikit-learn")


class NotCached(LookupError):
    """A run asked to read only the cache needs something the cache does not hold."""


def cache_key(**parts: object) -> str:
    """A stable hex digest of `parts` (JSON-able values), the code version and library versions."""
    identity = {
        "parts": parts,
        "code": CODE_VERSION,
        "libraries": {name: version(name) for name in _LIBRARIES},
    }
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def array_digest(values: np.ndarray) -> str:
    """A short hex digest of an array's bytes, for cache keys."""
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()[:16]


class TransferCache:
    """A folder of cached arrays and models; with `folder=None` nothing is stored or found."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = None if folder is None else Path(folder)

    def load_arrays(self, kind: str, key: str) -> dict[str, np.ndarray] | None:
        """The arrays stored under (kind, key), or None when absent or unreadable."""
        path = self._path(kind, key, ".npz")
        if path is None or not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as stored:
                return {name: stored[name] for name in stored.files}
        except (OSError, ValueError, zipfile.BadZipFile):
            return None

    def save_arrays(self, kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
        """Store named arrays under (kind, key)."""
        self._write(kind, key, ".npz", lambda file: np.savez(file, **arrays))

    def load_model(self, kind: str, key: str) -> object | None:
        """The model this engine stored under (kind, key), or None when absent or unreadable."""
        path = self._path(kind, key, ".joblib")
        if path is None or not path.exists():
            return None
        try:
            return joblib.load(path)
        except (OSError, EOFError, ValueError, AttributeError, ImportError):
            return None

    def save_model(self, kind: str, key: str, model: object) -> None:
        """Store a model trained by this engine under (kind, key)."""
        self._write(kind, key, ".joblib", lambda file: joblib.dump(model, file))

    def _path(self, kind: str, key: str, suffix: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{kind}-{key}{suffix}"

    def _write(self, kind: str, key: str, suffix: str, dump: Callable[[object], None]) -> None:
        path = self._path(kind, key, suffix)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as file:
                dump(file)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

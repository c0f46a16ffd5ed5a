"""The numbers a campaign runs on: features of every row, the target, and a fingerprint."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.engine.active_learning.goals import Goal, utility
from dashboard.engine.active_learning.metrics import top_k
from dashboard.engine.active_learning.surrogates import uses_descriptors
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import featurize
from dashboard.engine.features.blocks import BlockMatrix


@dataclass
class CampaignData:
    """Features X (rows, features) with named `blocks`, target y (NaN = not measured), which
    rows have usable features, and `data_hash`, checked when a saved campaign is loaded back.
    From a dataset, X is a BlockMatrix (see features/blocks.py); from arrays, the array.
    """

    X: np.ndarray | BlockMatrix
    y: np.ndarray
    blocks: dict[str, slice]
    valid: np.ndarray
    data_hash: str

    @classmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        target: str,
        model: str = "auto",
        cache_dir: Path | None = None,
        progress: Callable[[float], None] | None = None,
    ) -> CampaignData:
        """Featurise `dataset` (with RDKit descriptors when the model uses them; `progress` as
        in `featurize`) and read the target column; ValueError if it is missing or holds text."""
        y = target_values(dataset, target)
        dataset = dataset.without_target_inputs(target)
        descriptors = dataset.structure_kind == "smiles" and uses_descriptors(model)
        features = featurize(
            dataset, cache_dir, descriptors=descriptors, progress=progress, compact=True
        )
        return cls(features.X, y, features.blocks, features.valid, dataset.content_hash())

    @classmethod
    def from_arrays(
        cls, X: np.ndarray, y: np.ndarray, blocks: dict[str, slice] | None = None
    ) -> CampaignData:
        """Plain arrays (e.g. in tests); rows with a non-finite feature are unusable."""
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        if X.ndim != 2 or y.shape != (X.shape[0],):
            raise ValueError(
                f"X must be (rows, features) and y one value per row: {X.shape}, {y.shape}"
            )
        digest = hashlib.sha256(np.ascontiguousarray(X).tobytes())
        digest.update(np.ascontiguousarray(y).tobytes())
        blocks = blocks or {"numeric": slice(0, X.shape[1])}
        return cls(X, y, blocks, np.isfinite(X).all(axis=1), digest.hexdigest()[:20])


class Pool:
    """The usable rows of a campaign's data by pool position: their dataset rows, features and
    known values, the top k of those values and the best utility among them."""

    def __init__(self, data: CampaignData, simulated: bool, goal: Goal, k: int) -> None:
        usable = data.valid & (np.isfinite(data.y) if simulated else True)
        self.rows = np.flatnonzero(usable)
        self.lookup = np.full(data.y.size, -1)
        self.lookup[self.rows] = np.arange(self.rows.size)
        self.X = data.X if self.rows.size == data.y.size else data.X[self.rows]
        self.truth = data.y[self.rows].astype(float)
        self.top = top_k(self.truth, goal, k)
        known = np.isfinite(self.truth)
        self.best_utility = utility(self.truth[known], goal).max() if known.any() else None

    @property
    def size(self) -> int:
        return int(self.rows.size)

    def position_of(self, row: object) -> int:
        """Pool position of a dataset row, -1 when it is not in the pool."""
        if isinstance(row, bool) or not isinstance(row, int | np.integer):
            return -1
        return int(self.lookup[row]) if 0 <= row < self.lookup.size else -1

    def positions(self, rows: list[int]) -> list[int]:
        return [int(self.lookup[row]) for row in rows]

    def rows_of(self, positions: list[int] | np.ndarray) -> list[int]:
        return [int(self.rows[p]) for p in positions]


def target_values(dataset: Dataset, target: str) -> np.ndarray:
    """The target column as floats, NaN where empty; ValueError naming a row that holds text."""
    if target not in dataset.frame.columns:
        columns = ", ".join(map(str, dataset.frame.columns))
        raise ValueError(f"dataset {dataset.id!r} has no column {target!r}; its columns: {columns}")
    if target == dataset.structure_column:
        raise ValueError(f"{target!r} is the structure column, not a target")
    raw = dataset.frame[target]
    values = pd.to_numeric(raw, errors="coerce")
    text = raw.notna() & values.isna()
    if text.any():
        row = int(np.flatnonzero(text.to_numpy())[0])
        raise ValueError(
            f"the target {target!r} is not numeric: row {row + 1} holds {raw.iloc[row]!r}"
        )
    return values.to_numpy(dtype=float)

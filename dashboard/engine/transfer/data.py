"""A source/target pair made ready for transfer: checked, featurised, aligned and split.

Every check a user can fail raises ValueError with a sentence saying what is wrong and what to
do. The source's features are computed only when a model has to be trained on them, so a run
whose source predictions are cached never featurises the (large) source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import FeatureMatrix, featurize
from dashboard.engine.transfer.cache import array_digest

MIN_TARGET_ROWS = 10
"""Fewest usable target rows that can be split into a training and a test set."""
MIN_SOURCE_ROWS = 10
"""Fewest usable source rows a source model is trained on."""

_KIND_WORDS = {"composition": "chemical formulas", "smiles": "SMILES", "none": "numeric features"}


@dataclass
class TransferData:
    """A checked source/target pair and the target's train/test split.

    `target_rows` are the frame positions of the usable target rows (featurisable, finite target
    value); `X`, `y`, `train` and `test` index those rows. `same_dataset` is true when source and
    target share one table, whose test rows the source model must then never see.
    """

    source: Dataset
    source_column: str
    target: Dataset
    target_column: str
    feature_params: dict
    feature_cache: Path | None
    feature_names: list[str]
    target_rows: np.ndarray
    X: np.ndarray
    y: np.ndarray
    train: np.ndarray
    test: np.ndarray
    seed: int
    same_dataset: bool
    _target_columns: np.ndarray = field(repr=False)
    _source_columns: np.ndarray = field(repr=False)

    @cached_property
    def source_features(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(X, y, frame positions) of the usable source rows, features aligned with the target's."""
        matrix = _featurise(self.source, self.feature_cache, self.feature_params)
        y = numeric_column(self.source, self.source_column)
        rows = np.flatnonzero(matrix.valid & np.isfinite(y))
        return matrix.X[np.ix_(rows, self._source_columns)], y[rows], rows

    @property
    def test_frame_rows(self) -> np.ndarray:
        """Frame positions of the target's test rows."""
        return self.target_rows[self.test]

    def identity(self) -> dict:
        """What the source model depends on besides its own settings, for cache keys."""
        return {
            "source": self.source.content_hash(),
            "source_column": self.source_column,
            "features": self.feature_params,
            "columns": array_digest(np.asarray(self.feature_names)),
        }

    def target_identity(self) -> dict:
        """What predictions for the target's usable rows depend on, for cache keys."""
        return {"target": self.target.content_hash(), "rows": array_digest(self.target_rows)}


def prepare(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    test_size: float = 0.2,
    seed: int = 42,
    feature_cache: Path | None = None,
    feature_params: dict | None = None,
) -> TransferData:
    """Check the pair, featurise the target, align the features and split the target rows."""
    _check_columns(source, source_column, "source")
    _check_columns(target, target_column, "target")
    _check_kinds(source, target)
    _check_distinct(source, source_column, target, target_column)
    numeric_column(source, source_column)
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"The test share must lie between 0 and 1, not {test_size}.")
    feature_params = dict(feature_params or {})
    matrix = _featurise(target, feature_cache, feature_params)
    source_names = _source_feature_names(source, target, matrix, feature_cache, feature_params)
    learned = {source_column, target_column}
    in_source = _positions(source_names)
    common = [n for n in matrix.names if n in in_source and n not in learned]
    if not common:
        raise ValueError(
            f"The source '{source.title}' and the target '{target.title}' share no feature "
            "columns; give both the same feature column names."
        )
    in_target = _positions(matrix.names)
    target_columns = np.array([in_target[name] for name in common])
    source_columns = np.array([in_source[name] for name in common])
    y_all = numeric_column(target, target_column)
    rows = np.flatnonzero(matrix.valid & np.isfinite(y_all))
    _check_size(len(rows), target, target_column, test_size)
    train, test = train_test_split(np.arange(len(rows)), test_size=test_size, random_state=seed)
    return TransferData(
        source=source,
        source_column=source_column,
        target=target,
        target_column=target_column,
        feature_params=feature_params,
        feature_cache=feature_cache,
        feature_names=common,
        target_rows=rows,
        X=matrix.X[np.ix_(rows, target_columns)],
        y=y_all[rows],
        train=np.sort(train),
        test=np.sort(test),
        seed=seed,
        same_dataset=same_table(source, target),
        _target_columns=target_columns,
        _source_columns=source_columns,
    )


def numeric_column(dataset: Dataset, column: str) -> np.ndarray:
    """The column as float64 with NaN for empty cells; ValueError when it is not numeric."""
    values = dataset.frame[column]
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    given = values.notna().to_numpy()
    bad = np.flatnonzero(given & ~np.isfinite(numbers))
    if len(bad) or not np.isfinite(numbers).any():
        example = f" (row {bad[0] + 1} holds {str(values.iloc[bad[0]])[:40]!r})" if len(bad) else ""
        raise ValueError(
            f"Column '{column}' of '{dataset.title}' is not numeric{example}; "
            "pick a column of numbers."
        )
    return numbers


def _check_columns(dataset: Dataset, column: str, role: str) -> None:
    if column not in dataset.frame.columns:
        raise ValueError(
            f"The {role} '{dataset.title}' has no column '{column}'; "
            f"its columns are {', '.join(map(str, dataset.frame.columns))}."
        )
    if column == dataset.structure_column:
        raise ValueError(
            f"Column '{column}' holds the structures of the {role} '{dataset.title}'; "
            "pick a property column as the value to learn."
        )


def _check_kinds(source: Dataset, target: Dataset) -> None:
    if source.structure_kind != target.structure_kind:
        raise ValueError(
            f"The source '{source.title}' holds {_KIND_WORDS[source.structure_kind]} but the "
            f"target '{target.title}' holds {_KIND_WORDS[target.structure_kind]}; transfer "
            "needs source and target described the same way."
        )


def _check_distinct(
    source: Dataset, source_column: str, target: Dataset, target_column: str
) -> None:
    """One column of one table as both source and target would hand the target its own values."""
    if source_column == target_column and same_table(source, target):
        raise ValueError(
            f"The source and the target are the same column, '{target_column}' of "
            f"'{target.title}': the source model would already know the target's values. "
            "Pick another column (e.g. a computed one) or another dataset as the source."
        )


def _check_size(usable: int, target: Dataset, column: str, test_size: float) -> None:
    n_test = int(np.ceil(test_size * usable))
    if usable < MIN_TARGET_ROWS or n_test < 2 or usable - n_test < 2:
        raise ValueError(
            f"The target '{target.title}' has {usable} usable rows with a value in '{column}'; "
            f"at least {MIN_TARGET_ROWS} are needed to split into training and test sets "
            "(with at least two in each)."
        )


def _positions(names: list[str]) -> dict[str, int]:
    """The position of each name's first occurrence (a lookup per name was quadratic: 0.11 s of
    every run on FreeSolv's 2,269 feature names)."""
    positions: dict[str, int] = {}
    for j, name in enumerate(names):
        positions.setdefault(name, j)
    return positions


def _featurise(dataset: Dataset, cache: Path | None, params: dict) -> FeatureMatrix:
    return featurize(dataset, cache_dir=cache, **params)


def _source_feature_names(
    source: Dataset, target: Dataset, matrix: FeatureMatrix, cache: Path | None, params: dict
) -> list[str]:
    """The source's feature names without featurising it when they follow from its kind."""
    if source.structure_kind != "none" and not source.feature_columns:
        if not target.feature_columns:
            return list(matrix.names)
        return [n for n in matrix.names if n not in set(target.feature_columns)]
    return _featurise(source, cache, params).names


def same_table(source: Dataset, target: Dataset) -> bool:
    """Whether both datasets hold the very same table (e.g. two columns of one file)."""
    if source.frame.shape != target.frame.shape:
        return False
    if list(source.frame.columns) != list(target.frame.columns):
        return False
    return _frame_digest(source.frame) == _frame_digest(target.frame)


def _frame_digest(frame: pd.DataFrame) -> str:
    return array_digest(pd.util.hash_pandas_object(frame, index=False).to_numpy())

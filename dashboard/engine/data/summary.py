"""Descriptive numbers of a dataset for the Data page: size, missing values, element frequency."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import pandas as pd
from pymatgen.core.periodic_table import Element

from dashboard.engine.data.dataset import Dataset

SYMBOL = re.compile(r"[A-Z][a-z]?")


@lru_cache(maxsize=1)
def _element_symbols() -> frozenset[str]:
    return frozenset(element.symbol for element in Element)


def element_counts(formulas: pd.Series) -> pd.Series:
    """Number of formulas in which each element occurs (an element counted once per formula)."""
    symbols = _element_symbols()
    counts: Counter[str] = Counter()
    for formula in formulas.dropna().astype(str):
        counts.update(set(SYMBOL.findall(formula)) & symbols)
    return (
        pd.Series(counts, name="compounds", dtype="int64")
        .rename_axis("element")
        .sort_values(ascending=False)
    )


def missing_counts(frame: pd.DataFrame) -> pd.Series:
    """Missing cells per column, in column order."""
    return frame.isna().sum()


def describe(dataset: Dataset) -> dict:
    """Rows, columns, roles and total missing cells: the headline numbers of the Data page."""
    return {
        "rows": dataset.rows,
        "columns": len(dataset.frame.columns),
        "structure": dataset.structure_column or "none",
        "structure_kind": dataset.structure_kind,
        "targets": list(dataset.target_columns),
        "features": len(dataset.feature_columns),
        "missing_cells": int(missing_counts(dataset.frame).sum()),
    }

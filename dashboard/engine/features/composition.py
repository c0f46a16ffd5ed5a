"""The seed study's 145 composition features, equal to matminer's but computed with numpy.

Same features, names and order as matminer's Stoichiometry(), ElementProperty.from_preset(
"magpie"), ValenceOrbital(props=["avg"]) and IonProperty(fast=True) in a MultipleFeaturizer.
Formulas are grouped by their number of elements and each group is one set of array operations
(`python -m dashboard bench featurize` measures the speed-up).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dashboard.engine.features.elements import MAGPIE_PROPERTIES, ElementTables, element_tables
from dashboard.engine.features.formula import parse_formulas
from dashboard.engine.features.ionic import ION_LABELS, ion_features

STOICHIOMETRY_NORMS: tuple[int, ...] = (0, 2, 3, 5, 7, 10)
MAGPIE_STATS: tuple[str, ...] = ("minimum", "maximum", "range", "mean", "avg_dev", "mode")
ORBITALS: tuple[str, ...] = ("s", "p", "d", "f")

# np.isclose defaults, which matminer's weighted mode uses to find the largest amounts.
_MODE_RTOL, _MODE_ATOL = 1e-5, 1e-8


def composition_feature_names() -> list[str]:
    """The 145 names, identical to the matminer featurizers' feature_labels()."""
    return [
        *(f"{p}-norm" for p in STOICHIOMETRY_NORMS),
        *(f"MagpieData {stat} {prop}" for prop in MAGPIE_PROPERTIES for stat in MAGPIE_STATS),
        *(f"avg {orbital} valence electrons" for orbital in ORBITALS),
        *ION_LABELS,
    ]


def composition_features(formulas: Sequence[object]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Features of chemical formulas: (X float64 (n, 145), names, valid (n,) bool).

    A formula that pymatgen cannot read, or that holds no real element, gives an invalid row
    of NaN; this never raises on bad input.
    """
    tables = element_tables()
    parsed = parse_formulas(formulas, tables.index)
    names = composition_feature_names()
    features = np.full((len(formulas), len(names)), np.nan)
    for k in np.unique(parsed.counts[parsed.valid]):
        rows, elements, amounts = parsed.rows_with(int(k))
        features[rows] = _features_of(elements, amounts, tables)
    return features, names, parsed.valid


def _features_of(elements: np.ndarray, amounts: np.ndarray, tables: ElementTables) -> np.ndarray:
    """All 145 features of compositions with the same number of elements ((rows, k) inputs)."""
    magpie = _magpie_statistics(tables.magpie[elements], amounts)
    valence = magpie[:, [MAGPIE_PROPERTIES.index(f"N{o}Valence") for o in ORBITALS], 3]
    return np.hstack(
        [
            _stoichiometry(amounts),
            magpie.reshape(len(amounts), -1),
            valence,
            ion_features(elements, amounts, tables),
        ]
    )


def _stoichiometry(amounts: np.ndarray) -> np.ndarray:
    """Lp norms of the atomic fractions; the 0-norm is the number of elements."""
    fractions = amounts / amounts.sum(axis=1, keepdims=True)
    columns = [
        np.full(len(amounts), float(amounts.shape[1]))
        if p == 0
        else ((fractions**p).sum(axis=1)) ** (1.0 / p)
        for p in STOICHIOMETRY_NORMS
    ]
    return np.column_stack(columns)


def _magpie_statistics(values: np.ndarray, amounts: np.ndarray) -> np.ndarray:
    """(rows, properties, stats) amount-weighted statistics of element values (rows, k, props).

    The mode is the smallest value among the elements with the largest amount.
    """
    weights = amounts[:, :, None]
    total = amounts.sum(axis=1)[:, None]
    minimum = values.min(axis=1)
    maximum = values.max(axis=1)
    mean = (values * weights).sum(axis=1) / total
    avg_dev = (np.abs(values - mean[:, None, :]) * weights).sum(axis=1) / total
    largest = amounts.max(axis=1, keepdims=True)
    is_mode = np.abs(amounts - largest) <= _MODE_ATOL + _MODE_RTOL * np.abs(largest)
    mode = np.where(is_mode[:, :, None], values, np.inf).min(axis=1)
    return np.stack([minimum, maximum, maximum - minimum, mean, avg_dev, mode], axis=2)

"""matminer's IonProperty(fast=True), vectorised: charge balance and ionic character.

All functions take compositions with the same number of elements k as (rows, k) matrices of
element indices and amounts (raw amounts, as matminer passes them).
"""

from __future__ import annotations

import itertools

import numpy as np

from dashboard.engine.features.elements import ElementTables

ION_LABELS: tuple[str, ...] = ("compound possible", "max ionic char", "avg ionic char")

# Combinations of oxidation states enumerated at once when checking charge balance.
_COMBINATIONS_PER_CHUNK = 1 << 20
# A composition with more combinations than this is checked through its distinct partial
# charges instead, so that a formula with many multivalent elements cannot exhaust the memory.
_ENUMERATION_LIMIT = 1 << 16
# Partial charges farther than this from what the remaining elements can offset are dropped;
# generous next to the 1e-8 tolerance so that rounding never drops a balanced combination.
_PRUNING_SLACK = 1e-6


def ion_features(elements: np.ndarray, amounts: np.ndarray, tables: ElementTables) -> np.ndarray:
    """(rows, 3): compound possible (1/0), max and average ionic character, as matminer.

    A single element is a possible compound with no ionic character.
    """
    rows, k = elements.shape
    if k == 1:
        return np.column_stack([np.ones(rows), np.zeros(rows), np.zeros(rows)])
    x = tables.electronegativity[elements]
    fractions = amounts / _sequential_sum(amounts)[:, None]
    average = np.zeros(rows)
    for a, b in itertools.combinations(range(k), 2):
        average += fractions[:, a] * fractions[:, b] * _ionic_character(x[:, a], x[:, b])
    maximum = _ionic_character(x.max(axis=1), x.min(axis=1))
    possible = compound_possible(elements, amounts, tables)
    return np.column_stack([possible.astype(np.float64), maximum, average])


def compound_possible(
    elements: np.ndarray, amounts: np.ndarray, tables: ElementTables
) -> np.ndarray:
    """Whether some choice of one common oxidation state per element sums to zero charge.

    As matminer with fast=True: |sum of state x amount| <= 1e-8 (np.isclose to 0) for any
    combination; an element without common oxidation states (e.g. He) makes it impossible.
    """
    n_states = tables.n_oxidation_states[elements]
    n_combinations = np.prod(n_states.astype(np.float64), axis=1)
    possible = np.zeros(len(elements), dtype=bool)
    enumerated = np.flatnonzero((n_combinations > 0) & (n_combinations <= _ENUMERATION_LIMIT))
    sizes = n_combinations[enumerated].astype(np.int64)
    for chunk in _chunks_by_total(enumerated, sizes):
        possible[chunk] = _any_balanced(elements[chunk], amounts[chunk], n_states[chunk], tables)
    for row in np.flatnonzero(n_combinations > _ENUMERATION_LIMIT):
        possible[row] = _balanced_by_partial_charges(elements[row], amounts[row], tables)
    return possible


def _any_balanced(
    elements: np.ndarray, amounts: np.ndarray, n_states: np.ndarray, tables: ElementTables
) -> np.ndarray:
    """Enumerate every combination of each row (mixed-radix counter) and test its charge."""
    per_row = np.prod(n_states, axis=1)
    owner = np.repeat(np.arange(len(elements)), per_row)
    counter = np.arange(owner.size) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    charge = np.zeros(owner.size)
    for column in range(elements.shape[1]):
        radix = n_states[owner, column]
        state = tables.oxidation_states[elements[owner, column], counter % radix]
        counter //= radix
        charge += state * amounts[owner, column]
    balanced = np.abs(charge) <= 1e-8
    return np.bincount(owner, weights=balanced, minlength=len(elements)) > 0


def _balanced_by_partial_charges(
    elements: np.ndarray, amounts: np.ndarray, tables: ElementTables
) -> bool:
    """The same test for one composition, keeping only the distinct partial charges element by
    element (added in the same order, so the sums are the same floats)."""
    charges = [
        tables.oxidation_states[e, : tables.n_oxidation_states[e]] * a
        for e, a in zip(elements, amounts, strict=True)
    ]
    rest_low = np.cumsum([c.min() for c in charges[::-1]])[::-1]
    rest_high = np.cumsum([c.max() for c in charges[::-1]])[::-1]
    partial = np.zeros(1)
    for i, charge in enumerate(charges):
        partial = np.unique(partial[:, None] + charge[None, :])
        if i + 1 < len(charges):
            reachable = (partial + rest_high[i + 1] >= -_PRUNING_SLACK) & (
                partial + rest_low[i + 1] <= _PRUNING_SLACK
            )
            partial = partial[reachable]
    return bool((np.abs(partial) <= 1e-8).any())


def _chunks_by_total(rows: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
    """Split `rows` into consecutive chunks whose `sizes` sum to about _COMBINATIONS_PER_CHUNK."""
    chunk_of_row = (np.cumsum(sizes) - sizes) // _COMBINATIONS_PER_CHUNK
    return np.split(rows, np.flatnonzero(np.diff(chunk_of_row)) + 1) if rows.size else []


def _ionic_character(x_a: np.ndarray, x_b: np.ndarray) -> np.ndarray:
    """Pauling's ionic character of a bond, 1 - exp(-(X_A - X_B)^2 / 4)."""
    return 1.0 - np.exp(-0.25 * ((x_a - x_b) ** 2))


def _sequential_sum(amounts: np.ndarray) -> np.ndarray:
    """Row sums added left to right, as Python's sum() does in matminer."""
    total = amounts[:, 0].copy()
    for column in range(1, amounts.shape[1]):
        total += amounts[:, column]
    return total

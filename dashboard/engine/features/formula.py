"""Chemical formulas -> element amounts, fast, with the same results as pymatgen's Composition.

A small parser covers what real formulas use (elements, amounts with decimals, nested (), [] and
{} groups with factors) and reproduces pymatgen's arithmetic step by step; anything else falls
back to pymatgen itself, so both paths agree. Unparseable formulas become invalid rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_FAST_FORMULA = re.compile(r"(?:[A-Z][a-z]*[\d.]*|[(\[{]|[)\]}][\d.]*)+")
_TOKEN = re.compile(r"([A-Z][a-z]*)([\d.]*)|([(\[{])|[)\]}]([\d.]*)")

# pymatgen drops amounts below Composition.amount_tolerance.
AMOUNT_TOLERANCE = 1e-8
# pymatgen re-reads the amounts of an expanded group from their repr; from 1e16 up, repr has a
# '+' ("1e+16") that its formula pattern rejects.
_LARGEST_GROUP_AMOUNT = 1e16


class _Unsupported(Exception):
    """The fast parser does not know this syntax: ask pymatgen."""


@dataclass(frozen=True)
class ParsedFormulas:
    """Element amounts of many formulas as flat arrays: row i owns `counts[i]` entries.

    `elements` holds indices into the element table (its `symbols`), `amounts` the amounts in
    pymatgen's order of first appearance. Invalid formulas have a count of 0.
    """

    counts: np.ndarray
    elements: np.ndarray
    amounts: np.ndarray

    @property
    def valid(self) -> np.ndarray:
        return self.counts > 0

    def rows_with(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The rows with exactly `k` elements, with their (rows, k) element and amount matrices."""
        rows = np.flatnonzero(self.counts == k)
        starts = np.concatenate(([0], np.cumsum(self.counts)[:-1]))[rows]
        flat = starts[:, None] + np.arange(k)
        return rows, self.elements[flat], self.amounts[flat]


def parse_formula(formula: object, index: Mapping[str, int]) -> list[tuple[int, float]] | None:
    """(element index, amount) pairs of one formula as pymatgen reads it, or None if invalid.

    `index` maps element symbols to table indices; a symbol outside it (e.g. "D", "Xx") is left
    to pymatgen, which maps isotopes to their element and makes dummy species of the rest
    (invalid here, as matminer cannot featurise them).
    """
    if not isinstance(formula, str):
        return None
    try:
        amounts = _parse_fast(formula, index)
    except _Unsupported:
        amounts = _parse_with_pymatgen(formula)
    except ValueError:
        return None
    if amounts is None:
        return None
    kept = [
        (index[symbol], amount) for symbol, amount in amounts.items() if amount >= AMOUNT_TOLERANCE
    ]
    return kept or None


def parse_formulas(formulas: Sequence[object], index: Mapping[str, int]) -> ParsedFormulas:
    """Parse many formulas into flat arrays (see ParsedFormulas); never raises on bad input."""
    counts = np.zeros(len(formulas), dtype=np.int64)
    elements: list[int] = []
    amounts: list[float] = []
    for row, formula in enumerate(formulas):
        pairs = parse_formula(formula, index)
        if pairs is None:
            continue
        counts[row] = len(pairs)
        for element, amount in pairs:
            elements.append(element)
            amounts.append(amount)
    return ParsedFormulas(
        counts=counts,
        elements=np.asarray(elements, dtype=np.int64),
        amounts=np.asarray(amounts, dtype=np.float64),
    )


def _parse_fast(formula: str, index: Mapping[str, int]) -> dict[str, float]:
    """Expand groups innermost first, multiplying each entry by the group factor, like pymatgen.

    Raises _Unsupported for syntax outside the fast subset and ValueError for invalid formulas.
    """
    if not _FAST_FORMULA.fullmatch(formula):
        raise _Unsupported
    stack: list[list[tuple[str, float]]] = [[]]
    for symbol, amount, opener, factor in _TOKEN.findall(formula):
        if symbol:
            if symbol not in index:
                raise _Unsupported
            stack[-1].append((symbol, float(amount) if amount else 1.0))
        elif opener:
            stack.append([])
        else:
            group = stack.pop() if len(stack) > 1 else None
            if not group:
                raise ValueError(f"unbalanced or empty group in {formula!r}")
            merged = _merge(group, float(factor) if factor else 1.0)
            if any(value >= _LARGEST_GROUP_AMOUNT for value in merged.values()):
                raise ValueError(f"group amount too large in {formula!r}")
            stack[-1].extend(merged.items())
    if len(stack) != 1:
        raise ValueError(f"unclosed group in {formula!r}")
    return _merge(stack[0], 1)


def _merge(entries: list[tuple[str, float]], factor: float) -> dict[str, float]:
    """Sum entries per symbol in order of first appearance, each times `factor`, as pymatgen."""
    merged: dict[str, float] = {}
    for symbol, amount in entries:
        merged[symbol] = merged.get(symbol, 0.0) + amount * factor
    return merged


def _parse_with_pymatgen(formula: str) -> dict[str, float] | None:
    """pymatgen's reading of a formula the fast parser does not cover; None if it fails."""
    from pymatgen.core import Composition, Element

    try:
        composition = Composition(formula).element_composition
    except Exception:  # pymatgen raises ValueError, KeyError or others on bad input
        return None
    if not all(isinstance(key, Element) for key in composition):
        return None
    return {key.symbol: float(amount) for key, amount in composition.items()}

"""Which column is what: detect the roles of a table's columns.

Detection: the structure column is a text column whose values are mostly chemical formulas or
SMILES (its name is a strong hint); with a structure column every numeric column is a target,
without one the numeric columns are features and the last one (or one named like a target) is the
target; the id column is named like one, or is a text column of unique values.
Checking a chosen set of roles is `result.apply_roles`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import StructureKind
from dashboard.engine.data.upload.structures import (
    element_count,
    formula_problem,
    smiles_problem,
)
from dashboard.engine.data.upload.table import is_numeric_column

MIN_ROWS = 5
STRUCTURE_SHARE = 0.8
HINTED_STRUCTURE_SHARE = 0.5
FILLED_SHARE = 0.5
SAMPLE_VALUES = 100
FIRST_LOOK = 20
"""A column is sampled further only if half of its first distinct values are structures."""
STRUCTURE_NOUNS = {"composition": "a chemical formula", "smiles": "a valid SMILES string"}

_COMPOSITION_NAMES = {"compound", "material", "materials", "comp", "chemical"}
_ID_NAMES = {
    "id",
    "name",
    "names",
    "sample",
    "sample_name",
    "compound_name",
    "mol_name",
    "identifier",
    "key",
    "index",
    "no",
    "unnamed_0",
    "iupac",
    "iupac_name",
    "cas",
}
_TARGET_NAMES = {"y", "label", "property", "output", "response", "objective", "value", "y_true"}
_INDEX_NAME = re.compile(r"|index|id|no|row|unnamed_\d+|column_1")
_UNIT = re.compile(r"[(\[]\s*([^()\[\]]{1,20}?)\s*[)\]]\s*$")


@dataclass
class Roles:
    """The role of each used column; columns in no role stay in the frame, unused."""

    structure_column: str | None = None
    structure_kind: StructureKind = "none"
    feature_columns: list[str] = field(default_factory=list)
    target_columns: list[str] = field(default_factory=list)
    id_column: str | None = None
    units: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Roles:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def detect_roles(frame: pd.DataFrame) -> Roles:
    """Guess the roles of the columns of a typed table (see the module docstring)."""
    columns = [str(c) for c in frame.columns]
    numeric = [c for c in columns if is_numeric_column(frame[c])]
    text = [c for c in columns if c not in numeric]
    structure, kind = _find_structure(frame, text)
    index = _index_column(frame, numeric)
    id_column = next((c for c in columns if _norm(c) in _ID_NAMES and c != structure), None)
    id_column = id_column or index or _unique_text_column(frame, text, structure)
    usable = [
        c
        for c in numeric
        if c not in (index, id_column) and frame[c].notna().mean() >= FILLED_SHARE
    ]
    if structure:
        targets, features = usable, []
    else:
        hinted = [c for c in usable if _norm(c) in _TARGET_NAMES or _norm(c).startswith("target")]
        targets = hinted or usable[-1:]
        features = [c for c in usable if c not in targets]
    units = {c: m.group(1) for c in targets + features if (m := _UNIT.search(c))}
    return Roles(structure, kind, features, targets, id_column, units)


def _norm(name: str) -> str:
    """'Sample ID [-]' -> 'sample_id': lower case, units and punctuation removed."""
    name = _UNIT.sub("", name).lower()
    return re.sub(r"[^0-9a-z]+", "_", name).strip("_")


def _structure_hint(name: str) -> str | None:
    """'composition' or 'smiles' when the column name says so."""
    norm = _norm(name)
    if "smiles" in norm:
        return "smiles"
    if "formula" in norm or "composition" in norm or norm in _COMPOSITION_NAMES:
        return "composition"
    return None


def _find_structure(frame: pd.DataFrame, text_columns: list[str]) -> tuple[str | None, str]:
    """The text column that best reads as formulas or SMILES, and which of the two it is."""
    best, best_score = (None, "none"), None
    for column in text_columns:
        values = [str(v) for v in dict.fromkeys(frame[column].dropna())][:SAMPLE_VALUES]
        if not values or max(_shares(values[:FIRST_LOOK]).values()) < HINTED_STRUCTURE_SHARE:
            continue
        shares = _shares(values)
        kind = _structure_kind(column, values, shares)
        if kind is None:
            continue
        score = (_structure_hint(column) is not None, shares[kind])
        if best_score is None or score > best_score:
            best, best_score = (column, kind), score
    return best


def _shares(values: list[str]) -> dict[str, float]:
    """Share of the values that are valid formulas, and valid SMILES."""
    return {
        "composition": sum(formula_problem(v) is None for v in values) / len(values),
        "smiles": sum(smiles_problem(v) is None for v in values) / len(values),
    }


def _structure_kind(column: str, values: list[str], shares: dict[str, float]) -> str | None:
    hint = _structure_hint(column)
    if hint and shares[hint] >= HINTED_STRUCTURE_SHARE:
        return hint
    if _norm(column) in _ID_NAMES:
        return None
    kind = max(shares, key=shares.get)
    if shares["composition"] == shares["smiles"]:
        kind = "smiles" if any(_repeats_element(v) for v in values) else "composition"
    if shares[kind] < STRUCTURE_SHARE:
        return None
    if kind == "composition" and not hint and _single_elements(values):
        return None
    return kind


def _repeats_element(value: str) -> bool:
    """'CCO' names carbon twice: read as SMILES (ethanol), not as the formula C2O."""
    symbols = re.findall(r"[A-Z][a-z]?", value)
    return len(symbols) != len(set(symbols))


def _single_elements(values: list[str]) -> bool:
    """Codes like 'S1', 'C2' parse as formulas of one element; without a hint they are not."""
    return all(element_count(v) <= 1 for v in values if formula_problem(v) is None)


def _index_column(frame: pd.DataFrame, numeric: list[str]) -> str | None:
    """A numeric column counting rows 0,1,2... or 1,2,3..., named like an index ('Unnamed: 0')."""
    for column in numeric:
        values = frame[column].to_numpy()
        if _INDEX_NAME.fullmatch(_norm(column)) and len(values) > 1:
            steps = np.arange(len(values), dtype=float)
            if np.array_equal(values, steps) or np.array_equal(values, steps + 1):
                return column
    return None


def _unique_text_column(frame: pd.DataFrame, text: list[str], structure: str | None) -> str | None:
    for column in text:
        values = frame[column]
        if column != structure and values.notna().all() and values.is_unique:
            return column
    return None

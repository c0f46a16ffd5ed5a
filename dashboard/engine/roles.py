"""Which column is what: detect the roles of a table's columns, and check a chosen set of roles.

Detection: the structure column is a text column whose values are mostly chemical formulas or
SMILES (its name is a strong hint); with a structure column every numeric column is a target,
without one the numeric columns are features and the last one (or one named like a target) is the
target; the id column is named like one, or is a text column of unique values. Checking a set of
roles drops the rows that cannot be used and says why, row by row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from dashboard.engine.dataset import STRUCTURE_KINDS, Dataset, StructureKind
from dashboard.engine.problems import Problem, UploadResult, cell_problem, listed
from dashboard.engine.structures import check_all, element_count, formula_problem, smiles_problem
from dashboard.engine.table import Table, cell_reason, is_numeric_column

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


def apply_roles(table: Table, roles: Roles, dataset_id: str = "upload") -> UploadResult:
    """Check `roles` against the table and build the dataset from its usable rows.

    A row is usable when its structure (if any) parses and every target and feature is a finite
    number; the others are dropped with one warning per bad cell. Fewer than MIN_ROWS usable
    rows, or a target with one value only, reject the whole table.
    """
    problems = role_problems(table, roles)
    if problems:
        return UploadResult(problems=problems, table=table, roles=roles)
    try:
        cells = _bad_cells(table, roles)
    except TimeoutError as err:
        message = f"The structures could not be checked in time ({err}); upload fewer rows."
        return UploadResult(problems=[Problem(None, None, message)], table=table, roles=roles)
    bad_rows = sorted({p.row for p in cells})
    frame = table.frame.drop(index=bad_rows)
    if len(frame) < MIN_ROWS:
        return UploadResult(
            problems=[_too_few_rows(table, roles, len(frame), cells), *listed(cells, "cells")],
            table=table,
            roles=roles,
        )
    constant = [c for c in roles.target_columns if frame[c].nunique() <= 1]
    if len(constant) == len(roles.target_columns):
        return UploadResult(
            problems=[_constant(c, frame) for c in constant], table=table, roles=roles
        )
    warnings = listed(cells, "cells that cannot be used")
    if bad_rows:
        warnings.append(
            Problem(
                None,
                None,
                f"{len(bad_rows):,} of {len(table.frame):,} rows were left out; "
                f"{len(frame):,} rows are used.",
            )
        )
    warnings += [_constant(c, frame, dropped=True) for c in constant]
    targets = [c for c in roles.target_columns if c not in constant]
    dataset = Dataset(
        id=dataset_id,
        title=table.title,
        frame=frame.reset_index(drop=True),
        structure_column=roles.structure_column,
        structure_kind=roles.structure_kind,
        feature_columns=list(roles.feature_columns),
        target_columns=targets,
        units={c: u for c, u in roles.units.items() if c in targets + roles.feature_columns},
        id_column=roles.id_column,
        source=f"uploaded file '{table.title}'",
    )
    return UploadResult(dataset, warnings, table=table, roles=roles)


def role_problems(table: Table, roles: Roles) -> list[Problem]:
    """What is wrong with a set of roles for this table (unknown columns, text targets, ...)."""
    frame = table.frame
    named = [roles.structure_column, roles.id_column, *roles.feature_columns, *roles.target_columns]
    named = [c for c in named if c is not None]
    problems = [Problem(None, c, f"There is no column '{c}'.") for c in named if c not in frame]
    problems += [
        Problem(None, c, f"Column '{c}' is given more than one role.")
        for c, n in Counter(named).items()
        if n > 1
    ]
    if roles.structure_kind not in STRUCTURE_KINDS:
        problems.append(Problem(None, None, f"Unknown structure kind '{roles.structure_kind}'."))
    elif (roles.structure_kind == "none") != (roles.structure_column is None):
        problems.append(
            Problem(None, roles.structure_column, "A structure column needs a kind, and only one.")
        )
    if problems:
        return problems
    if roles.structure_column and table.numeric(roles.structure_column):
        column = roles.structure_column
        problems.append(
            Problem(None, column, f"Column '{column}' holds numbers, not formulas or SMILES.")
        )
    for role, columns in (("target", roles.target_columns), ("feature", roles.feature_columns)):
        problems += [
            Problem(
                None,
                c,
                f"Column '{c}' holds text, so it cannot be a {role}: a {role} column must hold "
                "numbers.",
            )
            for c in columns
            if not table.numeric(c)
        ]
    if not roles.structure_column and not roles.feature_columns:
        problems.append(Problem(None, None, _nothing_to_learn_from(table)))
    if not roles.target_columns:
        problems.append(Problem(None, None, _no_target(table)))
    return problems


def _bad_cells(table: Table, roles: Roles) -> list[Problem]:
    """One problem per unusable cell: invalid structure, or a non-finite target or feature."""
    frame = table.frame
    cells = []
    if roles.structure_column:
        column, kind = roles.structure_column, roles.structure_kind
        values = frame[column].map(lambda v: None if pd.isna(v) else str(v))
        reasons = check_all(values.dropna(), kind, max_seconds=_check_seconds(len(values)))
        noun = STRUCTURE_NOUNS[kind]
        for row, value in values.items():
            if value is None:
                cells.append(cell_problem(row, column, "the cell is empty; the row is left out"))
            elif reasons[value]:
                reason = f"{_quote(value)} is not {noun} ({reasons[value]}); the row is left out"
                cells.append(cell_problem(row, column, reason))
    for column in [*roles.target_columns, *roles.feature_columns]:
        values = frame[column].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        raw = table.unusable.get(column, {})
        for row, value in zip(frame.index[bad], values[bad], strict=True):
            reason = cell_reason(raw.get(row), value)
            cells.append(cell_problem(row, column, f"{reason}; the row is left out"))
    return sorted(cells, key=lambda p: p.row)


def _check_seconds(rows: int) -> float:
    """Time allowed to check a structure column: generous for real data, bounded for attacks."""
    return 10.0 + rows / 2_000


def _quote(value: str, limit: int = 60) -> str:
    shown = "".join(c if c.isprintable() else "?" for c in value)
    return repr(shown if len(shown) <= limit else shown[: limit - 1] + "…")


def _too_few_rows(table: Table, roles: Roles, usable: int, cells: list[Problem]) -> Problem:
    needed = (
        "a valid structure and a number in every target"
        if roles.structure_column
        else ("a number in every target and feature")
    )
    by_column = Counter(p.column for p in cells)
    left_out = ", ".join(f"'{c}': {n:,}" for c, n in by_column.most_common())
    reasons = f" Unusable cells by column: {left_out}." if left_out else ""
    return Problem(
        None,
        None,
        f"Only {usable} of {len(table.frame):,} rows are usable ({needed}); at least "
        f"{MIN_ROWS} are needed.{reasons}",
    )


def _constant(column: str, frame: pd.DataFrame, dropped: bool = False) -> Problem:
    value = frame[column].iloc[0]
    said = f"The target '{column}' has the same value ({value:g}) in every usable row"
    if dropped:
        return Problem(None, column, f"{said}; it is not offered as a target.")
    return Problem(None, column, f"{said}, so there is nothing to learn from it.")


def _overview(table: Table) -> str:
    """'Columns found: 'a' (text, e.g. 'Fe2Ox'), 'b' (numbers).' for messages about roles."""
    parts = []
    for column in list(table.frame.columns)[:8]:
        if table.numeric(column):
            parts.append(f"'{column}' (numbers)")
            continue
        example = table.frame[column].dropna()
        shown = f", e.g. {_quote(example.iloc[0], 30)}" if len(example) else ", empty"
        parts.append(f"'{column}' (text{shown})")
    more = len(table.frame.columns) - len(parts)
    return "Columns found: " + ", ".join(parts) + (f" and {more} more." if more > 0 else ".")


def _nothing_to_learn_from(table: Table) -> str:
    return (
        "No structure column (chemical formulas or SMILES) and no numeric feature columns, so "
        "there is nothing to learn from. A text column is read as structures when at least "
        f"{STRUCTURE_SHARE:.0%} of its values are formulas or SMILES ({HINTED_STRUCTURE_SHARE:.0%} "
        "when its name says 'formula' or 'smiles'). " + _overview(table)
    )


def _no_target(table: Table) -> str:
    with_units = [
        c
        for c in table.frame.columns
        if not table.numeric(c)
        and table.frame[c].dropna().astype(str).str.match(r"\s*[+-]?\d").mean() >= FILLED_SHARE
    ]
    hint = (
        f" Column '{with_units[0]}' holds text that starts with numbers: write only the number "
        "in each cell, and the unit in the column name, e.g. 'gap (eV)'."
        if with_units
        else ""
    )
    return (
        "No numeric column to predict (target): put the measured property in a column of "
        f"numbers.{hint} " + _overview(table)
    )

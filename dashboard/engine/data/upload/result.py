"""Check a chosen set of roles against a typed table: the dataset of its usable rows, or why not.

A row is usable when its structure (if any) parses and every target and feature is a finite number;
the others are dropped and said why, row by row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.engine.data.dataset import STRUCTURE_KINDS, Dataset
from dashboard.engine.data.repeats import repeats_note
from dashboard.engine.data.upload.problems import Problem, cell_problem, listed
from dashboard.engine.data.upload.roles import (
    FILLED_SHARE,
    HINTED_STRUCTURE_SHARE,
    MIN_ROWS,
    STRUCTURE_NOUNS,
    STRUCTURE_SHARE,
    Roles,
    label_problem,
    named_structure,
)
from dashboard.engine.data.upload.structures import check_all
from dashboard.engine.data.upload.table import PENDING_TOKENS, Table, cell_reason
from dashboard.engine.wording import counted, verb


@dataclass
class UploadResult:
    """Either `dataset` (with `warnings` about dropped rows) or a non-empty `problems` list.

    `table` is the typed table before any row was dropped and `roles` the roles that were tried:
    the Data page passes both back to `apply_roles` when the user edits the roles.
    `row_numbers[i]` is the file's 1-based data row of the dataset's row i; `sheet` the
    workbook's sheet that was read when it was not the first.
    """

    dataset: Dataset | None = None
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    table: Table | None = None
    roles: Roles | None = None
    row_numbers: list[int] = field(default_factory=list)
    sheet: str | None = None

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems

    def to_dict(self) -> dict:
        """The answer of `python -m dashboard check --json`."""
        if not self.ok:
            return {"ok": False, "problems": [p.to_dict() for p in self.problems]}
        data = self.dataset
        used = {data.id_column, *data.input_columns, *data.target_columns}
        return {
            "ok": True,
            "title": data.title,
            "rows": data.rows,
            "columns": len(data.frame.columns),
            "structure_column": data.structure_column,
            "structure_columns": list(data.structure_columns),
            "structure_kind": data.structure_kind,
            "categorical": list(data.categorical_columns),
            "targets": list(data.target_columns),
            "features": list(data.feature_columns),
            "inputs": [{"column": p.column, "kind": p.kind} for p in data.parameters],
            "id_column": data.id_column,
            "units": dict(data.units),
            "other_columns": [c for c in data.frame.columns if c not in used],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def apply_roles(
    table: Table, roles: Roles, dataset_id: str = "upload", edited: bool = False
) -> UploadResult:
    """Check `roles` against the table and build the dataset from its usable rows.

    A row is usable when its structures parse, its categorical labels are given, its numeric
    inputs are finite numbers and its targets are finite numbers or not measured yet (empty or
    PENDING: such rows are candidates for a campaign); the others are dropped with one warning per
    bad cell. Fewer than MIN_ROWS usable rows, or no target with two different values among the
    measured ones, reject the whole table. Columns in no role are listed with the reason.
    `edited` says that a user chose the roles (see `role_problems`).
    """
    problems = role_problems(table, roles, edited)
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
    # one value measured so far is the start of a campaign (its other rows are candidates), not
    # a constant column: refused, a lab's first results (say three failed reactions) could not
    # be entered at all
    constant = [
        c for c in roles.target_columns if frame[c].nunique() == 1 and frame[c].notna().all()
    ]
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
                f"{len(bad_rows):,} of {len(table.frame):,} rows "
                f"{verb(len(bad_rows), 'was', 'were')} left out; {counted(len(frame), 'row')} "
                f"{verb(len(frame), 'is', 'are')} used.",
            )
        )
    warnings += [_constant(c, frame, dropped=True) for c in constant]
    warnings += _unmeasured(frame, roles.target_columns) + _unused(table, roles)
    warnings += _counted_twice(table, roles)
    targets = [c for c in roles.target_columns if c not in constant]
    dataset = Dataset(
        id=dataset_id,
        title=table.title,
        frame=frame.reset_index(drop=True),
        structure_column=roles.structure_column,
        structure_columns=list(roles.structure_columns),
        structure_kind=roles.structure_kind,
        categorical_columns=list(roles.categorical_columns),
        feature_columns=list(roles.feature_columns),
        target_columns=targets,
        units={c: u for c, u in roles.units.items() if c in targets + roles.feature_columns},
        id_column=roles.id_column,
        source=f"uploaded file '{table.title}'",
    )
    if note := repeats_note(dataset):
        warnings.append(Problem(None, None, note))
    return UploadResult(
        dataset, warnings, table=table, roles=roles, row_numbers=frame.index.tolist()
    )


def role_problems(table: Table, roles: Roles, edited: bool = False) -> list[Problem]:
    """What is wrong with a set of roles for this table (unknown columns, text targets, ...).

    A missing target or input is said of the file after detection (what to put in it), and of
    the roles when a user `edited` them (which column to choose): the file is fine then."""
    frame = table.frame
    named = [
        *roles.structure_columns,
        *roles.categorical_columns,
        *roles.feature_columns,
        *roles.target_columns,
        *([roles.id_column] if roles.id_column else []),
    ]
    problems = [Problem(None, c, f"There is no column '{c}'.") for c in named if c not in frame]
    problems += [
        Problem(
            None,
            c,
            f"Column '{c}' is given more than one role (an input and a target, say): give it "
            "one role.",
        )
        for c, n in Counter(named).items()
        if n > 1
    ]
    if roles.structure_kind not in STRUCTURE_KINDS:
        problems.append(Problem(None, None, f"Unknown structure kind '{roles.structure_kind}'."))
    elif (roles.structure_kind == "none") != (not roles.structure_columns):
        problems.append(
            Problem(None, roles.structure_column, "A structure column needs a kind, and only one.")
        )
    if problems:
        return problems
    problems += [
        Problem(None, c, f"Column '{c}' holds numbers, not formulas or SMILES.")
        for c in roles.structure_columns
        if table.numeric(c)
    ]
    problems += [
        Problem(None, c, f"Column '{c}' cannot be a categorical input: {reason}.")
        for c in roles.categorical_columns
        if (reason := label_problem(frame[c])) and "at most" in reason
    ]
    for role, columns in (("target", roles.target_columns), ("feature", roles.feature_columns)):
        problems += [
            Problem(
                None,
                c,
                f"Column '{c}' holds text, so it cannot be a {role}: a {role} column must "
                "hold numbers.",
            )
            for c in columns
            if not table.numeric(c)
        ]
    problems += [  # an empty target is a campaign's, nothing measured yet; an input needs values
        Problem(None, c, f"Column '{c}' is empty, so it cannot be an input.")
        for c in roles.feature_columns
        if table.numeric(c) and table.frame[c].isna().all()
    ]
    free = [str(c) for c in frame.columns if c not in named]
    if not roles.structure_columns and not roles.feature_columns and not roles.categorical_columns:
        said = _choose_an_input(free) if edited else _nothing_to_learn_from(table)
        problems.append(Problem(None, None, said))
    if not roles.target_columns:
        numbers = [c for c in free if table.numeric(c)]
        said = _choose_a_target(numbers, roles.feature_columns) if edited else _no_target(table)
        problems.append(Problem(None, None, said))
    return problems


def _choose_an_input(free: list[str]) -> str:
    """The problem of edited roles without an input, naming the columns with no role."""
    named = f" ({', '.join(free)})" if free else ": every column has another role now"
    return (
        "Choose at least one input: a structure, categorical or numeric column to learn "
        f"from{named}."
    )


def _choose_a_target(free_numbers: list[str], inputs: list[str]) -> str:
    """The problem of edited roles without a target, naming the numeric columns it may be."""
    wanted = "Choose at least one target: a numeric column to predict"
    if free_numbers:
        return f"{wanted} ({', '.join(free_numbers)})."
    if inputs:
        return f"{wanted}; every numeric column is an input now ({', '.join(inputs)}): move one."
    return f"{wanted}; this table has none, so a target needs a column of numbers in the file."


def _bad_cells(table: Table, roles: Roles) -> list[Problem]:
    """One problem per unusable cell: invalid structure, or a non-finite target or feature."""
    frame = table.frame
    cells = []
    for column in roles.structure_columns:
        kind = roles.structure_kind
        values = frame[column].map(lambda v: None if pd.isna(v) else str(v))
        reasons = check_all(values.dropna(), kind, max_seconds=_check_seconds(len(values)))
        noun = STRUCTURE_NOUNS[kind]
        for row, value in values.items():
            if value is None:
                cells.append(cell_problem(row, column, "the cell is empty; the row is left out"))
            elif reasons[value]:
                reason = f"{_quote(value)} is not {noun} ({reasons[value]}); the row is left out"
                cells.append(cell_problem(row, column, reason))
    for column in roles.categorical_columns:
        for row in frame.index[frame[column].isna()]:
            cells.append(cell_problem(row, column, "the label is empty; the row is left out"))
    for column in [*roles.target_columns, *roles.feature_columns]:
        values = frame[column].to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        raw = table.unusable.get(column, {})
        if column in roles.target_columns:
            later = [_not_measured(raw.get(row)) for row in frame.index]
            bad &= ~np.array(later, dtype=bool)
        for row, value in zip(frame.index[bad], values[bad], strict=True):
            reason = cell_reason(raw.get(row), value)
            cells.append(cell_problem(row, column, f"{reason}; the row is left out"))
    return sorted(cells, key=lambda p: p.row)


def _not_measured(raw: str | None) -> bool:
    """An empty or PENDING target cell: a candidate not measured yet, not a bad value."""
    return not raw or raw in PENDING_TOKENS


def _unmeasured(frame: pd.DataFrame, targets: list[str]) -> list[Problem]:
    """One note per target with rows not measured yet (they stay, as campaign candidates)."""
    notes = []
    for column in targets:
        missing = int(frame[column].isna().sum())
        if missing:
            notes.append(
                Problem(
                    None,
                    column,
                    f"{missing:,} of {len(frame):,} rows {verb(missing, 'has', 'have')} no value "
                    f"of '{column}' yet (empty or PENDING); "
                    f"{verb(missing, 'it is kept as a candidate', 'they are kept as candidates')} "
                    "to measure.",
                )
            )
        measured = frame[column].dropna()
        if missing and measured.nunique() == 1:
            notes.append(_one_value(column, measured))
    return notes


def _one_value(column: str, measured: pd.Series) -> Problem:
    """The note on a campaign target whose measured rows all hold one value."""
    n, value = len(measured), float(measured.iloc[0])
    said = "the one" if n == 1 else f"all {n:,}"
    return Problem(
        None,
        column,
        f"{said} measured {verb(n, 'value', 'values')} of '{column}' {verb(n, 'is', 'are')} "
        f"{value:g}: a model learns which inputs matter only once a different value is "
        "measured, so until then the picks spread over the candidates.",
    )


def _unused(table: Table, roles: Roles) -> list[Problem]:
    """One warning per column in no role, with the reason detection gave (or none given)."""
    used = {
        *roles.structure_columns,
        *roles.categorical_columns,
        *roles.feature_columns,
        *roles.target_columns,
        roles.id_column,
    }
    return [
        Problem(
            None,
            column,
            f"Column '{column}' is not used: "
            + roles.unused.get(column, "no role was given to it")
            + ". Give it a role if it matters.",
        )
        for column in map(str, table.frame.columns)
        if column not in used
    ]


def _counted_twice(table: Table, roles: Roles) -> list[Problem]:
    """One note per categorical input that only names the structures of a structure input
    (ligand beside ligand_smiles): the same choice is then two inputs and weighs double in a
    model. Detection leaves such a column out; a user may still want both, so it is a note."""
    notes = []
    for column in roles.categorical_columns:
        structure = named_structure(table.frame, column, roles.structure_columns)
        if structure is not None:
            notes.append(
                Problem(
                    None,
                    column,
                    f"Columns '{column}' and '{structure}' are the same choice: '{column}' names "
                    f"the structures of '{structure}', one name each, so as two inputs the "
                    "choice is counted twice and weighs double in a model. Keep one of them as "
                    "an input unless that is meant.",
                )
            )
    return notes


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

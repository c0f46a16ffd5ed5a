"""Measured values read from a table of results: each row matched to the campaign's candidate by
its inputs, numbers compared as numbers ('105' is the 105.0 of the campaign file) and text as
written. A table may leave out inputs that follow from the others (the descriptors of a ligand
named in it), as long as each row still names one candidate."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

Key = tuple[object, ...]


def measurements_from(
    frame: pd.DataFrame,
    measured: pd.DataFrame,
    inputs: list[str],
    target: str,
    known: Mapping[int, float] | None = None,
    id_column: str | None = None,
) -> dict[int, float]:
    """{campaign row: value} for the rows of `measured` (a table of inputs and a `target`
    column, indexed by the row numbers to name in errors: the upload reader's 1-based data
    rows); ValueError naming the first row that matches no candidate, several, one `known`
    already has a value for, or one an earlier row of the table gave a value too. The id
    column, when both tables have it, is matched too (it tells repeated inputs apart)."""
    if target not in measured.columns:
        raise ValueError(f"the table of measurements has no column '{target}'")
    named = [id_column] if id_column in measured.columns and id_column in frame.columns else []
    given = named + [c for c in inputs if c in measured.columns]
    if not given:
        raise ValueError(
            f"the table of measurements names none of the inputs ({', '.join(inputs)})"
        )
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in given}
    candidates: dict[Key, list[int]] = {}
    for row, values in enumerate(frame[given].to_numpy()):
        candidates.setdefault(_key(values, given, numeric), []).append(row)
    known = known or {}
    found: dict[int, float] = {}
    first_row: dict[int, int] = {}
    for number, values in zip(measured.index, measured[[*given, target]].to_numpy(), strict=True):
        rows = candidates.get(_key(values[:-1], given, numeric), [])
        where = f"row {number} ({_labels(values[:-1])})"
        if not rows:
            raise ValueError(f"{where}: {_not_a_candidate(frame, given, numeric, values[:-1])}")
        if len(rows) > 1:
            missing = ", ".join(c for c in inputs if c not in given)
            raise ValueError(
                f"{where} matches {len(rows)} candidates; add the column(s) {missing} to tell "
                "them apart"
            )
        row = rows[0]
        if row in known:
            raise ValueError(
                f"{where} was measured already: {target} {known[row]:g} in the campaign file; "
                "leave it out, or correct the value in the campaign file"
            )
        if row in first_row:
            raise ValueError(
                f"rows {first_row[row]} and {number} are the same candidate ({_labels(values[:-1])});"
                " keep one of them, or their mean"
            )
        value = _number(values[-1])
        if not np.isfinite(value):
            raise ValueError(f"{where}: {target} {values[-1]!r} is not a number")
        found[row], first_row[row] = float(value), number
    return found


def _key(values: np.ndarray, columns: list[str], numeric: dict[str, bool]) -> Key:
    """A row's inputs as compared: numbers as floats (NaN when unreadable), text stripped."""
    return tuple(
        _number(value) if numeric[c] else str(value).strip()
        for c, value in zip(columns, values, strict=True)
    )


def _number(value: object) -> float:
    """A cell as a float: numbers as they are, text read as a number, NaN if it is none."""
    if isinstance(value, int | float | np.number):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return float("nan")


def _labels(values: np.ndarray) -> str:
    return ", ".join(_shown(v) for v in values)


def _shown(value: object) -> str:
    """A cell as a person reads it: 80 for 80.0, text as written."""
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


def _not_a_candidate(
    frame: pd.DataFrame, columns: list[str], numeric: dict[str, bool], values: np.ndarray
) -> str:
    """Why a row of inputs matches no candidate: the first input whose value is unknown."""
    for column, value in zip(columns, values, strict=True):
        known = frame[column].dropna().unique()
        if numeric[column]:
            if _number(value) in {float(v) for v in known}:
                continue
            shown = [f"{float(v):g}" for v in sorted(known)]
        else:
            if str(value).strip() in {str(v) for v in known}:
                continue
            shown = sorted(str(v) for v in known)
        listed = ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
        written = _shown(value) if numeric[column] else repr(str(value))
        return (
            f"{column} {written} is not one of the campaign's values ({listed}); correct the "
            "label or add the candidate to the campaign file"
        )
    return "this combination of inputs is not a candidate of the campaign"

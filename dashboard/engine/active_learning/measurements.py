"""Measured values read from a table of results: each row matched to the campaign's candidate by
its inputs, numbers compared as numbers ('105' is the 105.0 of the campaign file), molecules as
molecules (a SMILES written otherwise, 'OCC' for 'CCO', is the same candidate) and other text as
written. A table may leave out inputs that follow from the others (the descriptors of a ligand
named in it), as long as each row still names one candidate."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection, Mapping

import numpy as np
import pandas as pd
from rdkit import Chem
from rdkit.rdBase import BlockLogs

from dashboard.engine.data.upload.table import DECIMAL_COMMA

Key = tuple[object, ...]
Reader = Callable[[object], object]


def measurements_from(
    frame: pd.DataFrame,
    measured: pd.DataFrame,
    inputs: list[str],
    target: str,
    known: Mapping[int, float] | None = None,
    id_column: str | None = None,
    *,
    left_out: pd.DataFrame | None = None,
    reasons: Mapping[int, str] | None = None,
    smiles: Collection[str] = (),
) -> dict[int, float]:
    """{campaign row: value} for the rows of `measured` (a table of inputs and a `target`
    column, indexed by the row numbers to name in errors: the upload reader's 1-based data
    rows); ValueError naming the first row that matches no candidate, several, one `known`
    already has a value for, or one an earlier row of the table gave a value too. The id
    column, when both tables have it, is matched too (it tells repeated inputs apart).
    `left_out` holds the campaign file's rows that its check left out (indexed by file row,
    `reasons` by the same rows): a result for one of them is refused with why it was left out,
    not as an unknown candidate. Columns named in `smiles` are compared as molecules."""
    if target not in measured.columns:
        raise ValueError(f"the table of measurements has no column '{target}'")
    named = [id_column] if id_column in measured.columns and id_column in frame.columns else []
    given = named + [c for c in inputs if c in measured.columns]
    if not given:
        raise ValueError(
            f"the table of measurements names none of the inputs ({', '.join(inputs)})"
        )
    numeric = {c: pd.api.types.is_numeric_dtype(frame[c]) for c in given}
    readers: dict[str, Reader] = {
        c: _number if numeric[c] else _molecule if c in smiles else _text for c in given
    }
    candidates: dict[Key, list[int]] = {}
    for row, values in enumerate(frame[given].to_numpy()):
        candidates.setdefault(_key(values, given, readers), []).append(row)
    known = known or {}
    found: dict[int, float] = {}
    first_row: dict[int, int] = {}
    for number, values in zip(measured.index, measured[[*given, target]].to_numpy(), strict=True):
        rows = candidates.get(_key(values[:-1], given, readers), [])
        where = f"row {number} ({_labels(values[:-1])})"
        if not rows:
            skipped = _left_out_row(left_out, given, readers, values[:-1])
            if skipped is not None:
                why = (reasons or {}).get(skipped, "")
                raise ValueError(
                    f"{where} is row {skipped} of the campaign file, which was left out"
                    + (f" ({why})" if why else "")
                    + "; correct that row in the campaign file, then enter the result"
                )
            raise ValueError(f"{where}: {_not_a_candidate(frame, given, readers, values[:-1])}")
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
        try:
            found[row] = read_result(target, values[-1])
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None
        first_row[row] = number
    return found


def read_result(target: str, value: object) -> float:
    """A measured value of `target` as a finite float, from a number or its text; ValueError
    saying why it is none, with the fix when it is a number written with a decimal comma."""
    number = _number(value)
    if not np.isfinite(number):
        raise ValueError(_not_a_number(target, value))
    return number


def _left_out_row(
    left_out: pd.DataFrame | None,
    columns: list[str],
    readers: dict[str, Reader],
    values: np.ndarray,
) -> int | None:
    """The file row among `left_out` whose inputs are `values`, or None."""
    if left_out is None or not all(c in left_out.columns for c in columns):
        return None
    wanted = _key(values, columns, readers)
    for number, row in zip(left_out.index, left_out[columns].to_numpy(), strict=True):
        if _key(row, columns, readers) == wanted:
            return int(number)
    return None


def _key(values: np.ndarray, columns: list[str], readers: dict[str, Reader]) -> Key:
    """A row's inputs as compared: numbers as floats (NaN when unreadable), molecules as
    canonical SMILES, other text stripped."""
    return tuple(readers[c](value) for c, value in zip(columns, values, strict=True))


def _text(value: object) -> str:
    return str(value).strip()


@functools.lru_cache(maxsize=4096)
def _canonical(text: str) -> str:
    """RDKit's canonical SMILES of `text`, or `text` itself when it does not parse."""
    with BlockLogs():
        molecule = Chem.MolFromSmiles(text)
    return text if molecule is None else Chem.MolToSmiles(molecule)


def _molecule(value: object) -> str:
    return _canonical(_text(value))


def _number(value: object) -> float:
    """A cell as a float: numbers as they are, text read as a number, NaN if it is none."""
    if isinstance(value, int | float | np.number):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return float("nan")


def _not_a_number(target: str, value: object) -> str:
    """Why a result cannot be entered, with the fix when it is a number written otherwise."""
    written = str(value).strip()
    if re.fullmatch(DECIMAL_COMMA, written):
        return (
            f"{target} '{written}' is written with a decimal comma among numbers with points; "
            f"write it as {written.replace(',', '.')}"
        )
    if written in ("", "nan", "None"):
        return f"{target} is empty; give the measured value, or leave the row out"
    return f"{target} '{written}' is not a number; give the measured value as a number"


def _labels(values: np.ndarray) -> str:
    return ", ".join(_shown(v) for v in values)


def _shown(value: object) -> str:
    """A cell as a person reads it: 80 for 80.0, text as written."""
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return str(value)


def _not_a_candidate(
    frame: pd.DataFrame, columns: list[str], readers: dict[str, Reader], values: np.ndarray
) -> str:
    """Why a row of inputs matches no candidate: the first input whose value is unknown."""
    for column, value in zip(columns, values, strict=True):
        known = frame[column].dropna().unique()
        read = readers[column]
        if read(value) in {read(v) for v in known}:
            continue
        numeric = read is _number
        shown = [f"{float(v):g}" for v in sorted(known)] if numeric else sorted(map(str, known))
        listed = ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
        written = _shown(value) if numeric else repr(str(value))
        return (
            f"{column} {written} is not one of the campaign's values ({listed}); correct the "
            "label or add the candidate to the campaign file"
        )
    return "this combination of inputs is not a candidate of the campaign"

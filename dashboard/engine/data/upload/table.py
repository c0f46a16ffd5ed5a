"""From cells as read to a typed table: clean column names, numbers as floats, text as text.

A column is numeric when at least 80 % of its non-empty cells are numbers; its other cells become
NaN, and their text is kept so a dropped row can say why ("'abc' is not a number").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.engine.data.upload.names import is_outcome
from dashboard.engine.data.upload.problems import Problem, Rejected
from dashboard.engine.data.upload.readers import Cell, RawTable
from dashboard.engine.data.upload.structures import formula_problem, smiles_problem
from dashboard.engine.wording import counted, verb

NUMERIC_SHARE = 0.8
"""A column is numeric when at least this share of its filled cells are numbers: a label column
with a few numbers in it ('1', '2b', 'L3') stays text."""
OUTCOME_NUMERIC_SHARE = 0.5
"""The share for a column named like an outcome (yield, ee, gap): its text cells ('trace', '<5',
'n.d.') are results that are not numbers, reported row by row, and the column stays the target
(read as text, another column would have become the target)."""
PENDING_TOKENS = frozenset({"PENDING", "Pending", "pending"})
"""How a campaign file (EDBO+ style) marks a value not measured yet."""
MISSING_TOKENS = frozenset(
    {"", "NA", "N/A", "n/a", "#N/A", "null", "NULL", "None", "none", "-", "--", "—", "?", "nil"}
    | PENDING_TOKENS
)
NAN_TOKENS = frozenset({"nan", "NaN", "NAN"})
NAME_MAX_CHARS = 200
DECIMAL_COMMA = r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?"
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_PERCENT = r"\s*([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*%\s*"
"""A number with a percent sign, '85%' or '12,5 %': read as the number (a yield of 85 %)."""
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Table:
    """An uploaded table with typed columns, before any role or row was chosen.

    `frame` holds numeric columns as float64 (NaN where a cell was empty or not a number) and
    text columns as str or None; its index is the 1-based data row. `unusable[column][row]` keeps
    the text of numeric cells that are not finite numbers ('abc', 'N/A', 'nan', 'inf').
    """

    frame: pd.DataFrame
    title: str
    unusable: dict[str, dict[int, str]] = field(default_factory=dict)

    def numeric(self, column: str) -> bool:
        return is_numeric_column(self.frame[column])


def is_numeric_column(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def build_table(raw: RawTable, title: str) -> tuple[Table, list[Problem]]:
    """Name, type and index the raw cells; Rejected when there is no data row at all."""
    if not raw.rows:
        raise Rejected("The file has column names but no data rows.")
    cells = list(zip(*raw.rows, strict=True))
    positions, warnings = column_positions(raw, cells)
    columns, unusable = {}, {}
    for name, j in positions.items():
        joined = _joined(cells[j])  # one pass in C: most columns hold no comma and no %
        commas = not raw.decimal_comma and "," in joined and _decimal_comma_column(cells[j])
        share = OUTCOME_NUMERIC_SHARE if is_outcome(name) else NUMERIC_SHARE
        values, bad = type_column(cells[j], raw.decimal_comma or commas, "%" in joined, share)
        if isinstance(values, np.ndarray):
            warnings += _reading_notes(name, cells[j], commas, "%" in joined)
        columns[name] = values
        if bad:
            unusable[name] = {raw.row_numbers[i]: text for i, text in bad.items()}
    frame = pd.DataFrame(columns, index=pd.Index(raw.row_numbers, name="row"))
    _refuse_data_as_header(frame)
    return Table(frame, title, unusable), warnings


def column_positions(
    raw: RawTable, cells: list[tuple[Cell, ...]] | None = None
) -> tuple[dict[str, int], list[Problem]]:
    """{column name: its 0-based position in the file} for the columns a table keeps (those with
    a name or a value), named by `clean_names`; and the warnings of the naming. `cells` are the
    raw cells by column, when the caller has them already."""
    if cells is None:
        cells = list(zip(*raw.rows, strict=True))
    keep = [
        j
        for j, name in enumerate(raw.header)
        if name.strip() or any(_filled(cell) for cell in cells[j])
    ]
    names, warnings = clean_names([raw.header[j] for j in keep], [j + 1 for j in keep])
    return dict(zip(names, keep, strict=True)), warnings


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def clean_names(header: list[str], positions: list[int]) -> tuple[list[str], list[Problem]]:
    """Unique, printable column names; empty ones become 'column N', repeats 'name (2)'."""
    warnings: list[Problem] = []
    cleaned = []
    for position, raw in zip(positions, header, strict=True):
        name = " ".join(_CONTROLS.sub(" ", raw).split())
        if len(name) > NAME_MAX_CHARS:
            name = name[:NAME_MAX_CHARS]
            warnings.append(
                Problem(None, name, f"The name of column {position} is cut to 200 characters.")
            )
        cleaned.append(name)
    taken = set(cleaned)
    names, counts = [], Counter()
    for position, name in zip(positions, cleaned, strict=True):
        if not name:
            name = _free_name(f"column {position}", taken)
            warnings.append(
                Problem(None, name, f"Column {position} has no name; it is called '{name}'.")
            )
        elif counts[name]:
            new = _free_name(f"{name} ({counts[name] + 1})", taken)
            warnings.append(
                Problem(
                    None,
                    new,
                    f"The column name '{name}' appears more than once; "
                    f"column {position} is called '{new}'.",
                )
            )
            counts[name] += 1
            name = new
        counts[name] += 1
        taken.add(name)
        names.append(name)
    return names, warnings


def _free_name(name: str, taken: set[str]) -> str:
    candidate, k = name, 1
    while candidate in taken:
        k += 1
        candidate = f"{name} #{k}"
    return candidate


def type_column(
    values: Sequence[Cell],
    decimal_comma: bool,
    percent: bool = True,
    numeric_share: float = NUMERIC_SHARE,
) -> tuple[list | np.ndarray, dict]:
    """Floats (+ the text of non-finite cells by position) for a column whose filled cells are
    at least `numeric_share` numbers, else text; `percent` False says that no cell holds a %
    sign (the caller looked)."""
    cells = pd.Series([v.strip() if isinstance(v, str) else v for v in values], dtype=object)
    empty = cells.isna() | cells.isin(MISSING_TOKENS)
    written = cells
    if percent and any(isinstance(v, str) and "%" in v for v in cells):
        text_cells = cells.map(lambda v: isinstance(v, str)).astype(bool)
        cells = cells.copy()
        cells[text_cells] = cells[text_cells].str.replace(f"^{_PERCENT}$", r"\1", regex=True)
    if decimal_comma:
        cells = _decimal_points(cells)
    numbers = _exact(cells, pd.to_numeric(cells, errors="coerce").astype("float64"))
    text = numbers.isna() & ~empty & ~cells.isin(NAN_TOKENS)
    for i in np.flatnonzero(text.to_numpy()):
        if isinstance(cells.iat[i], str) and _NUMBER.fullmatch(cells.iat[i]):
            numbers.iat[i], text.iat[i] = float(cells.iat[i]), False
    n_text = int(text.sum())
    n_numbers = int((~empty).sum()) - n_text
    # a column of PENDING marks, or an empty one, may be a target nothing was measured of yet
    pending_only = n_text == 0 and (bool(cells.isin(PENDING_TOKENS).any()) or bool(empty.all()))
    if not pending_only and (n_numbers == 0 or n_numbers < numeric_share * (n_numbers + n_text)):
        return [None if e else _as_text(v) for v, e in zip(written, empty, strict=True)], {}
    values_array = numbers.to_numpy()
    bad = {
        int(i): _raw_text(values[i], values_array[i])
        for i in np.flatnonzero(~np.isfinite(values_array))
        if _raw_text(values[i], values_array[i])
    }
    return values_array, bad


def _exact(cells: pd.Series, numbers: pd.Series) -> pd.Series:
    """`numbers` with each cell that pandas' fast parser may round wrongly parsed again by
    Python, which rounds correctly: text of more than 15 characters ('0.14577548199999998' ->
    0.1457754819999999, one off in the last digit, which a download then shows) or with an
    exponent ('9.87654321e+299' -> 9.876543209999999e+299: a quarter of 360,000 random short
    numbers with exponents from -330 to 310 came out one off, subnormals too). Its parse is
    exact while the digits and the power of ten are both exact floats (up to 1e22): of a
    million random plain numbers of up to 15 characters none differed. So nearly all of a
    table is not parsed twice: on a 100,000 x 20 upload of 7-character numbers, parsing every
    cell again cost 0.5 s (2.5 -> 3.0 s); this test costs about 0.25 s."""
    again = cells.map(_may_round_wrongly).to_numpy(bool)
    written = numbers.notna().to_numpy() & again
    exact = numbers.copy()
    exact[written] = cells[written].to_numpy(dtype=object).astype("float64")
    return exact


def _may_round_wrongly(cell: Cell) -> bool:
    """Text that pandas' parser may read one off in the last digit (see `_exact`)."""
    return isinstance(cell, str) and (len(cell) > 15 or "e" in cell or "E" in cell)


def _reading_notes(name: str, values: Sequence[Cell], commas: bool, percent: bool) -> list[Problem]:
    """What a numeric column's reading changed: decimal commas, % signs dropped."""
    notes = []
    if commas:
        notes.append(
            Problem(
                None,
                name,
                f"'{name}' is written with decimal commas ('{_first_comma(values)}'); its values "
                "are read as numbers with a decimal point.",
            )
        )
    if percent and (count := _percent_count(values)):
        notes.append(
            Problem(
                None,
                name,
                f"{counted(count, 'value')} of '{name}' {verb(count, 'is', 'are')} written with "
                "a % sign, read as the number without it (85% as 85).",
            )
        )
    return notes


def _joined(values: Sequence[Cell]) -> str:
    """The text cells of a column joined, to look for a character in one pass."""
    try:
        return "\x1f".join(values)  # type: ignore[arg-type]
    except TypeError:  # numbers or empty cells (a workbook, Parquet)
        return "\x1f".join(v for v in values if isinstance(v, str))


def _decimal_comma_column(values: Sequence[Cell]) -> bool:
    """Whether a column of a comma-separated file holds numbers written with a decimal comma
    ('83,7', quoted in the file): every text cell with a comma is such a number, no cell has a
    decimal point (a column that mixes both is left to say which cells are not numbers), and
    not all of them have three digits after the comma (then it may separate thousands)."""
    texts = [v.strip() for v in values if isinstance(v, str)]
    commas = [v for v in texts if "," in v]
    if not commas or any("." in v for v in texts):
        return False
    if not all(re.fullmatch(DECIMAL_COMMA, v) for v in commas):
        return False
    return not all(len(v.split(",")[1].split("e")[0].split("E")[0]) == 3 for v in commas)


def _first_comma(values: Sequence[Cell]) -> str:
    return next(v.strip() for v in values if isinstance(v, str) and "," in v)


def _percent_count(values: Sequence[Cell]) -> int:
    """How many cells are numbers written with a percent sign."""
    return sum(1 for v in values if isinstance(v, str) and "%" in v and re.fullmatch(_PERCENT, v))


def _decimal_points(cells: pd.Series) -> pd.Series:
    """'1,5' -> '1.5' for cells that are numbers written with a decimal comma."""
    comma = cells.map(lambda v: isinstance(v, str) and "," in v).astype(bool)
    if not comma.any():
        return cells
    matched = cells[comma].str.fullmatch(DECIMAL_COMMA).fillna(False).astype(bool)
    index = matched[matched].index
    converted = cells.copy()
    converted[index] = cells[index].str.replace(",", ".", regex=False)
    return converted


def _as_text(value: Cell) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _raw_text(value: Cell, number: float) -> str:
    """The cell as the user wrote it, for a non-finite number ('' for an empty cell)."""
    if isinstance(value, str):
        return value.strip()
    if value is not None and math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return ""


def cell_reason(raw: str | None, value: float) -> str:
    """Why a numeric cell cannot be used: empty, a missing-value mark, NaN, infinite or text."""
    if not raw:
        return "the cell is empty"
    if raw in MISSING_TOKENS:
        return f"the value is missing ('{raw}')"
    if raw in NAN_TOKENS:
        return f"'{raw}' is not a number (NaN)"
    if math.isinf(value):
        return f"'{raw}' is infinite"
    return f"'{raw}' is not a number"


def _refuse_data_as_header(frame: pd.DataFrame) -> None:
    """Reject a file whose first line is data ('NaCl,8.5'), not column names."""
    numeric = [is_numeric_column(frame[c]) for c in frame.columns]
    names = [str(c) for c in frame.columns]
    is_number = [bool(_NUMBER.fullmatch(n)) for n in names]
    numbers_over_numbers = all(n for n, num in zip(is_number, numeric, strict=True) if num)
    structure_names = any(
        not num and (formula_problem(n) is None or smiles_problem(n) is None)
        for n, num in zip(names, numeric, strict=True)
    )
    if any(is_number) and (all(is_number) or (numbers_over_numbers and structure_names)):
        shown = ", ".join(f"'{n}'" for n in names[:4])
        raise Rejected(
            f"The first line looks like data ({shown}), not column names. Add a header line "
            "naming each column, for example 'formula,gap'."
        )

"""CSV export that a spreadsheet opens as data: cells that would run as formulas are neutralised.

Excel, LibreOffice and Google Sheets treat a cell starting with = + - @ (or a tab or carriage
return before one) as a formula, which can run commands or leak data ("CSV injection"). Following
OWASP, every such TEXT cell gets a leading apostrophe, which spreadsheets show as text. Text
that looks like a number ('-1.5' in a text column) is prefixed too: it is text in the table, and
guessing which text is harmless is how injection gets through. Numeric columns are written as
numbers, untouched, so a negative value stays a negative value; `whole_numbers` first makes a
float column of whole numbers integers, so that 221 is not written as 221.0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EXACT_INTEGERS = 2**53
"""Whole numbers up to this size are exact in a float, so they are written as integers."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""Leading characters a spreadsheet may run as a formula (with the full-width forms)."""


def neutralise(text: str) -> str:
    """'=1+1' -> "'=1+1"; other text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_safe_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text (no index), with text cells and column names neutralised.

    Lines end in CRLF (RFC 4180), so a carriage return inside a cell is quoted like a newline.
    """
    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\r\n")


def whole_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each numeric column of whole numbers as integers (105, not 105.0); empty
    cells stay empty and other numbers are untouched (written in full by `to_safe_csv`)."""
    whole = [column for column in frame.columns if _whole(frame[column])]
    return frame.astype({column: "Int64" for column in whole}) if whole else frame


def _whole(values: pd.Series) -> bool:
    """A float column whose filled cells are all exact whole numbers."""
    if not pd.api.types.is_float_dtype(values):
        return False
    filled = values.dropna().to_numpy()
    return bool(
        filled.size
        and np.isfinite(filled).all()
        and (np.abs(filled) < EXACT_INTEGERS).all()
        and (filled == np.round(filled)).all()
    )

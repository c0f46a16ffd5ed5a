"""The Data page's download: the rows in use as spreadsheet-safe CSV, named after the dataset.

It holds what the table shows and the other pages learn from: the rows the check kept, under
the roles in force. Rows left out ('trace', 'n.d.' in a yield column) are not in it: written
back with an empty cell they would read as not measured yet, candidates of a campaign, which
they are not. The note under the button says how many rows it holds and how many were left
out; the uploaded file itself has them all.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
from dash import no_update

from dashboard import catalog
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.export import to_safe_csv
from dashboard.pages.data.roles import own_meta
from dashboard.store import SessionError

EXACT_INTEGERS = 2**53
"""Whole numbers up to this size are exact in a float, so they are written as integers."""


def download(_clicks, key: str, sid: str):
    """The chosen dataset's rows in use as CSV (a callback: the 'Download CSV' button)."""
    try:
        dataset = catalog.load(sid, key)
        meta = own_meta(sid, key)
    except (KeyError, ValueError, SessionError):
        return no_update
    return {
        "content": to_safe_csv(whole_numbers(dataset.frame)),
        "filename": file_name(dataset, meta, key.startswith(catalog.UPLOAD)),
        "type": "text/csv",
    }


def download_note(key: str, dataset: Dataset, sid: str | None) -> str:
    """What the download holds: the rows in use, and how many of the file's were left out."""
    try:
        meta = own_meta(sid, key)
    except (KeyError, ValueError, SessionError):
        meta = {}
    in_file = int(meta.get("file_rows", dataset.rows))
    if in_file <= dataset.rows:
        return f"The CSV holds the {dataset.rows:,} rows of the table."
    left_out = in_file - dataset.rows
    return (
        f"The CSV holds the {dataset.rows:,} rows in use; the {left_out:,} of the file's "
        f"{in_file:,} that were left out (see the notes) are not in it."
    )


def file_name(dataset: Dataset, meta: dict, own: bool) -> str:
    """'yield_trace_nd-checked.csv' for an upload (its file's name, and its sheet when it was
    read from another than the first), 'expt-gap.csv' for a built-in: never 'upload.csv'."""
    if not own:
        return f"{_tidy(dataset.id)}.csv"
    stem = PurePosixPath(str(meta.get("filename") or dataset.id)).stem
    sheet = f"-{meta['sheet']}" if meta.get("sheet") else ""
    return f"{_tidy(stem + sheet)}-checked.csv"


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


def _tidy(name: str) -> str:
    """A file name without characters a file system may refuse ('a/b:c' -> 'a_b_c')."""
    return re.sub(r"[^\w.()+ -]", "_", name).strip(" .") or "dataset"

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

from dash import no_update

from dashboard import catalog
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.export import to_safe_csv, whole_numbers
from dashboard.pages.data.roles import own_meta
from dashboard.store import SessionError


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


def _tidy(name: str) -> str:
    """A file name without characters a file system may refuse ('a/b:c' -> 'a_b_c')."""
    return re.sub(r"[^\w.()+ -]", "_", name).strip(" .") or "dataset"

"""The "Next to measure" table: the current step's picks with their inputs (what to run) and
predictions, as rows or CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import no_update

from dashboard import campaigns, catalog, runtime
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.active_learning.descriptors import not_shown, pick_inputs
from dashboard.engine.active_learning.measurements import read_result
from dashboard.engine.data.export import to_safe_csv, whole_numbers
from dashboard.store import SessionError

FILE_ROW = "row in file"
"""An upload's picks also name their row in the user's file (1 = the first row under the column
names); the dataset row stays the key that measured values are entered by."""
HEADER_HELP = {
    FILE_ROW: "The row in your file, counting data rows from the first row under the column "
    "names as 1; a spreadsheet, which counts the names' row too, shows row N as N + 1.",
    "row": "The row of the dataset, counting from 0.",
}
MEASURED = "measured"


def table(view: campaigns.View, sid, columns: list[str]) -> pd.DataFrame:
    """The step's picks: dataset row (and for an upload the row in its file), id, the input
    `columns`, predicted mean, σ and score (to three significant figures: EI and PI may be
    tiny), best first."""
    dataset = catalog.load(sid, view.config.dataset_id)
    positions = np.flatnonzero(view.picked)
    rows = view.pool_rows[positions]
    frame = dataset.frame.iloc[rows][[c for c in (dataset.id_column, *columns) if c]].copy()
    frame.insert(0, "row", rows)
    in_file = _file_rows(view.config.dataset_id, sid)
    if in_file is not None:
        frame.insert(1, FILE_ROW, in_file[rows])
    frame["predicted"] = np.round(view.snapshot.mean[positions], 4)
    frame["sigma"] = np.round(view.snapshot.std[positions], 4)
    frame["score"] = [float(f"{v:.3g}") for v in view.snapshot.score[positions]]
    return frame.sort_values("score", ascending=False, kind="stable")


def panel(view: campaigns.View, sid) -> tuple[list[dict], list[dict], str]:
    """Rows and columns of the suggestions table and the text above it (no rows while reviewing
    a past step); `pick_inputs`, which compares every label with every setting (11 ms on EDBO+'s
    campaign file), is found once for both."""
    if view.snapshot.step != view.steps:
        return [], [], "Reviewing a past step: move the slider to the end to see the current picks."
    shown, more, described = pick_inputs(catalog.load(sid, view.config.dataset_id))
    return *grid(view, sid, shown), help_text(view, more, described)


def grid(view: campaigns.View, sid, shown: list[str]) -> tuple[list[dict], list[dict]]:
    """Rows and columns of the suggestions table with the inputs `shown`: the row pinned on the
    left, in real mode the measured value to type pinned on the right."""
    frame = table(view, sid, shown)
    columns = [
        _column(str(c), _width(c, frame[c]), hide=c == "row" and FILE_ROW in frame)
        for c in frame.columns
    ]
    if view.config.mode == REAL:
        frame[MEASURED] = None
        columns.append(
            {
                "field": MEASURED,
                "headerName": "measured (type here)",
                "headerTooltip": "Type the value you measured; rows left empty stay candidates.",
                "editable": True,
                "width": _width("measured (type here)", []),
                "cellDataType": "text",  # kept as typed: '13,2' and 'n.d.' reach typed_values
                "pinned": "right",
            }
        )
    return frame.astype(object).where(frame.notna(), None).to_dict("records"), columns


def typed_values(rows: list[dict] | None, target: str) -> dict[int, float]:
    """{dataset row: value} of the values typed into the column 'measured', read as the
    command line reads results (a lone decimal comma refused with its fix); ValueError naming
    every row whose text is not a number, so that nothing typed vanishes unnoticed."""
    values, problems = {}, []
    for row in rows or []:
        written = row.get(MEASURED)
        if written is None or str(written).strip() == "":
            continue
        try:
            values[int(row["row"])] = read_result(target, written)
        except ValueError as err:
            problems.append(f"{_row_name(row)}: {err}.")
    if problems:
        raise ValueError(" ".join([*problems, "Nothing was entered: correct it and enter again."]))
    if not values:
        raise ValueError("Type a measured value in the column 'measured' first.")
    return values


def _row_name(row: dict) -> str:
    """How the table names a row to its user: by its row in the file when it has one."""
    return f"Row {row[FILE_ROW]} in the file" if FILE_ROW in row else f"Row {row['row']}"


def _width(header: str, values) -> int:
    """Pixels for a column to show its header and its longest value whole (NiCl2DME, not
    NiCl2…), within 70–240: the table scrolls sideways when the columns need more."""
    longest = max([len(str(header)), *(len(str(v)) for v in values)])
    return min(240, max(70, 8 * longest + 36))


def _column(name: str, width: int, hide: bool) -> dict:
    """A read-only column of the table; the row's column pinned on the left, with its meaning."""
    column = {"field": name, "headerName": name, "hide": hide, "width": width}
    if name in HEADER_HELP:
        column.update(headerTooltip=HEADER_HELP[name], pinned="left")
    return column


def help_text(view: campaigns.View, more: list[str], described: list[str]) -> str:
    """What to do with the table: measure (real mode) or step (simulated); and that the CSV has
    the inputs it leaves out: `more` settings and the `described` descriptors of its labels."""
    if view.config.mode == REAL:
        text = (
            "Measure these, type the values in the column 'measured' and press 'Enter these "
            "values and step'; rows you leave empty stay candidates."
        )
    else:
        text = "Step reveals these rows' known values; in real mode you would measure them."
    if more or described:
        text += f" The CSV download adds {not_shown(more, described)}."
    return text


def download(_clicks, sid):
    """The current picks with every input as CSV, whole numbers as integers (221, not 221.0) and
    other numbers in full (a callback: the 'Download suggestions' button)."""
    try:
        view = campaigns.view(sid)
        every = [c for part in pick_inputs(catalog.load(sid, view.config.dataset_id)) for c in part]
        frame = table(view, sid, every)
    except (ValueError, KeyError, SessionError):
        return no_update
    return {
        "content": to_safe_csv(whole_numbers(frame)),
        "filename": "suggestions.csv",
        "type": "text/csv",
    }


def _file_rows(key: str, sid) -> np.ndarray | None:
    """The file row of each dataset row of an upload kept with its file, else None."""
    if not key.startswith(catalog.UPLOAD):
        return None
    return runtime.current().store.load_row_numbers(sid, key.removeprefix(catalog.UPLOAD))

"""The "Next to measure" table: the current step's picks with their predictions, as rows or CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import no_update

from dashboard import campaigns, catalog, runtime
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.data.export import to_safe_csv
from dashboard.store import SessionError

FILE_ROW = "row in file"
"""An upload's picks also name their row in the user's file (1-based, as the Data page's notes
and a spreadsheet count); the dataset row stays the key that measured values are entered by."""


def table(view: campaigns.View, sid) -> pd.DataFrame:
    """The step's picks: dataset row (and for an upload the row in its file), id and structure,
    predicted mean, σ and score (to three significant figures: EI and PI may be tiny), best
    first."""
    dataset = catalog.load(sid, view.config.dataset_id)
    positions = np.flatnonzero(view.picked)
    rows = view.pool_rows[positions]
    shown = [c for c in (dataset.id_column, dataset.structure_column) if c]
    frame = dataset.frame.iloc[rows][shown].copy()
    frame.insert(0, "row", rows)
    in_file = _file_rows(view.config.dataset_id, sid)
    if in_file is not None:
        frame.insert(1, FILE_ROW, in_file[rows])
    frame["predicted"] = np.round(view.snapshot.mean[positions], 4)
    frame["sigma"] = np.round(view.snapshot.std[positions], 4)
    frame["score"] = [float(f"{v:.3g}") for v in view.snapshot.score[positions]]
    return frame.sort_values("score", ascending=False, kind="stable")


def grid(view: campaigns.View, sid) -> tuple[list[dict], list[dict]]:
    """Rows and columns of the suggestions table (empty while reviewing a past step)."""
    if view.snapshot.step != view.steps:
        return [], []
    frame = table(view, sid)
    columns = [
        {"field": str(c), "headerName": str(c), "hide": c == "row" and FILE_ROW in frame}
        for c in frame.columns
    ]
    if view.config.mode == REAL:
        frame["measured"] = None
        columns.append(
            {
                "field": "measured",
                "headerName": "measured (type here)",
                "editable": True,
                "cellDataType": "number",
            }
        )
    return frame.astype(object).where(frame.notna(), None).to_dict("records"), columns


def help_text(view: campaigns.View) -> str:
    """What to do with the table: measure (real mode), step (simulated), or go to the last step."""
    if view.snapshot.step != view.steps:
        return "Reviewing a past step: move the slider to the end to see the current picks."
    if view.config.mode == REAL:
        return (
            "Measure these, type the values in the last column and press the button; rows "
            "you leave empty stay candidates."
        )
    return "Step reveals these rows' known values; in real mode you would measure them."


def download(_clicks, sid):
    """The current picks as CSV (a callback: the 'Download suggestions' button)."""
    try:
        view = campaigns.view(sid)
        frame = table(view, sid)
    except (ValueError, KeyError, SessionError):
        return no_update
    return {"content": to_safe_csv(frame), "filename": "suggestions.csv", "type": "text/csv"}


def _file_rows(key: str, sid) -> np.ndarray | None:
    """The file row of each dataset row of an upload kept with its file, else None."""
    if not key.startswith(catalog.UPLOAD):
        return None
    return runtime.current().store.load_row_numbers(sid, key.removeprefix(catalog.UPLOAD))

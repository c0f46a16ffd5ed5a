"""The "Next to measure" table: the current step's picks with their predictions, as rows or CSV."""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import no_update

from dashboard import campaigns, catalog
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.data.export import to_safe_csv
from dashboard.store import SessionError


def table(view: campaigns.View, sid) -> pd.DataFrame:
    """The step's picks: dataset row, id and structure, predicted mean, σ and score (to three
    significant figures: EI and PI may be tiny), best first."""
    dataset = catalog.load(sid, view.config.dataset_id)
    positions = np.flatnonzero(view.picked)
    rows = view.pool_rows[positions]
    shown = [c for c in (dataset.id_column, dataset.structure_column) if c]
    frame = dataset.frame.iloc[rows][shown].copy()
    frame.insert(0, "row", rows)
    frame["predicted"] = np.round(view.snapshot.mean[positions], 4)
    frame["sigma"] = np.round(view.snapshot.std[positions], 4)
    frame["score"] = [float(f"{v:.3g}") for v in view.snapshot.score[positions]]
    return frame.sort_values("score", ascending=False, kind="stable")


def grid(view: campaigns.View, sid) -> tuple[list[dict], list[dict]]:
    """Rows and columns of the suggestions table (empty while reviewing a past step)."""
    if view.snapshot.step != view.steps:
        return [], []
    frame = table(view, sid)
    columns = [{"field": str(c), "headerName": str(c)} for c in frame.columns]
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

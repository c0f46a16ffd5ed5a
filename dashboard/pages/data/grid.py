"""The virtualised table: an AG Grid on the infinite row model, fed one block of rows at a time."""

from __future__ import annotations

import dash_ag_grid as dag

from dashboard.engine.data.dataset import Dataset

GRID_BLOCK = 100


def dataset_grid(dataset: Dataset) -> dag.AgGrid:
    """A fresh grid on the infinite row model: the browser holds only the rows in view."""
    column_defs = [
        {
            "field": str(c),
            "headerName": str(c),
            "sortable": True,
            "resizable": True,
            "filter": False,
            "headerTooltip": _role_of(dataset, c),
        }
        for c in dataset.frame.columns
    ]
    return dag.AgGrid(
        id="data-grid",
        columnDefs=column_defs,
        rowModelType="infinite",
        dashGridOptions={
            "cacheBlockSize": GRID_BLOCK,
            "maxBlocksInCache": 20,
            "rowBuffer": 20,
            "infiniteInitialRowCount": min(dataset.rows, GRID_BLOCK),
        },
        defaultColDef={"minWidth": 110, "flex": 1},
        className="ag-theme-alpine mi-grid",
    )


def _role_of(dataset: Dataset, column: str) -> str:
    """The role of a column in words, for its header tooltip."""
    if column in dataset.structure_columns:
        return f"input: structure ({dataset.structure_kind})"
    if column in dataset.categorical_columns:
        return "input: categorical (text labels)"
    if column in dataset.feature_columns:
        return "input: numeric"
    if column in dataset.target_columns:
        unit = dataset.units.get(column)
        return f"target ({unit})" if unit else "target"
    return "id" if column == dataset.id_column else "not used"


def records(block) -> list[dict]:
    """JSON-safe rows (NaN and inf as empty cells)."""
    cleaned = block.astype(object).where(block.notna(), None)
    return cleaned.to_dict("records")

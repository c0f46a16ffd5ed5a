"""Data: pick a built-in dataset or upload one, see it in a virtualised table, set column roles.

The page's layout, callbacks and pieces (upload, grid, overview, role editor) are its modules."""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.pages.data.callbacks import register_callbacks
from dashboard.pages.data.layout import layout


def register(app: Dash) -> None:
    dash.register_page(
        __name__, path="/data", name="Data", title="Data · MI Dashboard", order=1, layout=layout
    )
    register_callbacks(app)

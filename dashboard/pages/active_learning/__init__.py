"""Active Learning: a model with uncertainty picks what to measure next, step by step.

`layout` draws the page and `callbacks` wires it; `register(app)` adds both to an app.
"""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.pages.active_learning import callbacks, layout


def register(app: Dash) -> None:
    dash.register_page(
        __name__,
        path="/active-learning",
        name="Active Learning",
        title="Active Learning · MI Dashboard",
        order=3,
        layout=layout.layout,
    )
    callbacks.register_callbacks(app)

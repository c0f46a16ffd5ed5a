"""Home: a first step for newcomers, what transfer and active learning are, where to go.

`layout` draws the page, `explorer` is its live Gaussian process; `register(app)` adds both.
"""

from __future__ import annotations

import dash
from dash import Dash

from dashboard.pages.home import explorer, layout


def register(app: Dash) -> None:
    dash.register_page(
        __name__, path="/", name="Home", title="MI Dashboard", order=0, layout=layout.layout
    )
    explorer.register_callbacks(app)

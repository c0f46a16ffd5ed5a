"""A plot in a half-width column with a short paragraph on how to read it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": [
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
}
"""The plots' tool bar: download, zoom, pan and reset only. The full bar is half as wide as a
half-width plot and covered its title wherever it is always shown (touch screens)."""
UNSEEN = {"visibility": "hidden", "height": 0, "overflow": "hidden"}
"""The style of a panel of these plots with nothing to show yet: laid out at its width but
unseen and taking no room. Under display:none its plots were drawn at Plotly's default 700 px
and reached past their cards (by 296 px on a desktop, 349 px on a phone) for the first frames
after they showed, until a resize up to seconds later."""


def explained_graph(graph_id: str, explanation: str, height: int = 420) -> dbc.Col:
    """dcc.Graph `graph_id` (filled by a callback) above its explanation, half the row on large
    screens; it holds `height` px (its figure's height) from the start, so nothing shifts."""
    return dbc.Col(
        [
            dcc.Graph(id=graph_id, config=GRAPH_CONFIG, style={"height": f"{height}px"}),
            html.P(explanation, className="mi-explain"),
        ],
        lg=6,
    )

"""A plot in a half-width column with a short paragraph on how to read it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


def explained_graph(graph_id: str, explanation: str) -> dbc.Col:
    """dcc.Graph `graph_id` (filled by a callback) above its explanation, half the row on large screens."""
    return dbc.Col(
        [
            dcc.Graph(id=graph_id, config={"displaylogo": False}),
            html.P(explanation, className="mi-explain"),
        ],
        lg=6,
    )

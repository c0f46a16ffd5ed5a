"""A labelled form control with a one-line explanation under it, for the settings panels."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def labelled(label: str, control, help_text: str = "") -> html.Div:
    """Label above, control, then a short sentence saying what the setting does."""
    return html.Div(
        [
            dbc.Label(label, className="mb-0 small fw-semibold"),
            control,
            dbc.FormText(help_text, className="d-block"),
        ],
        className="mb-2",
    )

"""A labelled form control with a one-line explanation under it, for the settings panels."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html


def labelled(label: str, control, help_text: str = "") -> html.Div:
    """Label above, control, then a short sentence saying what the setting does.

    The label names the control for screen readers: `for` points at a plain input, and
    assets/a11y.js gives dropdowns and sliders inside `.mi-field` the label's id. The control's
    box keeps a dropdown's height while Dash is still loading it, so nothing below it shifts.
    """
    control_id = getattr(control, "id", None)
    names = (
        {"html_for": control_id, "id": f"{control_id}-label"} if isinstance(control_id, str) else {}
    )
    return html.Div(
        [
            dbc.Label(label, className="mb-0 small fw-semibold", **names),
            html.Div(control, className="mi-control"),
            dbc.FormText(help_text, className="d-block") if help_text else None,
        ],
        className="mb-2 mi-field",
    )

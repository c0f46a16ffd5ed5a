"""The "mi" Plotly template: transparent backgrounds and mid-grey ink that read on light and dark."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

INK = "#8a8f98"
GRID = "rgba(138, 143, 152, 0.25)"
COLORS = {
    "measured": "#d9480f",
    "candidate": "#4c6ef5",
    "next": "#2b8a3e",
    "baseline": "#868e96",
    "transfer": "#7048e8",
    "band": "rgba(134, 142, 150, 0.25)",
}


def register_template() -> None:
    """Add the template to plotly's registry (idempotent)."""
    axis = {"gridcolor": GRID, "zerolinecolor": GRID, "linecolor": GRID, "automargin": True}
    pio.templates["mi"] = go.layout.Template(
        pio.templates["plotly_white"],
        layout={
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {
                "color": INK,
                "family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            },
            "xaxis": axis,
            "yaxis": axis,
            "margin": {"l": 50, "r": 20, "t": 40, "b": 45},
            "legend": {"bgcolor": "rgba(0,0,0,0)"},
            "title": {"x": 0.01, "xanchor": "left", "font": {"size": 15}},
            "colorway": ["#4c6ef5", "#d9480f", "#2b8a3e", "#7048e8", "#e8590c", "#1098ad"],
        },
    )


def note_figure(title: str, note: str, height: int = 380) -> go.Figure:
    """An empty plot that says in its middle why there is nothing to draw yet."""
    fig = go.Figure()
    fig.add_annotation(text=note, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(title=title, height=height)
    return fig

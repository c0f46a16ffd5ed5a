"""The "mi" Plotly template: transparent backgrounds and mid-grey ink that read on light and dark."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

INK = "#8a8f98"
NOTE_WIDTH = 40
"""Characters a line of a plot's note holds at most: about 260 px at the template's 12-px font,
which fits a plot at a 390-px phone's width (Plotly does not wrap text by itself)."""
TOOLBAR_PX = 34
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
    """Add the template to plotly's registry (idempotent).

    Built from nothing rather than on plotly_white: a figure carries its whole template to the
    browser, and plotly_white's defaults for 3-D scenes, maps, polar axes and every trace type
    weighed 7 KB in each of the five plots a campaign step redraws.
    """
    axis = {
        "gridcolor": GRID,
        "zerolinecolor": GRID,
        "linecolor": GRID,
        "automargin": True,
        "ticks": "",
        "title": {"standoff": 15},
    }
    pio.templates["mi"] = go.layout.Template(
        layout={
            "autotypenumbers": "strict",
            "hovermode": "closest",
            "hoverlabel": {"align": "left"},
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
            "title": {
                "x": 0.01,
                "xanchor": "left",
                "font": {"size": 15},
                # below the plot's tool bar (about 30 px at the top right), pushing the plot down
                "yref": "container",
                "y": 1,
                "yanchor": "top",
                "pad": {"t": TOOLBAR_PX},
                "automargin": True,
            },
            "colorway": ["#4c6ef5", "#d9480f", "#2b8a3e", "#7048e8", "#e8590c", "#1098ad"],
        },
    )


def legend_below(fig: go.Figure) -> go.Figure:
    """A horizontal legend at the bottom of the figure, under the x-axis title: Plotly grows the
    bottom margin to fit it, so axis titles and legend never touch whatever the width.

    Set as one property: `update_layout` parses every key as a path and took 8 ms a call, on
    each of the five plots a campaign step redraws."""
    fig.layout.legend = {
        "orientation": "h",
        "yref": "container",
        "y": 0,
        "yanchor": "bottom",
        "x": 0,
        "xanchor": "left",
    }
    return fig


def titled(fig: go.Figure, title: str, height: int, x_title: str, y_title: str) -> go.Figure:
    """The figure's title, height and axis titles (one plot), each set as one property (see
    `legend_below`)."""
    layout = fig.layout
    layout.title.text, layout.height = title, height
    layout.xaxis.title.text, layout.yaxis.title.text = x_title, y_title
    return fig


def wrapped(text: str, width: int = NOTE_WIDTH) -> str:
    """`text` in lines of at most `width` characters joined by <br>: a long note in one line ran
    past the plot's edges at phone width and was clipped."""
    return "<br>".join(textwrap.wrap(text, width))


def note_figure(title: str, note: str, height: int = 380) -> go.Figure:
    """An empty plot that says in its middle why there is nothing to draw yet."""
    fig = go.Figure()
    fig.add_annotation(
        text=wrapped(note), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(title=title, height=height)
    return fig

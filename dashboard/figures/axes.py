"""Axes and reference lines written as plain layout, for figures redrawn on every campaign step.

Why by hand: plotly's `make_subplots` and `add_hline` validate a grid of subplots and every shape
they add, about 40 ms a figure; the two history plots of the Active Learning page spent 180 ms of
a step's 340 ms server-side redraw there (qm9). The same layout written as a dict costs ~5 ms and
draws the same figure.
"""

from __future__ import annotations

SPACING = 0.08
"""Vertical gap between two rows, as a share of the plot height."""
SECONDARY_WIDTH = 0.06
"""Share of the width left to the right of the plot for a secondary y-axis."""


def two_rows(top_share: float, secondary: bool = False) -> tuple[dict, dict[str, tuple[str, str]]]:
    """Two rows sharing one x-axis (ticks on the bottom row only): the layout's axes and, by
    name, the (xaxis, yaxis) a trace sets to go in "top", "bottom" or, with `secondary`, "right"
    (a second y-axis on the right of the top row)."""
    usable = 1.0 - SPACING
    split = 1.0 - top_share * usable
    width = [0.0, 1.0 - SECONDARY_WIDTH if secondary else 1.0]
    bottom_y = "y3" if secondary else "y2"
    layout = {
        "xaxis": {"anchor": "y", "domain": width, "matches": "x2", "showticklabels": False},
        "xaxis2": {"anchor": bottom_y, "domain": width},
        "yaxis": {"anchor": "x", "domain": [split, 1.0]},
        f"yaxis{bottom_y[1:]}": {"anchor": "x2", "domain": [0.0, split - SPACING]},
    }
    places = {"top": ("x", "y"), "bottom": ("x2", bottom_y)}
    if secondary:
        layout["yaxis2"] = {"anchor": "x", "overlaying": "y", "side": "right", "showgrid": False}
        places["right"] = ("x", "y2")
    return layout, places


def one_row_with_right_axis() -> tuple[dict, dict[str, tuple[str, str]]]:
    """One plot with a second y-axis on the right: the layout's axes and the (xaxis, yaxis) of
    "left" and "right"."""
    width = [0.0, 1.0 - SECONDARY_WIDTH]
    layout = {
        "xaxis": {"anchor": "y", "domain": width},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
        "yaxis2": {"anchor": "x", "overlaying": "y", "side": "right", "showgrid": False},
    }
    return layout, {"left": ("x", "y"), "right": ("x", "y2")}


def hline(y: float, place: tuple[str, str], color: str, dash: str, text: str) -> tuple[dict, dict]:
    """A horizontal line across the plot at `place` (an (xaxis, yaxis) pair) and its label at
    the bottom right: a shape and an annotation for the layout."""
    xref, yref = f"{place[0]} domain", place[1]
    shape = {
        "type": "line",
        "xref": xref,
        "x0": 0,
        "x1": 1,
        "yref": yref,
        "y0": y,
        "y1": y,
        "line": {"color": color, "dash": dash},
    }
    label = {
        "text": text,
        "showarrow": False,
        "xref": xref,
        "x": 1,
        "xanchor": "right",
        "yref": yref,
        "y": y,
        "yanchor": "top",
    }
    return shape, label


def step_ticks(last_step: int) -> dict:
    """A step axis's ticks: whole steps only (never 0.5, nor a step -1 around step 0), every
    one up to ten steps, else plotly's own spacing written as whole numbers."""
    if last_step <= 10:
        return {"tick0": 0, "dtick": 1, "range": [-0.5, last_step + 0.5]}
    return {"tickformat": "d"}

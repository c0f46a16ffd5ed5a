"""Plots of a campaign's history on the Active Learning page: a value per step, against baselines.

Each builder takes the history records (`Campaign.to_dict()["history"]`) or series drawn from them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.axes import hline, step_ticks, two_rows
from dashboard.figures.theme import COLORS, legend_below, note_figure

GAUSSIAN_1SIGMA, GAUSSIAN_2SIGMA = 0.683, 0.954
BEST_TITLE, BEST_HEIGHT = "Best so far and top-k recall", 420
"""The best-so-far plot's, its note's too, so that nothing below it moves once it draws."""
QUALITY_TITLE, QUALITY_HEIGHT = "Model quality and calibration", 460
REAL_QUALITY_NOTE = (
    "In a real campaign the true values of unmeasured candidates are unknown, so R², MAE and "
    "calibration against them cannot be drawn."
)


def best_so_far(
    best: list[float | None],
    recall: list[float | None],
    random_best: np.ndarray | None,
    random_recall: np.ndarray | None,
    true_best: float | None,
    k: int | None,
    label: str,
) -> go.Figure:
    """Best value found and top-k recall per step, against random search (10th–90th percentile);
    with nothing measured yet, a note saying so (empty axes would look broken). Recall needs
    every candidate's true value: with none (a real campaign) its panel is left out, and the
    best value fills the same height."""
    if all(value is None for value in best):
        return note_figure(
            BEST_TITLE,
            "Nothing measured yet: measure a few candidates first.",
            height=BEST_HEIGHT,
        )
    steps = np.arange(len(best))
    panels = [("top", best, random_best)]
    if any(value is not None for value in recall):
        layout, places = two_rows(top_share=0.55)
        panels.append(("bottom", recall, random_recall))
        layout["yaxis2"].update(title=f"top-{k} recall" if k else "recall", range=[-0.02, 1.02])
        title, step_axis = BEST_TITLE, "xaxis2"
    else:
        layout = {"xaxis": {"anchor": "y"}, "yaxis": {"anchor": "x"}}
        places, title, step_axis = {"top": ("x", "y")}, "Best so far", "xaxis"
    traces = []
    for place, ours, baseline in panels:
        axes = {"xaxis": places[place][0], "yaxis": places[place][1]}
        first = place == "top"
        if baseline is not None:
            cut = baseline[:, : len(steps)]
            low, mid, high = np.percentile(cut, [10, 50, 90], axis=0)
            x = np.arange(cut.shape[1])
            traces.append(
                go.Scatter(
                    x=np.concatenate([x, x[::-1]]),
                    y=np.concatenate([high, low[::-1]]),
                    fill="toself",
                    fillcolor=COLORS["band"],
                    line={"width": 0},
                    name="random search (10–90 %)",
                    showlegend=first,
                    legendgroup="random",
                    hoverinfo="skip",
                    **axes,
                )
            )
            traces.append(
                go.Scatter(
                    x=x,
                    y=mid,
                    mode="lines",
                    line={"color": COLORS["baseline"], "dash": "dot"},
                    name="random search (median)",
                    showlegend=first,
                    legendgroup="random-median",
                    **axes,
                )
            )
        traces.append(
            go.Scatter(
                x=steps,
                y=[np.nan if v is None else v for v in ours],
                mode="lines+markers",
                name="this campaign",
                showlegend=first,
                legendgroup="ours",
                line={"color": COLORS["measured"]},
                **axes,
            )
        )
    if true_best is not None:
        shape, note = hline(true_best, places["top"], COLORS["next"], "dash", "best in the dataset")
        layout.update(shapes=[shape], annotations=[note])
    layout["yaxis"]["title"] = f"best {label}"
    layout[step_axis].update(title="step", **step_ticks(len(best) - 1))
    layout.update(title=title, height=BEST_HEIGHT)
    return legend_below(go.Figure(data=traces, layout=layout))


def model_quality(history: list[dict], real: bool = False) -> go.Figure:
    """R² and MAE on the unmeasured pool per step, and the calibration of σ against 68 % / 95 %;
    in a `real` campaign, whose pool has no known values, a note saying so in the same space."""
    if real:
        return note_figure(QUALITY_TITLE, REAL_QUALITY_NOTE, height=QUALITY_HEIGHT)
    steps = [r["step"] for r in history]

    def series(key: str) -> list[float]:
        return [np.nan if r.get(key) is None else r[key] for r in history]

    def line(key: str, name: str, color: str, place: str) -> go.Scatter:
        xaxis, yaxis = places[place]
        return go.Scatter(
            x=steps,
            y=series(key),
            name=name,
            mode="lines+markers",
            line={"color": color},
            xaxis=xaxis,
            yaxis=yaxis,
        )

    layout, places = two_rows(top_share=0.5, secondary=True)
    traces = [
        line("r2", "R² on the pool", COLORS["candidate"], "top"),
        line("mae", "MAE on the pool", COLORS["measured"], "right"),
    ]
    shapes, notes = [], []
    for sigmas, expected, color in (
        (1, GAUSSIAN_1SIGMA, COLORS["next"]),
        (2, GAUSSIAN_2SIGMA, COLORS["transfer"]),
    ):
        traces.append(line(f"within_{sigmas}sigma", f"share within ±{sigmas}σ", color, "bottom"))
        shape, note = hline(expected, places["bottom"], color, "dot", f"{expected:.0%} expected")
        shapes.append(shape)
        notes.append(note)
    layout["yaxis"]["title"] = "R²"
    layout["yaxis2"].update(title="MAE", tickformat=".3~g")
    layout["yaxis3"].update(title="share", range=[0, 1.02], tickformat=".0%")
    layout["xaxis2"].update(title="step", **step_ticks(max(steps, default=0)))
    layout.update(shapes=shapes, annotations=notes, title=QUALITY_TITLE, height=QUALITY_HEIGHT)
    return legend_below(go.Figure(data=traces, layout=layout))

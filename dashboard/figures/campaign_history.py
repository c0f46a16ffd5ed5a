"""Plots of a campaign's history on the Active Learning page: a value per step, against baselines.

Each builder takes the history records (`Campaign.to_dict()["history"]`) or series drawn from them.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import COLORS, legend_below

GAUSSIAN_1SIGMA, GAUSSIAN_2SIGMA = 0.683, 0.954


def best_so_far(
    best: list[float | None],
    recall: list[float | None],
    random_best: np.ndarray | None,
    random_recall: np.ndarray | None,
    true_best: float | None,
    k: int | None,
    label: str,
) -> go.Figure:
    """Best value found and top-k recall per step, against random search (10th–90th percentile)."""
    steps = np.arange(len(best))
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45]
    )
    for row, ours, baseline in ((1, best, random_best), (2, recall, random_recall)):
        if baseline is not None:
            cut = baseline[:, : len(steps)]
            low, mid, high = np.percentile(cut, [10, 50, 90], axis=0)
            x = np.arange(cut.shape[1])
            fig.add_scatter(
                x=np.concatenate([x, x[::-1]]),
                y=np.concatenate([high, low[::-1]]),
                fill="toself",
                fillcolor=COLORS["band"],
                line={"width": 0},
                name="random search (10–90 %)",
                showlegend=row == 1,
                legendgroup="random",
                hoverinfo="skip",
                row=row,
                col=1,
            )
            fig.add_scatter(
                x=x,
                y=mid,
                mode="lines",
                line={"color": COLORS["baseline"], "dash": "dot"},
                name="random search (median)",
                showlegend=row == 1,
                legendgroup="random-median",
                row=row,
                col=1,
            )
        values = [np.nan if v is None else v for v in ours]
        fig.add_scatter(
            x=steps,
            y=values,
            mode="lines+markers",
            name="this campaign",
            showlegend=row == 1,
            legendgroup="ours",
            line={"color": COLORS["measured"]},
            row=row,
            col=1,
        )
    if true_best is not None:
        fig.add_hline(
            y=true_best,
            line={"dash": "dash", "color": COLORS["next"]},
            row=1,
            col=1,
            annotation_text="best in the dataset",
            annotation_position="bottom right",
        )
    fig.update_yaxes(title=f"best {label}", row=1, col=1)
    fig.update_yaxes(title=f"top-{k} recall" if k else "recall", range=[-0.02, 1.02], row=2, col=1)
    fig.update_xaxes(title="step", row=2, col=1)
    fig.update_layout(title="Best so far and top-k recall", height=420)
    return legend_below(fig)


def model_quality(history: list[dict]) -> go.Figure:
    """R² and MAE on the unmeasured pool per step, and the calibration of σ against 68 % / 95 %."""
    steps = [r["step"] for r in history]

    def series(key: str) -> list[float]:
        return [np.nan if r.get(key) is None else r[key] for r in history]

    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        specs=[[{"secondary_y": True}], [{}]],
    )
    fig.add_scatter(
        x=steps,
        y=series("r2"),
        name="R² on the pool",
        mode="lines+markers",
        line={"color": COLORS["candidate"]},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=steps,
        y=series("mae"),
        name="MAE on the pool",
        mode="lines+markers",
        line={"color": COLORS["measured"]},
        row=1,
        col=1,
        secondary_y=True,
    )
    for sigmas, expected, color in (
        (1, GAUSSIAN_1SIGMA, COLORS["next"]),
        (2, GAUSSIAN_2SIGMA, COLORS["transfer"]),
    ):
        key = f"within_{sigmas}sigma"
        fig.add_scatter(
            x=steps,
            y=series(key),
            name=f"share within ±{sigmas}σ",
            mode="lines+markers",
            line={"color": color},
            row=2,
            col=1,
        )
        fig.add_hline(
            y=expected,
            line={"dash": "dot", "color": color},
            row=2,
            col=1,
            annotation_text=f"{expected:.0%} expected",
            annotation_position="bottom right",
        )
    fig.update_yaxes(title="R²", row=1, col=1, secondary_y=False)
    fig.update_yaxes(title="MAE", row=1, col=1, secondary_y=True, showgrid=False)
    fig.update_yaxes(title="share", range=[0, 1.02], row=2, col=1)
    fig.update_xaxes(title="step", row=2, col=1)
    fig.update_layout(title="Model quality and calibration", height=460)
    return legend_below(fig)

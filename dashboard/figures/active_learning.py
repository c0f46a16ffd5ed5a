"""Plots of the Active Learning page: one pure builder per plot, arrays in, figure out.

Arrays are per pool row (as in `Campaign.snapshot`). To keep each step's answer small, the
scatter plots draw every measured row and pick but at most MAX_POINTS of the other candidates
(an even, deterministic thinning), and say so in the title.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import COLORS, note_figure

MAX_POINTS = 2500
TOP_RANKED = 400
GAUSSIAN_1SIGMA, GAUSSIAN_2SIGMA = 0.683, 0.954


def thinned(candidates: np.ndarray, limit: int = MAX_POINTS) -> np.ndarray:
    """At most `limit` of the positions in `candidates`, evenly spaced (always the same ones)."""
    if candidates.size <= limit:
        return candidates
    return candidates[np.linspace(0, candidates.size - 1, limit).round().astype(int)]


def parity(
    mean: np.ndarray,
    std: np.ndarray,
    truth: np.ndarray,
    measured: np.ndarray,
    picks: np.ndarray,
    label: str,
) -> go.Figure:
    """Predicted against true value with ±σ bars: measured rows, other candidates, next picks."""
    known = np.isfinite(truth) & np.isfinite(mean)
    if not known.any():
        return note_figure("Predicted vs true", "No model yet: measure a few candidates first.")
    others = thinned(np.flatnonzero(known & ~measured & ~picks))
    fig = go.Figure()
    groups = (
        ("not measured yet", others, COLORS["candidate"], 5, 0.35),
        ("measured", np.flatnonzero(known & measured), COLORS["measured"], 7, 0.8),
        ("next picks", np.flatnonzero(known & picks), COLORS["next"], 11, 1.0),
    )
    for name, rows, color, size, opacity in groups:
        fig.add_scattergl(
            x=truth[rows],
            y=mean[rows],
            mode="markers",
            name=name,
            error_y={"type": "data", "array": std[rows], "thickness": 1, "width": 0},
            marker={"color": color, "size": size, "opacity": opacity},
            hovertemplate="true %{x:.3g}<br>predicted %{y:.3g} ± %{error_y.array:.2g}<extra></extra>",
        )
    low, high = np.nanmin(truth[known]), np.nanmax(truth[known])
    fig.add_scatter(
        x=[low, high],
        y=[low, high],
        mode="lines",
        name="perfect",
        line={"dash": "dash", "color": COLORS["baseline"], "width": 1},
        hoverinfo="skip",
    )
    shown = (
        ""
        if others.size == np.count_nonzero(known & ~measured & ~picks)
        else " (candidates thinned)"
    )
    fig.update_layout(
        title=f"Predicted vs true, ±σ{shown}", height=380, legend={"orientation": "h", "y": -0.2}
    )
    fig.update_xaxes(title=f"true {label}")
    fig.update_yaxes(title=f"predicted {label}")
    return fig


def ranked_candidates(
    mean: np.ndarray,
    std: np.ndarray,
    score: np.ndarray,
    utility: np.ndarray,
    picks: np.ndarray,
    label: str,
) -> go.Figure:
    """Candidates ranked by predicted mean (best first) with a ±σ ribbon and their scores."""
    candidates = np.flatnonzero(np.isfinite(score) & np.isfinite(mean))
    if candidates.size == 0:
        return note_figure("Candidates ranked by prediction", "No model yet.")
    order = candidates[np.argsort(-utility[candidates], kind="stable")]
    ranks = np.arange(1, order.size + 1)
    keep = np.zeros(order.size, dtype=bool)
    keep[:TOP_RANKED] = True
    keep[thinned(np.arange(order.size), MAX_POINTS // 4)] = True
    keep |= picks[order]
    order, ranks = order[keep], ranks[keep]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(
        x=np.concatenate([ranks, ranks[::-1]]),
        y=np.concatenate([mean[order] + std[order], (mean[order] - std[order])[::-1]]),
        fill="toself",
        fillcolor=COLORS["band"],
        line={"width": 0},
        name="±σ",
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=ranks,
        y=mean[order],
        mode="lines",
        name="predicted mean",
        line={"color": COLORS["candidate"]},
    )
    fig.add_scatter(
        x=ranks,
        y=score[order],
        mode="markers",
        name="acquisition score",
        marker={"color": COLORS["transfer"], "size": 4},
        secondary_y=True,
    )
    chosen = picks[order]
    fig.add_scatter(
        x=ranks[chosen],
        y=mean[order][chosen],
        mode="markers",
        name="next picks",
        marker={"color": COLORS["next"], "size": 11, "symbol": "star"},
    )
    fig.update_layout(
        title="Candidates, best predicted first",
        height=380,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(title="rank (1 = best predicted)", type="log")
    fig.update_yaxes(title=f"predicted {label}", secondary_y=False)
    fig.update_yaxes(title="score", secondary_y=True, showgrid=False)
    return fig


def pool_map(
    coords: np.ndarray,
    colour: np.ndarray,
    colour_label: str,
    measured: np.ndarray,
    picks: np.ndarray,
) -> go.Figure:
    """The pool in two principal components of its features, coloured by a per-row value."""
    others = thinned(np.flatnonzero(~measured & ~picks))
    fig = go.Figure()
    fig.add_scattergl(
        x=coords[others, 0],
        y=coords[others, 1],
        mode="markers",
        name="candidates",
        marker={
            "color": colour[others],
            "colorscale": "Viridis",
            "size": 5,
            "opacity": 0.7,
            "colorbar": {"title": {"text": colour_label}, "thickness": 12},
        },
        hovertemplate=f"{colour_label}: %{{marker.color:.3g}}<extra></extra>",
    )
    for name, rows, color, symbol in (
        ("measured", np.flatnonzero(measured), COLORS["measured"], "x"),
        ("next picks", np.flatnonzero(picks), COLORS["next"], "star"),
    ):
        fig.add_scattergl(
            x=coords[rows, 0],
            y=coords[rows, 1],
            mode="markers",
            name=name,
            marker={"color": color, "size": 9, "symbol": symbol},
            hoverinfo="skip",
        )
    fig.update_layout(
        title=f"Pool map (PCA): {colour_label}",
        height=380,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(title="PC 1")
    fig.update_yaxes(title="PC 2")
    return fig


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
    fig.update_layout(
        title="Best so far and top-k recall", height=420, legend={"orientation": "h", "y": -0.15}
    )
    return fig


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
    fig.update_layout(
        title="Model quality and calibration on the unmeasured pool",
        height=420,
        legend={"orientation": "h", "y": -0.15},
    )
    return fig

"""Teaching figures of the Home page: a real-data histogram and the Gaussian-process explorer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.theme import COLORS, legend_below


def gap_histogram(gaps: pd.Series) -> go.Figure:
    """Measured band gaps: the spike at 0 eV (metals) shows how biased real data are."""
    metals = int((gaps == 0).sum())
    fig = go.Figure(
        go.Histogram(
            x=gaps,
            xbins={"start": -0.125, "size": 0.25},
            marker_color=COLORS["candidate"],
            hovertemplate="%{x} eV: %{y} compounds<extra></extra>",
        )
    )
    fig.add_annotation(
        x=0, y=metals, text=f"{metals:,} metals at 0 eV", showarrow=True, ax=90, ay=10
    )
    fig.update_layout(
        title=f"Experimental band gaps of {len(gaps):,} compounds", height=320, bargap=0.05
    )
    fig.update_xaxes(title="band gap (eV)")
    fig.update_yaxes(title="compounds")
    return fig


def gp_explorer(
    grid: np.ndarray,
    truth: np.ndarray,
    mean: np.ndarray | None,
    std: np.ndarray | None,
    points: list[int],
    scores: np.ndarray | None,
    pick: int | None,
    acquisition_label: str,
) -> go.Figure:
    """The toy: hidden curve, GP mean ± 2σ and measured points above; the acquisition's scores
    (scaled to 0-1) and its next pick below. An invisible bar per grid point catches clicks
    anywhere in the upper plot, so a click measures there."""
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.64, 0.36], vertical_spacing=0.08
    )
    low, high = float(np.min(truth)) - 1.5, float(np.max(truth)) + 1.5
    fig.add_bar(
        x=grid,
        y=np.full(grid.size, high - low),
        base=low,
        width=float(grid[1] - grid[0]),
        marker={"color": "rgba(0,0,0,0)", "line": {"width": 0}},
        hovertemplate="x = %{x:.2f}: click to measure here<extra></extra>",
        showlegend=False,
        name="click catcher",
        row=1,
        col=1,
    )
    if mean is not None and std is not None:
        fig.add_scatter(
            x=np.concatenate([grid, grid[::-1]]),
            y=np.concatenate([mean + 2 * std, (mean - 2 * std)[::-1]]),
            fill="toself",
            line={"width": 0},
            fillcolor=COLORS["band"],
            name="±2σ",
            hoverinfo="skip",
            row=1,
            col=1,
        )
    fig.add_scatter(
        x=grid,
        y=truth,
        name="hidden truth",
        line={"dash": "dot", "color": COLORS["baseline"]},
        hoverinfo="skip",
        row=1,
        col=1,
    )
    if mean is not None:
        fig.add_scatter(
            x=grid,
            y=mean,
            name="model mean",
            line={"color": COLORS["candidate"], "width": 2.5},
            hoverinfo="skip",
            row=1,
            col=1,
        )
    fig.add_scatter(
        x=grid[points],
        y=truth[points],
        mode="markers",
        name="measured (click to take back)",
        marker={"color": COLORS["measured"], "size": 11, "line": {"width": 1, "color": "white"}},
        hovertemplate="measured at x = %{x:.2f}: click to take back<extra></extra>",
        row=1,
        col=1,
    )
    if scores is not None:
        finite = np.where(np.isfinite(scores), scores, np.nan)
        span = np.nanmax(finite) - np.nanmin(finite)
        scaled = (finite - np.nanmin(finite)) / span if span > 0 else np.zeros_like(finite)
        fig.add_scatter(
            x=grid,
            y=scaled,
            name=acquisition_label,
            line={"color": COLORS["transfer"]},
            hovertemplate="x = %{x:.2f}: score %{y:.2f} (scaled)<extra></extra>",
            row=2,
            col=1,
        )
    if pick is not None:
        fig.add_vline(x=float(grid[pick]), line={"color": COLORS["next"], "dash": "dash"})
        fig.add_scatter(
            x=[grid[pick]],
            y=[1.08],
            mode="markers",
            name="next pick",
            marker={"symbol": "triangle-down", "size": 14, "color": COLORS["next"]},
            hoverinfo="skip",
            row=2,
            col=1,
        )
    fig.update_yaxes(title="y (made up)", range=[low, high], row=1, col=1)
    fig.update_yaxes(title="score", range=[-0.05, 1.2], row=2, col=1)
    fig.update_xaxes(title="x", range=[float(grid[0]), float(grid[-1])], row=2, col=1)
    fig.update_layout(
        height=500, margin={"t": 10}, hovermode="closest", bargap=0, clickmode="event"
    )
    return legend_below(fig)

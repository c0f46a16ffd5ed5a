"""Teaching figures of the Home page: a real-data histogram and a 1-D active-learning sketch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, WhiteKernel

from dashboard.engine.active_learning.acquisition import score
from dashboard.figures.theme import COLORS

ILLUSTRATION_X = np.array([0.3, 1.1, 2.0, 3.4, 4.3])
SKETCHED = {
    "ei": ("expected improvement", "#2b8a3e"),
    "pi": ("probability of improvement", "#e8590c"),
    "ucb": ("upper confidence bound (κ = 2)", "#7048e8"),
    "max-sigma": ("maximum uncertainty", "#1098ad"),
}


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


def _illustrative_function(x: np.ndarray) -> np.ndarray:
    """A smooth made-up curve for the sketch; not a material property."""
    return np.sin(1.6 * x) + 0.35 * x


def acquisition_illustration() -> go.Figure:
    """A GP fitted to five points of a made-up curve, and where each acquisition would measure."""
    grid = np.linspace(0.0, 5.0, 300)
    y = _illustrative_function(ILLUSTRATION_X)
    gp = GaussianProcessRegressor(
        Matern(length_scale=1.0, nu=2.5) + WhiteKernel(1e-4, "fixed"),
        normalize_y=True,
        random_state=0,
    ).fit(ILLUSTRATION_X[:, None], y)
    mean, std = gp.predict(grid[:, None], return_std=True)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.6, 0.4], vertical_spacing=0.06
    )
    band = np.concatenate([mean + 2 * std, (mean - 2 * std)[::-1]])
    fig.add_scatter(
        x=np.concatenate([grid, grid[::-1]]),
        y=band,
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
        y=_illustrative_function(grid),
        name="hidden truth",
        line={"dash": "dot", "color": COLORS["baseline"]},
        row=1,
        col=1,
    )
    fig.add_scatter(
        x=grid, y=mean, name="model mean", line={"color": COLORS["candidate"]}, row=1, col=1
    )
    fig.add_scatter(
        x=ILLUSTRATION_X,
        y=y,
        mode="markers",
        name="measured",
        marker={"color": COLORS["measured"], "size": 9},
        row=1,
        col=1,
    )
    for name, (label, color) in SKETCHED.items():
        scores = score(name, mean, std, float(y.max()), "max")
        span = scores.max() - scores.min()
        scaled = (scores - scores.min()) / span if span > 0 else np.zeros_like(scores)
        fig.add_scatter(x=grid, y=scaled, name=label, line={"color": color}, row=2, col=1)
        pick = int(np.argmax(scores))
        fig.add_scatter(
            x=[grid[pick]],
            y=[1.0],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={"symbol": "triangle-down", "size": 12, "color": color},
            row=2,
            col=1,
        )
    fig.update_yaxes(title="y (made up)", row=1, col=1)
    fig.update_yaxes(title="score (scaled)", range=[-0.05, 1.15], row=2, col=1)
    fig.update_xaxes(title="x", row=2, col=1)
    fig.update_layout(height=480, legend={"orientation": "h", "y": -0.18}, margin={"t": 20})
    return fig

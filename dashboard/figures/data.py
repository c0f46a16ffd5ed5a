"""Plots of the Data page: missing values, target distributions, element frequency."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.theme import COLORS, note_figure


def missing_values(frame: pd.DataFrame) -> go.Figure:
    """Share of missing cells per column (only columns that have any, or a note that none do)."""
    missing = frame.isna().sum()
    missing = missing[missing > 0].sort_values(ascending=False)
    if missing.empty:
        return note_figure("Missing values per column", "No missing values", 300)
    fig = go.Figure()
    fig.add_bar(
        x=missing.index.astype(str),
        y=missing.to_numpy(),
        marker_color=COLORS["measured"],
        hovertemplate="%{x}: %{y} missing<extra></extra>",
    )
    fig.update_yaxes(title="missing cells")
    fig.update_layout(title="Missing values per column", height=300)
    return fig


def target_histogram(values: pd.Series, name: str, unit: str = "") -> go.Figure:
    """Distribution of one target's finite values."""
    finite = pd.to_numeric(values, errors="coerce").replace([np.inf, -np.inf], np.nan).dropna()
    label = f"{name} ({unit})" if unit else name
    fig = go.Figure(
        go.Histogram(
            x=finite,
            nbinsx=50,
            marker_color=COLORS["candidate"],
            hovertemplate=f"{label}: %{{x}}<br>count: %{{y}}<extra></extra>",
        )
    )
    fig.update_layout(title=f"{name}: {len(finite):,} values", height=300, bargap=0.05)
    fig.update_xaxes(title=label)
    fig.update_yaxes(title="count")
    return fig


def element_frequency(counts: pd.Series, top: int = 40) -> go.Figure:
    """How many compounds contain each element (the `top` most frequent)."""
    counts = counts.sort_values(ascending=False).head(top)
    fig = go.Figure(
        go.Bar(
            x=counts.index,
            y=counts.to_numpy(),
            marker_color=COLORS["transfer"],
            hovertemplate="%{x}: in %{y} compounds<extra></extra>",
        )
    )
    fig.update_layout(title=f"Elements in the most compounds (top {len(counts)})", height=300)
    fig.update_yaxes(title="compounds")
    return fig

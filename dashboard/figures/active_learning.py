"""Plots of one campaign step on the Active Learning page: arrays in, figure out, one per plot.

Arrays are per pool row (as in `Campaign.snapshot`). To keep each step's answer small (issue 14:
at most 100 KB a step), the scatter plots draw every measured row and pick but at most
MAX_POINTS of the other candidates (an even, deterministic thinning, said in the title), values
go to the browser as float32, and the pool map's candidates are a fixed subset whose places never
change, so that a step sends `pool_map_changes` only: colours, measured rows and picks.
"""

from __future__ import annotations

import base64

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.axes import one_row_with_right_axis
from dashboard.figures.theme import COLORS, legend_below, note_figure, titled, wrapped

MAX_POINTS = 600
"""Other candidates drawn at most in a scatter plot: plotly.js draws each as an SVG node, and
with 1,200 the parity plot and the map took 120-160 ms each to redraw in headless Chromium on 2
cores (qm9, every step); 600 evenly spaced ones show the same cloud in a 420-px plot."""
TOP_RANKED = 300
HEIGHT = 420


def f32(values: np.ndarray) -> np.ndarray:
    """Values as float32: half the bytes of float64 on the wire, ample for a plot."""
    return np.asarray(values, dtype=np.float32)


def typed(values: np.ndarray) -> dict[str, str]:
    """float32 values as plotly.js's typed-array form, for a patch (figures do this themselves)."""
    data = np.ascontiguousarray(values, dtype=np.float32).tobytes()
    return {"dtype": "f4", "bdata": base64.b64encode(data).decode("ascii")}


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
    known_as: str = "true",
) -> go.Figure:
    """Predicted against true value: measured rows and next picks with ±σ bars, the other
    candidates as a cloud whose σ shows on hover (a bar on each of up to MAX_POINTS overlapping
    points hides the cloud and costs the browser about 0.2 s a redraw). `known_as` names the
    known values: "measured" in a real campaign, where only the measured rows have one."""
    known = np.isfinite(truth) & np.isfinite(mean)
    title = f"Predicted vs {known_as}"
    if not known.any():
        return note_figure(title, "No model yet: measure a few candidates first.")
    others = thinned(np.flatnonzero(known & ~measured & ~picks))
    fig = go.Figure()
    groups = (
        ("not measured yet", others, COLORS["candidate"], 5, 0.35, False),
        ("measured", np.flatnonzero(known & measured), COLORS["measured"], 7, 0.8, True),
        ("next picks", np.flatnonzero(known & picks), COLORS["next"], 11, 1.0, True),
    )
    for name, rows, color, size, opacity, bars in groups:
        sigma = f32(std[rows])
        fig.add_scatter(
            x=f32(truth[rows]),
            y=f32(mean[rows]),
            mode="markers",
            name=name,
            error_y={"type": "data", "array": sigma, "thickness": 1, "width": 0} if bars else None,
            customdata=None if bars else sigma,
            marker={"color": color, "size": size, "opacity": opacity},
            hovertemplate=f"{known_as} %{{x:.3g}}<br>predicted %{{y:.3g}} ± "
            + ("%{error_y.array:.2g}" if bars else "%{customdata:.2g}")
            + "<extra></extra>",
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
    titled(fig, f"{title}, ±σ{shown}", HEIGHT, f"{known_as} {label}", f"predicted {label}")
    return legend_below(fig)


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
    keep[thinned(np.arange(order.size), MAX_POINTS // 2)] = True
    keep |= picks[order]
    order, ranks = order[keep], ranks[keep]
    layout, places = one_row_with_right_axis()
    left = {"xaxis": places["left"][0], "yaxis": places["left"][1]}
    chosen = picks[order]
    traces = [
        go.Scatter(
            x=np.concatenate([ranks, ranks[::-1]]),
            y=f32(np.concatenate([mean[order] + std[order], (mean[order] - std[order])[::-1]])),
            fill="toself",
            fillcolor=COLORS["band"],
            line={"width": 0},
            name="±σ",
            hoverinfo="skip",
            **left,
        ),
        go.Scatter(
            x=ranks,
            y=f32(mean[order]),
            mode="lines",
            name="predicted mean",
            line={"color": COLORS["candidate"]},
            **left,
        ),
        go.Scatter(
            x=ranks,
            y=f32(score[order]),
            mode="markers",
            name="acquisition score",
            marker={"color": COLORS["transfer"], "size": 4},
            xaxis=places["right"][0],
            yaxis=places["right"][1],
        ),
        go.Scatter(
            x=ranks[chosen],
            y=f32(mean[order][chosen]),
            mode="markers",
            name="next picks",
            marker={"color": COLORS["next"], "size": 11, "symbol": "star"},
            **left,
        ),
    ]
    layout["xaxis"].update(title="rank (1 = best predicted)", type="log")
    layout["yaxis"]["title"] = f"predicted {label}"
    layout["yaxis2"]["title"] = "score"
    layout.update(title="Candidates, best predicted first", height=HEIGHT)
    return legend_below(go.Figure(data=traces, layout=layout))


def pool_map(
    coords: np.ndarray,
    colour: np.ndarray,
    colour_label: str,
    measured: np.ndarray,
    picks: np.ndarray,
) -> go.Figure:
    """The pool in two principal components of its features, coloured by a per-row value:
    a fixed thinned subset of the pool, with the measured rows and the picks on top. Before
    there is a model (nothing measured) the values are NaN: one plain colour and a note then,
    as a colour bar over NaN draws shapes of NaN size."""
    shown = thinned(np.arange(coords.shape[0]))
    coloured = bool(np.isfinite(colour).any())
    marker = {"size": 5, "opacity": 0.7, "color": COLORS["candidate"]}
    if coloured:
        marker.update(
            color=f32(colour[shown]),
            colorscale="Viridis",
            colorbar={"title": {"text": colour_label}, "thickness": 12},
        )
    fig = go.Figure()
    fig.add_scatter(
        x=f32(coords[shown, 0]),
        y=f32(coords[shown, 1]),
        mode="markers",
        name="pool" + (" (thinned)" if shown.size < coords.shape[0] else ""),
        marker=marker,
        hovertemplate=f"{colour_label}: %{{marker.color:.3g}}<extra></extra>"
        if coloured
        else "<extra></extra>",
    )
    for name, rows, color, symbol in (
        ("measured", np.flatnonzero(measured), COLORS["measured"], "x"),
        ("next picks", np.flatnonzero(picks), COLORS["next"], "star"),
    ):
        fig.add_scatter(
            x=f32(coords[rows, 0]),
            y=f32(coords[rows, 1]),
            mode="markers",
            name=name,
            marker={"color": color, "size": 9, "symbol": symbol},
            hoverinfo="skip",
        )
    title = "Pool map (PCA)" + (f": {colour_label}" if coloured else "")
    titled(fig, title, HEIGHT, "PC 1", "PC 2")
    if not coloured:  # under the title, which makes room for it (above the plot, it hit the title)
        note = f"No model yet, so no {colour_label}: measure a few candidates first."
        fig.layout.title.subtitle.text = wrapped(note)
    return legend_below(fig)


def pool_map_changes(
    coords: np.ndarray, colour: np.ndarray, measured: np.ndarray, picks: np.ndarray
) -> list[tuple[tuple, object]]:
    """What a new step changes in `pool_map`'s figure (same pool, same colour choice), as
    (path in the figure, new value) pairs: the subset's colours, the measured rows, the picks."""
    shown = thinned(np.arange(coords.shape[0]))
    changes: list[tuple[tuple, object]] = [(("data", 0, "marker", "color"), typed(colour[shown]))]
    for trace, rows in ((1, np.flatnonzero(measured)), (2, np.flatnonzero(picks))):
        changes.append((("data", trace, "x"), typed(coords[rows, 0])))
        changes.append((("data", trace, "y"), typed(coords[rows, 1])))
    return changes

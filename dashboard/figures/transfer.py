"""Plots of the Transfer Learning page, from a TransferResult's JSON (`TransferResult.to_dict`)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dashboard.figures.theme import COLORS, note_figure

TOP_FEATURES = 15
CURVE_NAMES = {"baseline": "no transfer", "lv": "latent variable", "ft": "fine-tuned"}


def _color(method: str) -> str:
    """Grey without the transfer, purple with it (LV or FT alike), as in every plot's caption."""
    return COLORS["baseline"] if method == "baseline" else COLORS["transfer"]


def _series(result: dict, show_transfer: bool) -> list[tuple[str, list[float], str]]:
    """(name, test predictions, colour) of the baseline, and of the transfer model when shown."""
    series = [("without transfer", result["baseline_pred"], COLORS["baseline"])]
    if show_transfer:
        series.append(("with transfer", result["transfer_pred"], COLORS["transfer"]))
    return series


def parity(result: dict, show_transfer: bool, label: str) -> go.Figure:
    """Predicted against measured on the same test points: baseline, and transfer when shown."""
    truth = np.asarray(result["y_test"])
    fig = go.Figure()
    for name, predicted, color in _series(result, show_transfer):
        fig.add_scattergl(
            x=truth,
            y=predicted,
            mode="markers",
            name=name,
            marker={"color": color, "size": 6, "opacity": 0.65},
            hovertemplate="measured %{x:.3g}<br>predicted %{y:.3g}<extra></extra>",
        )
    low, high = float(truth.min()), float(truth.max())
    fig.add_scatter(
        x=[low, high],
        y=[low, high],
        mode="lines",
        name="perfect",
        hoverinfo="skip",
        line={"dash": "dash", "color": COLORS["baseline"], "width": 1},
    )
    fig.update_layout(
        title=f"Test set ({truth.size} rows)",
        height=400,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(title=f"measured {label}")
    fig.update_yaxes(title=f"predicted {label}")
    return fig


def error_histogram(result: dict, show_transfer: bool, label: str) -> go.Figure:
    """Distribution of prediction errors (predicted − measured) of both models."""
    truth = np.asarray(result["y_test"])
    fig = go.Figure()
    for name, predicted, color in _series(result, show_transfer):
        fig.add_histogram(
            x=np.asarray(predicted) - truth, name=name, opacity=0.6, nbinsx=40, marker_color=color
        )
    fig.update_layout(
        title="Errors on the test set",
        barmode="overlay",
        height=400,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(title=f"predicted − measured {label}")
    fig.update_yaxes(title="test points")
    return fig


def curve_cancelled() -> go.Figure:
    """The learning curve's place once its job was cancelled (it said it was being drawn)."""
    return note_figure("Learning curve", "Cancelled: the next Train draws it.", 400)


def learning_curve(
    curve: dict | None, result: dict, label: str, drawing: bool = False
) -> go.Figure:
    """Test MAE against the number of target training rows: mean ± sd over the repeats, and
    this run's two models as rings at the rows it used; the log axis is labelled with the sizes
    tried. Without a curve, a note: it is `drawing` (asked for, its job under way) or how to
    ask for one."""
    if not curve:
        note = (
            "Being drawn after the run: its progress bar shows above."
            if drawing
            else "Drawn after the run when 'learning curve' is ticked."
        )
        return note_figure("Learning curve", note, 400)
    fig = go.Figure()
    x = np.asarray(curve["n_train"])
    for method, values in curve["mae"].items():
        mean, sd = np.asarray(values["mean"]), np.asarray(values["sd"])
        color = _color(method)
        fig.add_scatter(
            x=np.concatenate([x, x[::-1]]),
            y=np.concatenate([mean + sd, (mean - sd)[::-1]]),
            fill="toself",
            mode="lines",
            line={"width": 0},
            fillcolor=color,
            opacity=0.2,
            showlegend=False,
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=x,
            y=mean,
            mode="lines+markers",
            name=CURVE_NAMES.get(method, method),
            line={"color": color},
            hovertemplate="%{x} rows: MAE %{y:.3g}<extra></extra>",
        )
    run_colors = [_color("baseline"), _color(result["approach"])]
    fig.add_scatter(
        x=[result["n_train"]] * 2,
        y=[result["baseline"]["mae"], result["transfer"]["mae"]],
        mode="markers",
        name="this run",
        marker={"size": 14, "symbol": "circle-open", "line": {"width": 2}, "color": run_colors},
        hovertemplate="this run, %{x} rows: MAE %{y:.3g}<extra></extra>",
    )
    fig.update_layout(
        title="Learning curve",
        height=400,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_xaxes(
        title="target training rows",
        type="log",
        tickvals=x,
        ticktext=[f"{n:,}" for n in x],
    )
    fig.update_yaxes(title=f"MAE of {label}")
    return fig


def importances(result: dict) -> go.Figure:
    """The transfer model's most important features, latent-variable features highlighted."""
    values = result.get("importances")
    if values is None:
        return note_figure("Feature importance", "This model reports no feature importances.", 400)
    fig = go.Figure()
    names = np.asarray(result["feature_names"])
    order = np.argsort(values)[::-1]
    lv = set(result.get("lv_ranks", {}))
    keep = [i for i in order[:TOP_FEATURES]] + [i for i in order[TOP_FEATURES:] if names[i] in lv]
    keep = keep[::-1]
    colors = [COLORS["transfer"] if names[i] in lv else COLORS["candidate"] for i in keep]
    labels = [f"{names[i]} (#{int(np.flatnonzero(order == i)[0]) + 1})" for i in keep]
    fig.add_bar(x=np.asarray(values)[keep], y=labels, orientation="h", marker_color=colors)
    fig.update_layout(
        title="Inputs of the transfer model",
        height=400,
        margin={"l": 220},
    )
    fig.update_xaxes(title="importance")
    return fig

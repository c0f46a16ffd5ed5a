"""What the Active Learning page shows for a step: the plots, the status line and the picks."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import no_update

from components.problems import reason
from dashboard import campaigns
from dashboard.engine.active_learning.config import REAL
from dashboard.figures import active_learning as figures
from dashboard.figures import campaign_history
from dashboard.pages.active_learning import suggestions
from dashboard.pages.active_learning.layout import COLOUR_BY
from dashboard.store import SessionError


def render(_state, step, colour_by, sid):
    """All plots, the status line, the slider and the suggestions of the chosen step."""
    try:
        view = campaigns.view(sid, None if dash.ctx.triggered_id != "al-slider" else step)
    except (ValueError, KeyError, SessionError) as err:
        note = dbc.Alert(reason(err), color="info")
        hidden = {"display": "none"}
        return (no_update,) * 5 + (note, 0, 0, [], [], "", hidden, hidden)
    label = view.config.target
    snap, picked = view.snapshot, view.picked
    colour = {"mean": snap.mean, "std": snap.std, "score": snap.score}[colour_by or "mean"]
    record = view.history[snap.step]
    return (
        figures.parity(snap.mean, snap.std, snap.truth, snap.measured, picked, label),
        figures.ranked_candidates(snap.mean, snap.std, snap.score, view.utility, picked, label),
        figures.pool_map(
            view.coords, colour, COLOUR_BY[colour_by or "mean"], snap.measured, picked
        ),
        campaign_history.best_so_far(
            [r["best_so_far"] for r in view.history],
            [r["top_k_recall"] for r in view.history],
            view.random_best,
            view.random_recall,
            view.true_best,
            view.config.top_k,
            label,
        ),
        campaign_history.model_quality(view.history),
        _status(view, record),
        view.steps,
        snap.step,
        *suggestions.grid(view, sid),
        suggestions.help_text(view),
        {} if view.config.mode == REAL and snap.step == view.steps else {"display": "none"},
        {},
    )


def _status(view: campaigns.View, record: dict) -> list:
    """Badges of the step: where it is, how much is measured, and the record's metrics."""

    def badge(text: str) -> dbc.Badge:
        return dbc.Badge(text, color="secondary", className="me-2 fw-normal")

    measured = view.snapshot.measured
    items = [
        badge(f"step {view.snapshot.step} of {view.steps}"),
        badge(f"{int(measured.sum()):,} measured"),
        badge(f"{int((~measured).sum()):,} candidates"),
        badge(f"acquisition: {view.snapshot.acquisition}"),
    ]
    if record.get("best_so_far") is not None:
        items.append(badge(f"best so far: {record['best_so_far']:.4g}"))
    if record.get("top_k_recall") is not None:
        items.append(badge(f"top-{view.config.top_k} recall: {record['top_k_recall']:.2f}"))
    if record.get("r2") is not None:
        items.append(badge(f"R² on pool: {record['r2']:.2f}"))
    return items

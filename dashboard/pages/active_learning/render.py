"""What the Active Learning page shows for a step: the plots, the status line, the summary, the
picks and which buttons can be used.

Only what changed is sent (issue 14: a step's redraw at most 100 KB): a new colour for the map
redraws the map alone, a step of the same campaign or a move of the slider patches the map (its
places are fixed) instead of sending it again, and the slider leaves the two history plots, which
show the whole campaign, as they are.
"""

from __future__ import annotations

import logging
import threading

import dash
import dash_bootstrap_components as dbc
from dash import Output, Patch, html, no_update

from components.explained_graph import UNSEEN
from components.problems import as_sentence, reason
from dashboard import campaigns, catalog
from dashboard.engine.active_learning.config import REAL
from dashboard.figures import active_learning as figures
from dashboard.figures import campaign_history
from dashboard.pages.active_learning import suggestions
from dashboard.pages.active_learning.controls import ACQUISITIONS
from dashboard.pages.active_learning.layout import ACTIONS, COLOUR_BY
from dashboard.pages.active_learning.summary import number_text, summary_line
from dashboard.store import SessionError, StorageError

OUTPUTS = [
    Output("al-parity", "figure"),
    Output("al-ranked", "figure"),
    Output("al-map", "figure"),
    Output("al-best", "figure"),
    Output("al-quality", "figure"),
    Output("al-status", "children"),
    Output("al-slider", "max"),
    Output("al-slider", "value"),
    Output("al-suggestions-grid", "rowData"),
    Output("al-suggestions-grid", "columnDefs"),
    Output("al-suggestions-help", "children"),
    Output("al-real-actions", "style"),
    Output("al-results", "style"),
    Output("al-summary", "children"),
    *(Output(name, "disabled") for name in ACTIONS),
]
MAP = 2
log = logging.getLogger(__name__)
PARAM_SYMBOLS = {"kappa": "κ", "xi": "ξ"}
HIDDEN = {"display": "none"}
STEPPING = ("al-step", "al-run", "al-play")
"""Actions that step without measured values: disabled in real mode, where 'Enter these values
and step' under the table steps with the values typed into it."""
GOAL_WORDS = {"max": "maximise", "min": "minimise"}
BADGE_HELP = {
    "campaign": "The campaign that Step, Run, Play and Back act on: its dataset and target. The "
    "settings below start a new one with Start.",
    "step": "Steps taken so far. The slider under the first plots shows an earlier one.",
    "measured": "Materials whose value is known: the random start plus every pick so far.",
    "candidates": "Materials not measured yet: the model chooses the next ones among these.",
    "best": "The best value measured so far.",
    "recall": "The share of the dataset's k best materials measured so far: 1.00 means all of "
    "them were found.",
    "r2": "How well the model predicts the materials it has not seen: 1 is perfect, 0 is no "
    "better than always guessing the average.",
}


def render(state, step, colour_by, sid):
    """All outputs for the chosen step (see OUTPUTS)."""
    trigger = dash.ctx.triggered_id
    try:
        view = campaigns.view(sid, None if trigger != "al-slider" else step)
    except (ValueError, KeyError, SessionError) as err:
        note = dbc.Alert(as_sentence(reason(err)), color="info")
        return (no_update,) * 5 + (note, 0, 0, [], [], "", HIDDEN, UNSEEN, "") + (True,) * 6
    snap, picked = view.snapshot, view.picked
    colour_by = colour_by or "mean"
    colour = {"mean": snap.mean, "std": snap.std, "score": snap.score}[colour_by]
    if trigger == "al-map-colour":
        answer = [no_update] * len(OUTPUTS)
        answer[MAP] = figures.pool_map(
            view.coords, colour, COLOUR_BY[colour_by], snap.measured, picked
        )
        return tuple(answer)
    moved = trigger == "al-slider"  # a past step: same pool, same history, same colour choice
    patched = moved or (trigger == "al-state" and (state or {}).get("redraw") == "step")
    if patched and view.history[0].get("best_so_far") is not None:  # a model from the start
        pool_map = Patch()
        for path, value in figures.pool_map_changes(view.coords, colour, snap.measured, picked):
            _set(pool_map, path, value)
    else:  # a new campaign, or the page opened on one: ready it here for the next Step
        pool_map = figures.pool_map(
            view.coords, colour, COLOUR_BY[colour_by], snap.measured, picked
        )
        _prepare_in_background(sid)
    label = view.config.target
    dataset = catalog.load(sid, view.config.dataset_id)
    unit, dataset_title = dataset.units.get(label, ""), dataset.title
    history = view.history[: snap.step + 1]
    return (
        figures.parity(
            snap.mean,
            snap.std,
            snap.truth,
            snap.measured,
            picked,
            label,
            "measured" if view.config.mode == REAL else "true",
        ),
        figures.ranked_candidates(snap.mean, snap.std, snap.score, view.utility, picked, label),
        pool_map,
        *((no_update, no_update) if moved else _history_plots(view, label)),
        _status(view, view.history[snap.step], dataset_title),
        view.steps,
        snap.step,
        *suggestions.panel(view, sid),
        {} if view.config.mode == REAL and snap.step == view.steps else HIDDEN,
        {},
        summary_line(history, None if view.true_best is None else snap.truth, view.config, unit),
        *(view.config.mode == REAL and name in STEPPING for name in ACTIONS),
    )


def _prepare_in_background(sid: str) -> None:
    """campaigns.prepare in a thread of this process: the page is answered at once, and the
    next Step served here finds the campaign warm. A failure only leaves the Step to load it
    (and say what is wrong), so it is logged, not shown."""

    def run() -> None:
        try:
            campaigns.prepare(sid)
        except (ValueError, KeyError, SessionError, StorageError, OSError) as err:
            log.info("campaign not prepared ahead of its next step: %s", err)

    threading.Thread(target=run, name="prepare-campaign", daemon=True).start()


def _history_plots(view: campaigns.View, label: str) -> tuple:
    """Best so far and model quality: the whole campaign's history, whichever step is shown."""
    return (
        campaign_history.best_so_far(
            [r["best_so_far"] for r in view.history],
            [r["top_k_recall"] for r in view.history],
            view.random_best,
            view.random_recall,
            view.true_best,
            view.config.top_k,
            label,
        ),
        campaign_history.model_quality(view.history, real=view.config.mode == REAL),
    )


def _set(patch: Patch, path: tuple, value) -> None:
    """patch[path[0]][path[1]]... = value."""
    target = patch
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _badge(key: str, text: str, explanation: str) -> html.Span:
    """A badge that explains itself in plain words on hover, on focus and to screen readers."""
    target = f"al-badge-{key}"
    return html.Span(
        [
            dbc.Badge(text, color="secondary", className="fw-normal"),
            html.Span(f" ({explanation})", className="visually-hidden"),
            dbc.Tooltip(explanation, target=target, placement="bottom"),
        ],
        id=target,
        tabIndex="0",
        className="me-2 mi-badge",
    )


def _campaign_text(config, dataset_title: str) -> str:
    """'FreeSolv: maximise expt', 'qm9: gap close to 1.4'."""
    goal, target = config.goal, config.target
    aim = (
        f"{GOAL_WORDS[goal]} {target}"
        if isinstance(goal, str)
        else f"{target} close to {goal[1]:g}"
    )
    return f"{dataset_title}: {aim}"


def _status(view: campaigns.View, record: dict, dataset_title: str) -> list:
    """Badges of the step: which campaign, where it is, how much is measured, and the record's
    metrics."""
    measured = view.snapshot.measured
    acquisition = view.snapshot.acquisition
    params = view.acquisition_params if acquisition == view.config.acquisition else {}
    shown = acquisition + "".join(f", {PARAM_SYMBOLS.get(k, k)} = {v:g}" for k, v in params.items())
    items = [
        _badge("campaign", _campaign_text(view.config, dataset_title), BADGE_HELP["campaign"]),
        _badge("step", f"step {view.snapshot.step} of {view.steps}", BADGE_HELP["step"]),
        _badge("measured", f"{int(measured.sum()):,} measured", BADGE_HELP["measured"]),
        _badge("candidates", f"{int((~measured).sum()):,} candidates", BADGE_HELP["candidates"]),
        _badge(
            "acquisition",
            f"acquisition: {shown}",
            ACQUISITIONS.get(acquisition, "How the model scores the candidates."),
        ),
    ]
    if record.get("best_so_far") is not None:
        items.append(
            _badge("best", f"best so far: {number_text(record['best_so_far'])}", BADGE_HELP["best"])
        )
    if record.get("top_k_recall") is not None:
        k = view.config.top_k
        items.append(
            _badge("recall", f"top-{k} recall: {record['top_k_recall']:.2f}", BADGE_HELP["recall"])
        )
    if record.get("r2") is not None:
        items.append(_badge("r2", f"R² on pool: {record['r2']:.2f}", BADGE_HELP["r2"]))
    return items

"""The Transfer Learning page's callbacks (module-level, so tests can call them) and their wiring."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from components.explained_graph import UNSEEN
from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import catalog, runtime
from dashboard.figures import transfer as figures
from dashboard.jobs import job_slot, reports_failures
from dashboard.pages.transfer_learning.layout import DEFAULT_SHARE
from dashboard.pages.transfer_learning.newest import (
    KIND,
    NAME,
    Superseded,
    giving_way,
    mark_newest,
)
from dashboard.pages.transfer_learning.prefetch import cancelled_by_train
from dashboard.pages.transfer_learning.restore import ASKED, last_request, stored
from dashboard.pages.transfer_learning.results import facts, group_table, metric_cards
from dashboard.pages.transfer_learning.runs import run_request, switch_from_cache
from dashboard.pages.transfer_learning.verdict import verdict
from dashboard.store import SessionError, StorageError

DEFAULT_PAIR = (catalog.BUILTIN + "freesolv", "calc", "expt")
SWITCH_RUNS = """(model, approach, noResult, clicks, asked) => noResult
    || (asked && asked.model === model && asked.approach === approach)
    ? window.dash_clientside.no_update : [(clicks || 0) + 1, {model, approach}]"""
"""Once a run is shown (the transfer switch is enabled), a change of target model or approach
runs at once, as a click on Train would: the page's other target models were trained right
after the run (prefetch.py), so a switch reads its result from the cache. Without it the
choice changed nothing on screen until Train, and a user saw the old model's figures under the
new model's name. Other settings (datasets, rows used) wait for Train: they may mean a long run.
A 'change' to the model and approach last asked for (the controls set to the run shown on a
reload, restore.py) runs nothing."""


def register_callbacks(app: Dash) -> None:
    """Wire the page's callbacks (module-level functions, so tests can call them directly)."""
    for side in ("source", "target"):
        app.callback(
            Output(f"tl-{side}", "options"),
            Output(f"tl-{side}", "value"),
            Input("session-id", "data"),
            State(f"tl-{side}", "value"),
        )(dataset_options_for(side))
        app.callback(
            Output(f"tl-{side}-column", "options"),
            Output(f"tl-{side}-column", "value"),
            Input(f"tl-{side}", "value"),
            State("session-id", "data"),
        )(column_options_for(side))
    app.callback(
        Output("tl-state", "data"),
        Output("tl-message", "children"),
        Input("tl-train", "n_clicks"),
        State("session-id", "data"),
        State("tl-source", "value"),
        State("tl-source-column", "value"),
        State("tl-target", "value"),
        State("tl-target-column", "value"),
        State("tl-approach", "value"),
        State("tl-model", "value"),
        State("tl-share", "value"),
        State("tl-curve", "value"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("tl-train"),
    )(train)
    app.clientside_callback(
        SWITCH_RUNS,
        Output("tl-train", "n_clicks"),
        Output(ASKED, "data", allow_duplicate=True),
        Input("tl-model", "value"),
        Input("tl-approach", "value"),
        State("tl-use-transfer", "disabled"),
        State("tl-train", "n_clicks"),
        State(ASKED, "data"),
        prevent_initial_call=True,
    )
    app.callback(
        Output("tl-curve-state", "data"),
        Output("tl-message", "children", allow_duplicate=True),
        Input("tl-ready-state", "data"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **cancelled_by_train(JobProgress.callback_kwargs("tl-curve-job")),
    )(draw_curve)
    app.callback(
        Output("tl-curve-graph", "figure", allow_duplicate=True),
        Input(JobProgress.ids.cancel("tl-curve-job"), "n_clicks"),
        prevent_initial_call=True,
    )(curve_cancelled)
    app.callback(
        Output("tl-empty", "style"),
        Output("tl-results", "style"),
        Output("tl-use-transfer", "disabled"),
        Output("tl-verdict", "children"),
        Output("tl-cards", "children"),
        Output("tl-facts", "children"),
        Output("tl-parity", "figure"),
        Output("tl-errors", "figure"),
        Output("tl-curve-graph", "figure"),
        Output("tl-importance", "figure"),
        Output("tl-groups", "children"),
        Input("tl-state", "data"),
        Input("tl-use-transfer", "value"),
        Input("session-id", "data"),
    )(render)
    app.callback(
        Output("tl-verdict", "children", allow_duplicate=True),
        Output("tl-curve-graph", "figure", allow_duplicate=True),
        Input("tl-curve-state", "data"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(render_curve)


def dataset_options_for(side: str):
    def dataset_options(sid: str | None, current: str | None):
        options = catalog.options(sid)
        keys = {o["value"] for o in options}
        fallback = (last_request(sid) or {}).get(f"{side}_key", DEFAULT_PAIR[0])
        return options, next((k for k in (current, fallback, DEFAULT_PAIR[0]) if k in keys), None)

    dataset_options.__name__ = f"{side}_dataset_options"
    return dataset_options


def column_options_for(side: str):
    preferred = DEFAULT_PAIR[1] if side == "source" else DEFAULT_PAIR[2]

    def column_options(key: str | None, sid: str | None):
        last = last_request(sid) or {}
        chosen = last.get(f"{side}_column") if last.get(f"{side}_key") == key else preferred
        try:
            dataset = catalog.load(sid, key)
        except (KeyError, ValueError, SessionError):
            return [], None
        columns = dataset.target_columns + dataset.feature_columns
        options = [{"label": c, "value": c} for c in columns]
        candidates = [c for c in (chosen, preferred) if c in columns] + columns
        return options, candidates[0] if candidates else None

    column_options.__name__ = f"{side}_column_options"
    return column_options


@reports_failures(message_output=1, outputs=2, heavy=False)
def train(
    set_progress,
    _clicks,
    sid,
    source_key,
    source_column,
    target_key,
    target_column,
    approach,
    model,
    share,
    curve,
):
    """Run the transfer study as a background job and keep its result in the session; the
    learning curve, when asked for, follows in `draw_curve`. Marked as the session's newest
    before it waits for a job slot, it stops the curve of an older run that holds the slot; a
    switch to a model trained already reads its result without a slot."""
    store = runtime.current().store
    request = {
        "source_key": source_key,
        "source_column": source_column,
        "target_key": target_key,
        "target_column": target_column,
        "approach": approach,
        "model": model,
        "train_share": float(share or DEFAULT_SHARE),
        "curve": "on" in (curve or []),  # drawn by draw_curve; kept for the box's restore
    }
    try:
        store.require(sid)
        if not all((source_key, source_column, target_key, target_column)):
            raise ValueError("Choose the source and target datasets and their columns first.")

        def progress(fraction: float, message: str) -> None:
            set_progress((int(100 * fraction), message))

        run = mark_newest(store, sid)
        answer = switch_from_cache(sid, request, stored(sid))
        from_cache = answer is not None
        if not from_cache:
            with job_slot(set_progress):
                answer = run_request(sid, request, learning_curve=False, progress=progress)
        result, document = answer
        with store.lock(sid):
            store.save_json(sid, KIND, NAME, document)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    if from_cache:
        note = (
            f"Read from the cache in {result.seconds:.1f} s: trained earlier, by a run or "
            "right after one (the page then trains the other target models)."
        )
    else:
        note = f"Trained in {result.seconds:.1f} s" + (
            " (source model from the cache)." if result.source_cached else "."
        )
    state = dict(seconds=result.seconds, curve=request["curve"], key=document["key"], run=run)
    return state, dbc.Alert(note, color="success", dismissable=True)


@reports_failures(message_output=1, outputs=2, heavy=False)
def draw_curve(set_progress, state, sid):
    """The learning curve of the session's last run, added to its stored result, once the other
    target models are prepared (`prefetch`, which starts it only for a run that asks for a
    curve, so that a run without one never queues). A click on Train ends it (TRAIN_CANCELS);
    a Train in another tab of the session stops it, drawing nothing, at the next progress
    report (between fits, and while queued)."""
    store = runtime.current().store
    try:
        document = store.load_json(store.require(sid), KIND, NAME)
        if document is None or document.get("key") != state.get("key"):
            return no_update, no_update

        report = giving_way(store, sid, state.get("run"), set_progress)

        def progress(fraction: float, message: str) -> None:
            report((int(100 * fraction), message))

        with job_slot(report):
            _, with_curve = run_request(
                sid, document["request"], learning_curve=True, progress=progress
            )
        with store.lock(sid):
            store.save_json(sid, KIND, NAME, with_curve)
    except Superseded:
        return no_update, no_update
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    return {"key": with_curve["key"]}, no_update


def curve_cancelled(_clicks):
    """The learning curve's note once its Cancel is clicked: the job ends without a word, and
    the plot went on saying the curve was being drawn."""
    return figures.curve_cancelled()


def render(state, use_transfer: bool, sid):
    """Verdict, cards, plots and the group table of the session's last run, with or without
    the transfer; the switch stays disabled until there is a run. (The learning curve's own
    callback redraws the curve: as an input here, its job would hold this one back; until then
    its plot says it is being drawn, when the run's `state` asked for it.)"""
    result = stored(sid)
    if result is None:
        return ({}, UNSEEN, True, "") + (no_update,) * 7
    label = _label(result)
    shown = bool(use_transfer)
    return (
        {"display": "none"},
        {},
        False,
        verdict(result),
        metric_cards(result, shown),
        facts(result),
        figures.parity(result, shown, label),
        figures.error_histogram(result, shown, label),
        figures.learning_curve(
            result.get("learning_curve"), result, label, drawing=bool((state or {}).get("curve"))
        ),
        figures.importances(result),
        group_table(result, shown),
    )


def render_curve(_curve_state, sid):
    """The verdict and the learning curve once the curve's job has added it."""
    result = stored(sid)
    if result is None:
        return no_update, no_update
    return verdict(result), figures.learning_curve(
        result.get("learning_curve"), result, _label(result)
    )


def _label(result: dict) -> str:
    return result["target_column"] + (f" ({result['unit']})" if result.get("unit") else "")

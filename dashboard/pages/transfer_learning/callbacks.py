"""The Transfer Learning page's callbacks (module-level, so tests can call them) and their wiring."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import catalog, runtime
from dashboard.engine.transfer import MLP, TransferConfig, run_transfer
from dashboard.figures import transfer as figures
from dashboard.jobs import reports_failures
from dashboard.pages.transfer_learning.results import facts, group_table, metric_cards
from dashboard.store import SessionError, StorageError

KIND = "transfer"
NAME = "current"
DEFAULT_PAIR = (catalog.BUILTIN + "freesolv", "calc", "expt")


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
        State("tl-curve", "value"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("tl-train"),
    )(train)
    app.callback(
        Output("tl-empty", "style"),
        Output("tl-results", "style"),
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


def dataset_options_for(side: str):
    def dataset_options(sid: str | None, current: str | None):
        options = catalog.options(sid)
        keys = {o["value"] for o in options}
        return options, current if current in keys else DEFAULT_PAIR[0]

    dataset_options.__name__ = f"{side}_dataset_options"
    return dataset_options


def column_options_for(side: str):
    preferred = DEFAULT_PAIR[1] if side == "source" else DEFAULT_PAIR[2]

    def column_options(key: str | None, sid: str | None):
        try:
            dataset = catalog.load(sid, key)
        except (KeyError, ValueError, SessionError):
            return [], None
        columns = dataset.target_columns + dataset.feature_columns
        options = [{"label": c, "value": c} for c in columns]
        return options, preferred if preferred in columns else (columns[0] if columns else None)

    column_options.__name__ = f"{side}_column_options"
    return column_options


@reports_failures(message_output=1, outputs=2)
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
    curve,
):
    """Run the transfer study as a background job and keep its result in the session."""
    store = runtime.current().store
    try:
        store.require(sid)
        if not all((source_key, source_column, target_key, target_column)):
            raise ValueError("Choose the source and target datasets and their columns first.")
        source, target = catalog.load(sid, source_key), catalog.load(sid, target_key)
        config = TransferConfig(
            approach=approach,
            model=MLP if approach == "ft" else model,
            learning_curve="on" in (curve or []),
        )

        def progress(fraction: float, message: str) -> None:
            set_progress((int(100 * fraction), message))

        result = run_transfer(
            source,
            source_column,
            target,
            target_column,
            config,
            cache_dir=runtime.current().cache_dir,
            progress=progress,
        )
        document = {
            **result.to_dict(),
            "source": source.title,
            "target": target.title,
            "unit": target.units.get(target_column, ""),
        }
        with store.lock(sid):
            store.save_json(sid, KIND, NAME, _json_safe(document))
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    note = f"Trained in {result.seconds:.1f} s" + (
        " (source model from the cache)." if result.source_cached else "."
    )
    return {"seconds": result.seconds}, dbc.Alert(note, color="success", duration=5000)


def render(_state, use_transfer: bool, sid):
    """Cards, plots and the group table of the session's last run, with or without transfer."""
    try:
        result = runtime.current().store.load_json(runtime.current().store.require(sid), KIND, NAME)
    except SessionError:
        result = None
    if result is None:
        return ({}, {"display": "none"}) + (no_update,) * 7
    label = result["target_column"] + (f" ({result['unit']})" if result.get("unit") else "")
    shown = bool(use_transfer)
    return (
        {"display": "none"},
        {},
        metric_cards(result, shown),
        facts(result),
        figures.parity(result, shown, label),
        figures.error_histogram(result, shown, label),
        figures.learning_curve(result.get("learning_curve")),
        figures.importances(result),
        group_table(result, shown),
    )


def _json_safe(value):
    """NaN (an undefined R²) as null, so the stored JSON is standard."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value

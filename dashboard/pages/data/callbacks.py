"""The Data page's callbacks (module-level, so tests can call them) and their wiring."""

from __future__ import annotations

import time

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from components import remembered_choice
from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import catalog, runtime
from dashboard.jobs import reports_failures
from dashboard.pages.data.download import download, download_note
from dashboard.pages.data.grid import GRID_BLOCK, dataset_grid, records
from dashboard.pages.data.overview import headline, summary_figures
from dashboard.pages.data.roles import (
    ROLE_FIELDS,
    apply_role_edits,
    notes_alert,
    own_meta,
    roles_message_on_pick,
    stored_notes,
)
from dashboard.pages.data.sheets import read_sheet, sheet_choices, sheet_request
from dashboard.pages.data.upload import receive_upload
from dashboard.store import SessionError

DEFAULT_KEY = catalog.BUILTIN + "expt-gap"


def register_callbacks(app: Dash) -> None:
    """Wire the page's callbacks (module-level functions, so tests can call them directly)."""
    app.callback(
        Output("data-picker", "options"),
        Output("data-picker", "value"),
        Input("session-id", "data"),
        Input("data-refresh", "data"),
        State(remembered_choice.memory_id("data-picker"), "data"),
    )(refresh_picker)
    remembered_choice.register(app, "data-picker")

    app.callback(
        Output("data-headline", "children"),
        Output("data-description", "children"),
        Output("data-grid-container", "children"),
        Output("data-summary", "children"),
        Output("data-remove-button", "disabled"),
        Output("data-download-note", "children"),
        *(
            Output(f"data-role-{name}", "options")
            for name in ROLE_FIELDS
            if name != "structure_kind"
        ),
        *(Output(f"data-role-{name}", "value") for name in ROLE_FIELDS),
        Output("data-roles-notes", "children"),
        Input("data-picker", "value"),
        State("session-id", "data"),
    )(show_dataset)

    app.callback(
        Output("data-grid", "getRowsResponse"),
        Input("data-grid", "getRowsRequest"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(grid_rows)

    app.callback(
        Output("data-upload-message", "children"),
        Output("data-refresh", "data"),
        Input("data-upload", "contents"),
        State("data-upload", "filename"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("data-upload"),
    )(upload)

    app.callback(
        Output("data-roles-message", "children"),
        Output("data-roles-notes", "children", allow_duplicate=True),
        Output("data-refresh", "data", allow_duplicate=True),
        Input("data-roles-apply", "n_clicks"),
        *(State(f"data-role-{name}", "value") for name in ROLE_FIELDS),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(apply_role_edits)

    app.callback(
        Output("data-roles-message", "children", allow_duplicate=True),
        Input("data-picker", "value"),
        State("data-refresh", "data"),
        prevent_initial_call=True,
    )(roles_message_on_pick)

    app.callback(
        Output("data-sheet", "options"),
        Output("data-sheet", "value"),
        Output("data-sheet-row", "style"),
        Input("data-picker", "value"),
        State("session-id", "data"),
    )(sheet_choices)

    app.callback(
        Output("data-sheet-request", "data"),
        Input("data-sheet", "value"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(sheet_request)

    app.callback(
        Output("data-upload-message", "children", allow_duplicate=True),
        Output("data-refresh", "data", allow_duplicate=True),
        Input("data-sheet-request", "data"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("data-sheet"),
    )(sheet_job)

    app.callback(
        Output("data-download", "data"),
        Input("data-download-button", "n_clicks"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(download)

    app.callback(
        Output("data-remove-confirm", "displayed"),
        Output("data-remove-confirm", "message"),
        Input("data-remove-button", "n_clicks"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(ask_to_remove)

    app.callback(
        Output("data-refresh", "data", allow_duplicate=True),
        Output("data-upload-message", "children", allow_duplicate=True),
        Input("data-remove-confirm", "submit_n_clicks"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(remove)


def refresh_picker(sid: str | None, refresh: dict | None, current: str | None):
    """The session's datasets; select a new upload, else keep the choice while it exists."""
    options = catalog.options(sid)
    keys = {option["value"] for option in options}
    wanted = (refresh or {}).get("select") if dash.ctx.triggered_id == "data-refresh" else current
    return options, wanted if wanted in keys else (current if current in keys else DEFAULT_KEY)


def show_dataset(key: str | None, sid: str | None):
    """Headline, table, summary, what the download holds, role editors and the notes on the
    roles of the chosen dataset."""
    try:
        dataset = catalog.load(sid, key)
    except (KeyError, ValueError, SessionError) as err:
        message = error_alert(err, color="warning")
        return (message, "", None, None, True, None, *([[]] * 5), *([None] * 6), None)
    columns = [{"label": str(c), "value": c} for c in dataset.frame.columns]
    return (
        headline(dataset),
        dataset.source,
        dataset_grid(dataset),
        summary_figures(dataset),
        not key.startswith(catalog.UPLOAD),
        download_note(key, dataset, sid),
        *([columns] * 5),
        *(getattr(dataset, name) for name in ROLE_FIELDS),
        notes_alert(stored_notes(sid, key)),
    )


def grid_rows(request: dict | None, key: str, sid: str):
    """One block of rows for the virtualised table, sorted as the table asks."""
    if not request:
        return no_update
    try:
        frame = catalog.load(sid, key).frame
    except (KeyError, ValueError, SessionError):
        return {"rowData": [], "rowCount": 0}
    for order in reversed(request.get("sortModel") or []):
        if order.get("colId") in frame.columns:
            frame = frame.sort_values(
                order["colId"],
                ascending=order.get("sort") != "desc",
                kind="stable",
                na_position="last",
            )
    start, end = int(request.get("startRow", 0)), int(request.get("endRow", GRID_BLOCK))
    block = frame.iloc[start:end]
    return {"rowData": records(block), "rowCount": len(frame)}


@reports_failures(message_output=0, outputs=2)
def upload(set_progress, contents: str | None, filename: str | None, sid: str | None):
    """Parse the dropped file; store it only when it is usable, else list its problems."""
    set_progress((10, "reading the file"))
    message, key = receive_upload(contents, filename, sid)
    set_progress((100, "done"))
    return message, ({"select": catalog.UPLOAD + key, "t": time.time()} if key else no_update)


@reports_failures(message_output=0, outputs=2)
def sheet_job(set_progress, request: dict | None, sid: str | None):
    """Read the sheet of an upload's workbook that `request` names (see sheets.read_sheet)."""
    if not request:
        return no_update, no_update
    set_progress((10, f"reading the sheet '{request['sheet']}'"))
    answer = read_sheet(request["sheet"], request["key"], sid)
    set_progress((100, "done"))
    return answer


def ask_to_remove(_clicks, key: str, sid: str):
    """Ask before removing one of the session's datasets: its role edits go with it, and a
    campaign on it can no longer go on. (whether the dialog shows, its question)"""
    title = _own_title(key, sid)
    if title is None:
        return False, no_update
    return True, (
        f"Remove {title} from your session? Its table and role edits are deleted from this "
        "server, and a campaign on it can no longer go on. Your own file is not touched."
    )


def remove(_confirmed, key: str, sid: str):
    """Delete one of the session's own datasets, show the default one, and say so."""
    title = _own_title(key, sid)
    if title is None:
        return no_update, no_update
    store = runtime.current().store
    try:
        with store.lock(sid):
            store.delete_dataset(sid, key.removeprefix(catalog.UPLOAD))
    except (ValueError, SessionError) as err:
        return no_update, error_alert(err)
    removed = dbc.Alert(f"Removed {title} from your session.", color="info", dismissable=True)
    return {"select": DEFAULT_KEY, "t": time.time()}, removed


def _own_title(key: str | None, sid: str | None) -> str | None:
    """The title of one of the session's own datasets; None for others and unknown keys."""
    if not (isinstance(key, str) and key.startswith(catalog.UPLOAD)):
        return None
    try:
        return own_meta(sid, key).get("title")
    except (ValueError, SessionError):
        return None

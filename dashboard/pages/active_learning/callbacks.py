"""The Active Learning page's callbacks: start, step, run, back, reset, play, enter values, export
and import a campaign; and `register_callbacks(app)`, which wires them and the page's others."""

from __future__ import annotations

import base64
import binascii
import json

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, no_update

from components import remembered_choice
from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import campaigns, runtime
from dashboard.engine.active_learning.config import SIMULATED
from dashboard.engine.wording import counted
from dashboard.jobs import reports_failures
from dashboard.pages.active_learning import campaign_file, config_form, guide, suggestions
from dashboard.pages.active_learning.layout import BUSY, IDLE
from dashboard.pages.active_learning.render import OUTPUTS, render
from dashboard.pages.active_learning.starting import changed, start
from dashboard.server_timing import Phases
from dashboard.store import SessionError, StorageError

MAX_IMPORT_BYTES = 20 * 1024 * 1024
ACTIONS = ("al-step", "al-back", "al-reset", "al-play-timer")
BUSY_RUNNING = [
    (Output("al-actions", "className"), BUSY, IDLE),
    (Output("al-guide-start", "disabled"), True, False),
]
"""While a campaign changes, its buttons wait (and say so) and the guide cannot be restarted."""


def register_callbacks(app: Dash) -> None:
    """Wire the page's callbacks (module-level functions, so tests can call them directly)."""
    app.callback(
        Output("al-dataset", "options"),
        Output("al-dataset", "value"),
        Input("session-id", "data"),
        State(remembered_choice.memory_id("al-dataset"), "data"),
    )(config_form.dataset_options)
    remembered_choice.register(app, "al-dataset")
    app.callback(
        Output("al-target", "options"),
        Output("al-target", "value"),
        Input("al-dataset", "value"),
        State("session-id", "data"),
    )(config_form.target_options)
    app.callback(
        Output("al-goal", "value"),
        Input("al-target", "value"),
        State(config_form.GOAL_MEMORY, "data"),
        prevent_initial_call=True,
    )(config_form.goal_for_target)
    app.callback(
        Output(config_form.GOAL_MEMORY, "data"),
        Input("al-goal", "value"),
        State("al-target", "value"),
        prevent_initial_call=True,
    )(config_form.remember_goal)
    app.callback(
        Output("al-acquisition-help", "children"),
        Output("al-param-box", "style"),
        Output("al-param-box", "children"),
        Input("al-acquisition", "value"),
    )(config_form.acquisition_help)
    app.callback(
        Output("al-state", "data"),
        Output("al-message", "children"),
        Input("al-start", "n_clicks"),
        State("session-id", "data"),
        *(State(name, "value") for name in config_form.FORM_IDS),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("al-start", extra_running=BUSY_RUNNING),
    )(start_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-run", "n_clicks"),
        State("al-run-n", "value"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("al-run", extra_running=BUSY_RUNNING),
    )(run_steps)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        *(
            Input(name, "n_intervals" if name == "al-play-timer" else "n_clicks")
            for name in ACTIONS
        ),
        State("session-id", "data"),
        prevent_initial_call=True,
        running=BUSY_RUNNING,
    )(act)
    app.callback(
        Output("al-play-timer", "disabled"),
        Output("al-play", "children"),
        Input("al-play", "n_clicks"),
        State("al-play-timer", "disabled"),
        prevent_initial_call=True,
    )(toggle_play)
    app.callback(
        *OUTPUTS,
        Input("al-state", "data"),
        Input("al-slider", "value"),
        Input("al-map-colour", "value"),
        Input("session-id", "data"),
    )(render)
    app.callback(
        Output("al-download", "data"),
        Input("al-export", "n_clicks"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(export_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-import", "contents"),
        State("al-import", "filename"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(import_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-enter", "n_clicks"),
        State("al-suggestions-grid", "rowData"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(enter_measurements)
    app.callback(
        Output("al-suggestions-download", "data"),
        Input("al-suggestions-csv", "n_clicks"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(suggestions.download)
    app.callback(
        Output("al-campaign-file-download", "data"),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-campaign-file", "n_clicks"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(campaign_file.download)
    guide.register(app, BUSY_RUNNING)


@reports_failures(message_output=1, outputs=2)
def start_campaign(set_progress, _clicks, sid, *controls):
    """Featurise the dataset, fit the first model and save the new campaign (a background job)."""
    try:
        campaign = start(set_progress, sid, config_form.build_config(*controls))
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    pool, left = campaign.pool_rows.size, campaign.pool_rows.size - len(campaign.measured_rows)
    note = f"Started: {pool:,} rows, {left:,} not measured yet; model {campaign.model_name}."
    return changed("full"), dbc.Alert(note, color="success", dismissable=True)


@reports_failures(message_output=1, outputs=2)
def run_steps(set_progress, _clicks, n, sid):
    """Take n simulated steps, saving after each so that Cancel keeps the finished ones."""
    try:
        n = int(n or 0)
        if not 1 <= n <= 200:
            raise ValueError("Run between 1 and 200 steps at a time.")
        store = runtime.current().store
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid)  # once: loading reads the features and refits
        if campaign.config.mode != SIMULATED:
            raise ValueError("Run needs a simulated campaign; a real one steps on your values.")
        for done in range(n):
            with store.lock(store.require(sid)):
                campaign.step()
                campaigns.save(sid, campaign)
            set_progress(
                (int(100 * (done + 1) / n), f"step {campaign.step_index} ({done + 1} of {n})")
            )
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return changed("step"), error_alert(err)
    return changed("step"), None


def act(_step, _back, _reset, _tick, sid):
    """Step, Back, Reset, or one tick of Play; the campaign is unchanged when it fails."""
    action = dash.ctx.triggered_id
    store = runtime.current().store
    timing = Phases()
    try:
        with store.lock(store.require(sid)):
            with timing.phase("load"):
                campaign = campaigns.load(sid)
            stepping = action in ("al-step", "al-play-timer")
            with timing.phase("step"):
                if stepping:
                    campaign.step()
                elif action == "al-back":
                    campaign.back()
                elif action == "al-reset":
                    campaign.reset()
            if stepping:
                timing.split("step", "fit", campaign.fit_seconds, "score")
            with timing.phase("save"):
                campaigns.save(sid, campaign)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    timing.send()
    return changed("step"), None


def toggle_play(_clicks, disabled: bool):
    """Start or pause the Play timer, and name the button for what it will do next."""
    playing = bool(disabled)
    return not playing, "Pause" if playing else "Play"


def enter_measurements(_clicks, rows: list[dict] | None, sid):
    """Real mode: take the values typed into the suggestions table, then step."""
    store = runtime.current().store
    try:
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid)
            values = suggestions.typed_values(rows, campaign.config.target)
            campaign.add_measurements(values)
            campaign.step()
            campaigns.save(sid, campaign)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    taken = f"{counted(len(values), 'value')} taken in."
    return changed("step"), dbc.Alert(taken, color="success", dismissable=True)


def export_campaign(_clicks, sid):
    """The saved campaign as a JSON download."""
    try:
        document = campaigns.saved(runtime.current().store.require(sid))
    except SessionError:
        return no_update
    if document is None:
        return no_update
    return {
        "content": json.dumps(document, indent=1),
        "filename": "campaign.json",
        "type": "application/json",
    }


def import_campaign(contents: str | None, filename: str | None, sid):
    """Load an exported campaign; a damaged file or one for other data leaves the current one."""
    try:
        if not contents or "," not in contents:
            raise ValueError("The campaign file arrived empty.")
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValueError("This campaign file is too large.")
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{filename or 'The file'} is not a campaign JSON file.") from err
        store = runtime.current().store
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid, document if isinstance(document, dict) else [])
            campaigns.save(sid, campaign, new=True)
    except (ValueError, KeyError, binascii.Error, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    return changed("full"), dbc.Alert(
        f"Imported: step {campaign.step_index}.", color="success", dismissable=True
    )

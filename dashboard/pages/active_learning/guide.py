"""The guided first campaign: one button starts the built-in demo (QM9, maximise the LUMO, the
page's defaults) and steps it in stages, each ending with a sentence on what to notice.

A stage is one background job; between stages a one-shot timer waits `PAUSE_MS` so that the
sentence can be read, then starts the next. /active-learning?guided=1 starts it on arrival.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import campaigns, catalog, runtime
from dashboard.jobs import reports_failures
from dashboard.pages.active_learning import config_form, starting, summary
from dashboard.store import SessionError, StorageError

DEMO = {
    "al-dataset": catalog.BUILTIN + "qm9",
    "al-target": "lumo",
    "al-goal": "max",
    "al-goal-value": None,
    "al-mode": "simulated",
    "al-model": "auto",
    "al-acquisition": "auto",
    "al-param": None,
    "al-init": 50,
    "al-batch": 10,
    "al-seed": 0,
    "al-batch-method": "auto",
    "al-design": "random",
}
"""The demo's settings, by form control (the form's defaults on the built-in QM9 set)."""
STAGES = (0, 3, 10, 20)
"""The step each stage ends at: the start, first picks, best vs random, calibration."""
PAUSE_MS = 4000
ARRIVAL_MS = 300


def guide_card(autostart: bool) -> dbc.Card:
    """The button, the running stage's progress and the sentence on what to notice."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        dbc.Button("Watch a guided campaign", id="al-guide-start", color="primary"),
                        html.Span(
                            "New here? The built-in demo runs itself in four short stages.",
                            className="mi-explain",
                        ),
                    ],
                    className="d-flex flex-wrap align-items-center gap-2",
                ),
                JobProgress("al-guide", "Running the guided campaign"),
                html.P(id="al-guide-text", className="mb-0 mt-2", **{"aria-live": "polite"}),
                dcc.Store(id="al-guide", data={"next": 0}),
                dcc.Interval(
                    id="al-guide-timer",
                    interval=ARRIVAL_MS,
                    max_intervals=1,
                    disabled=not autostart,
                ),
            ],
            className="py-2",
        ),
        className="mb-3 mi-guide",
    )


def register(app: Dash, busy: list) -> None:
    """Wire the guide's stage job; `busy` are the `running` entries that mark the page busy."""
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Output("al-guide", "data"),
        Output("al-guide-text", "children"),
        Output("al-guide-timer", "n_intervals"),
        Output("al-guide-timer", "interval"),
        Output("al-guide-timer", "disabled"),
        Input("al-guide-start", "n_clicks"),
        Input("al-guide-timer", "n_intervals"),
        State("al-guide", "data"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("al-guide", extra_running=busy),
    )(run_stage)


@reports_failures(message_output=1, outputs=7)
def run_stage(set_progress, clicks, ticks, guide, sid):
    """The guide's next stage: start the demo (stage 0, also whenever the button is pressed) or
    step it to the stage's step; then the note, and the timer set for the next stage."""
    stage = 0 if ctx.triggered_id == "al-guide-start" else int((guide or {}).get("next", 0))
    if stage >= len(STAGES):
        return (no_update,) * 7
    store = runtime.current().store
    try:
        if stage == 0:
            config = config_form.build_config(*(DEMO[name] for name in config_form.FORM_IDS))
            starting.start(set_progress, sid, config)
        else:
            _step_to(set_progress, sid, STAGES[stage])
        with store.lock(store.require(sid)):
            view = campaigns.view(sid)
        unit = catalog.load(sid, view.config.dataset_id).units.get(view.config.target, "")
        line = summary.summary_line(view.history, view.snapshot.truth, view.config, unit)
        note = summary.stage_note(stage, len(STAGES), view.history, line, unit)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err), {"next": 0}, no_update, 0, PAUSE_MS, True
    redraw = starting.changed("full" if stage == 0 else "step")
    return redraw, None, {"next": stage + 1}, note, 0, PAUSE_MS, stage + 1 >= len(STAGES)


def _step_to(set_progress, sid, step: int) -> None:
    """Step the session's campaign until `step`, saving each step (Cancel keeps them); it is
    loaded once (loading reads the features and refits), the session locked for each step."""
    store = runtime.current().store
    with store.lock(store.require(sid)):
        campaign = campaigns.load(sid)
    while campaign.step_index < step:
        with store.lock(store.require(sid)):
            campaign.step()
            campaigns.save(sid, campaign)
        set_progress(
            (int(100 * campaign.step_index / step), f"step {campaign.step_index} of {step}")
        )

"""The controls of the run shown: after a reload or a visit to another page the layout starts
from the demo's settings while the results panel shows the session's last run, so the controls
said 'latent variable, 10 %' above a fine-tuning verdict on half the rows, and a change of model
then switched from settings that were never run. Here the controls take that run's settings."""

from __future__ import annotations

from dash import Dash, Input, Output, no_update

from dashboard import runtime
from dashboard.pages.transfer_learning.newest import KIND, NAME
from dashboard.store import SessionError

ASKED = "tl-asked"
"""Store of the approach and model last asked for (set here to the run shown, and by each switch
that runs): a 'switch' to them is no switch (callbacks.SWITCH_RUNS), so that setting the
controls here runs nothing."""


def register_restore(app: Dash) -> None:
    """Wire `restore_controls` to the page's load."""
    app.callback(
        Output("tl-share", "value"),
        Output("tl-approach", "value"),
        Output("tl-model", "value"),
        Output("tl-curve", "value"),
        Output(ASKED, "data"),
        Input("session-id", "data"),
    )(restore_controls)


def restore_controls(sid):
    """Rows used, approach, target model and learning-curve box of the session's last run
    (no_update without one; the box too for a run stored before its setting was kept). The box
    left ticked by the layout drew a curve, the longest job, on the next switch of model after a
    run without one."""
    request = last_request(sid)
    if request is None:
        return (no_update,) * 5
    curve = no_update if "curve" not in request else (["on"] if request["curve"] else [])
    asked = {"model": request["model"], "approach": request["approach"]}
    return request["train_share"], request["approach"], request["model"], curve, asked


def last_request(sid) -> dict | None:
    """The request of the session's last run, or None."""
    return (stored(sid) or {}).get("request")


def stored(sid) -> dict | None:
    """The session's last result as stored, or None."""
    try:
        return runtime.current().store.load_json(runtime.current().store.require(sid), KIND, NAME)
    except SessionError:
        return None

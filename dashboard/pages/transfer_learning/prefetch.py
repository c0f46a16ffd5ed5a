"""Idle work after a run: the page's other target models trained on the same request and kept in
the transfer cache, so that switching to one of them reads its result instead of training.

It starts once the run's curve job has ended (drawn, or none asked for), only when the server
has a slot free at that moment, and gives way to a new Train of the session between fits, as the
curve does. It shows nothing and changes no stored result: it only fills the cache.
"""

from __future__ import annotations

import dataclasses
import logging

from dash import Dash, Input, Output, State, no_update

from dashboard import runtime
from dashboard.engine.transfer import TARGET_MODELS
from dashboard.job_slots import JobSlots, QueueTimeout
from dashboard.pages.transfer_learning.callbacks import NAME, run_request
from dashboard.pages.transfer_learning.newest import KIND, Superseded, giving_way

log = logging.getLogger(__name__)


def register_prefetch(app: Dash) -> None:
    """Wire `prefetch` to the end of a run's curve job (which ends at once without a curve)."""
    app.callback(
        Output("tl-message", "children", allow_duplicate=True),
        Input("tl-curve-state", "data"),
        State("tl-state", "data"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
    )(prefetch)


def prefetch(curve_state, state, sid):
    """Train and cache the other target models of the session's last run, once its curve job
    has ended (one background job after another: Dash's disk manager forks each job from the
    server, and jobs forked at once from two threads can inherit a SQLite lock); no_update."""
    if not state or not state.get("run") or (curve_state or {}).get("key") != state.get("key"):
        return no_update
    rt = runtime.current()
    try:
        document = rt.store.load_json(rt.store.require(sid), KIND, NAME)
        if document is None or document.get("key") != state.get("key"):
            return no_update
        report = giving_way(rt.store, sid, state["run"], lambda _update: None)
        slots = dataclasses.replace(JobSlots.from_settings(rt.settings), wait_seconds=0.0)
        with slots.held(sid, report):
            for model in TARGET_MODELS:
                if model != document["request"]["model"]:
                    request = {**document["request"], "model": model}
                    run_request(sid, request, False, lambda f, message: report((f, message)))
    except (Superseded, QueueTimeout):
        pass
    except Exception:  # idle work: a failure is logged, the page is not told
        log.exception("preparing the other target models failed")
    return no_update

"""Work right after a run: the page's other target models trained on the same request and kept
in the transfer cache, so that switching to one of them reads its result (`switch_from_cache`)
instead of training.

It runs between the run and its learning curve (a few seconds on the demo, where the curve
takes 14-17 s), only when the server has a slot free at that moment. A click on Train
ends it at once (`TRAIN_CANCELS`: its process is killed, which frees its slot, so the switch
clicked does not wait for a fit nobody asked for); a Train in another tab of the session makes
it give way between fits, as the curve does. It shows nothing and changes no stored result: it
fills the cache, then hands the run's state on to the curve's job when the run asks for a
curve (one job after the other: started together, the curve's fits would slow the
preparation's). When a curve waits for it, its bar shows what it trains: qm9's 8,000 training
rows take about two minutes; its Cancel skips to the curve.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from dash import Dash, Input, Output, State, no_update

from components.job_progress import SHOWN, JobProgress
from dashboard import runtime
from dashboard.engine.transfer import TARGET_MODELS
from dashboard.job_slots import JobSlots, QueueTimeout
from dashboard.pages.transfer_learning.newest import KIND, NAME, Superseded, giving_way
from dashboard.pages.transfer_learning.runs import run_request

log = logging.getLogger(__name__)

TRAIN_CANCELS = Input("tl-train", "n_clicks")
"""The page's jobs for a run (this preparation, the learning curve) end when Train is clicked:
their work is for the run shown, and a click replaces it. Killing spoils nothing kept: the
cache renames a whole temporary file into place (a write cut short leaves only that temporary
file), and a slot's lock dies with its process. The process ends at once, where giving way
waited for the fit under way to finish."""
PREPARE = "tl-prepare"
"""The preparation's progress block (shown only while a learning curve waits for it)."""


def cancelled_by_train(kwargs: dict) -> dict:
    """Background-callback arguments whose job a click on Train also ends (see TRAIN_CANCELS)."""
    return {**kwargs, "cancel": [*kwargs["cancel"], TRAIN_CANCELS]}


def prepared_models(model: str) -> list[str]:
    """The target models the preparation trains after a run of `model`: all the others."""
    return [m for m in TARGET_MODELS if m != model]


def register_prefetch(app: Dash) -> None:
    """Wire `prefetch` between a run and its learning curve, and its Cancel to the curve."""
    app.callback(
        Output("tl-ready-state", "data"),
        Input("tl-state", "data"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **cancelled_by_train(JobProgress.reported_kwargs(PREPARE)),
    )(prefetch)
    app.callback(
        Output("tl-ready-state", "data", allow_duplicate=True),
        Input(JobProgress.ids.cancel(PREPARE), "n_clicks"),
        State("tl-state", "data"),
        prevent_initial_call=True,
    )(skip_preparation)


def prefetch(set_progress, state, sid):
    """Train and cache the other target models of the session's last run; the run's state for
    the curve when it asks for one, else no_update (as when a newer run came meanwhile): a
    curve's job started only to find nothing to draw showed its bar, 'Starting…' and Cancel
    for the second a job takes to start. Its own bar shows only when a curve waits for it."""
    if not state or not state.get("run"):
        return no_update
    rt = runtime.current()
    try:
        document = rt.store.load_json(rt.store.require(sid), KIND, NAME)
        if document is None or document.get("key") != state.get("key"):
            return no_update
        shown = set_progress if state.get("curve") else lambda _update: None
        report = giving_way(rt.store, sid, state["run"], shown)
        slots = dataclasses.replace(JobSlots.from_settings(rt.settings), wait_seconds=0.0)
        others = prepared_models(document["request"]["model"])
        with slots.held(sid, report):
            for i, model in enumerate(others):
                request = {**document["request"], "model": model}
                run_request(sid, request, False, _told(report, i, others))
    except Superseded:
        return no_update
    except QueueTimeout:
        pass  # the server is busy: no preparation, the curve queues as any job
    except Exception:  # the preparation is a bonus: a failure is logged, the curve still follows
        log.exception("preparing the other target models failed")
    return state if state.get("curve") else no_update


def _told(
    report: Callable[[tuple], None], i: int, models: list[str]
) -> Callable[[float, str], None]:
    """The progress of training the i-th of `models`, as the preparation's bar shows it."""

    def progress(fraction: float, _message: str) -> None:
        percent = int(100 * (i + fraction) / len(models))
        sentence = (
            f"Training {models[i]} ({i + 1} of {len(models)}) so that a switch to it is quick; "
            "the learning curve follows (Cancel: draw it now)."
        )
        report((percent, sentence, SHOWN))

    return progress


def skip_preparation(_clicks, state):
    """The preparation's Cancel: its job ends and its bar hides (Dash resets a cancelled job's
    progress to `progress_default`), the switches it did not reach train when clicked, and the
    curve starts at once, when the run asked for one."""
    return state if state and state.get("curve") else no_update

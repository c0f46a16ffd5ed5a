"""A Celery job whose worker died is reported to its page as failed, with a Retry button.

Dash's CeleryManager takes a job for running while Celery says PENDING, and a worker killed with
`kill -9` never says more, so the page would poll forever; a killed pool process makes Celery say
FAILURE, which Dash reads as cancelled, so the progress bar vanishes without a word. Here each
job beats while it runs: the pool process that runs it (Celery's task_prerun signal) marks it
started and keeps an "alive" key in Redis with a time to live of MI_JOB_HEARTBEAT_SECONDS,
renewed several times within it by a thread. A poll for a job without an answer that is FAILURE,
or started but no longer alive, is answered as ended, with a sentence and Retry in the error toast.

Such a job is not re-run by itself: a run of N steps saves after each step, and running it again
would take N more steps from the last saved one, not the N asked for. So Celery's default early
acknowledgement stays (a started job is never delivered twice) and the user decides with Retry.
"""

from __future__ import annotations

import threading

import dash
import dash_bootstrap_components as dbc
from celery.signals import task_postrun, task_prerun
from dash import MATCH, CeleryManager, Input, Output, State, ctx, html
from dash.exceptions import MissingCallbackContextException

from dashboard import toast
from dashboard.toast import TOAST

BEATS_PER_PERIOD = 6
"""How many times a job renews its alive key within MI_JOB_HEARTBEAT_SECONDS."""
STARTED_EXPIRE_SECONDS = 24 * 3600
"""How long the started mark of a job is kept: longer than any job runs."""
RETRY = "mi-job-retry"
LOST = (
    "The worker running your job stopped before the job finished, so it did not finish. What it "
    "had saved before it stopped is kept (for a run of steps, the steps already taken) and nothing "
    "else was changed. Try it again."
)
_beating: dict[str, threading.Event] = {}
"""The running jobs of this pool process: their stop signals by task id."""


def alive_key(job: str) -> str:
    return f"mi-job-alive-{job}"


def started_key(job: str) -> str:
    return f"mi-job-started-{job}"


def install(celery_app, seconds: float) -> None:
    """Make every task of `celery_app` beat while it runs (in the worker's pool processes), its
    alive key lapsing `seconds` after the last beat."""
    celery_app.conf.update(mi_job_heartbeat_seconds=max(1.0, float(seconds)))
    task_prerun.connect(_start, weak=False, dispatch_uid="mi-job-heartbeat-start")
    task_postrun.connect(_end, weak=False, dispatch_uid="mi-job-heartbeat-end")


def _start(task_id: str, task, **_kwargs) -> None:
    """Before a task runs: mark it started and alive, and start the thread that keeps it alive."""
    client, period = task.backend.client, task.app.conf["mi_job_heartbeat_seconds"]
    stop = _beating[task_id] = threading.Event()
    client.set(alive_key(task_id), 1, px=int(period * 1000))
    client.set(started_key(task_id), 1, ex=STARTED_EXPIRE_SECONDS)
    threading.Thread(target=_beat, args=(client, task_id, period, stop), daemon=True).start()


def _end(task_id: str, **_kwargs) -> None:
    """After a task ran (its answer is stored): stop its beats; its alive key lapses by itself."""
    if (stop := _beating.pop(task_id, None)) is not None:
        stop.set()


def _beat(client, job: str, period: float, stop: threading.Event) -> None:
    """Renew the job's alive key until `stop`; it lapses `period` s after its process dies."""
    while not stop.wait(period / BEATS_PER_PERIOD):
        client.set(alive_key(job), 1, px=int(period * 1000))


class ExplainsInToast:
    """For a background-callback manager: what its `get_result` found wrong with a job, kept in
    `_explained` under the job's key, goes to the page's error toast with the same request's
    props (Dash drops toasts set by a background callback's error handler)."""

    _explained: dict[str, dict]
    """The toast's props (see dashboard/toast.py) by job key."""

    def get_updated_props(self, key) -> dict:
        props = super().get_updated_props(key)
        if (shown := self._explained.pop(key, None)) is not None:
            props[TOAST] = shown
        return props


class HeartbeatCeleryManager(ExplainsInToast, CeleryManager):
    """A CeleryManager that answers a job whose worker died: ended, with a sentence and Retry."""

    def __init__(self, celery_app, expire: int) -> None:
        super().__init__(celery_app, expire=expire)
        self._explained: dict[str, dict] = {}
        """Toasts found by `get_result` for the `get_updated_props` of the same request."""

    def lost(self, job) -> bool:
        """Whether the job ended without an answer: Celery says FAILURE (its pool process died;
        Dash's own wrapper answers every error), or it started and its heartbeat lapsed."""
        if not job:
            return False
        if self.get_task(job).state == "FAILURE":
            return True
        client = self.handle.backend.client
        return bool(client.exists(started_key(job))) and not client.exists(alive_key(job))

    def job_running(self, job) -> bool:
        return bool(super().job_running(job)) and not self.lost(job)

    def get_result(self, key, job):
        result = super().get_result(key, job)
        if result is self.UNDEFINED and self.lost(job):
            self.terminate_job(job)  # should its process live on unheard, it changes nothing more
            trigger = _trigger()
            self._explained[key] = toast.shown(lost_toast(trigger), stays=trigger is not None)
        return result


def lost_toast(trigger: str | None) -> list:
    """The toast's content for a lost job: the sentence, and Retry when a button started it."""
    if trigger is None:
        return [LOST]
    retry = dbc.Button(
        "Retry", id={"type": RETRY, "target": trigger}, size="sm", color="danger", className="mt-2"
    )
    return [LOST, html.Div(retry)]


def _trigger() -> str | None:
    """The id of the button whose click started the polled job, or None (a drop, a timer)."""
    try:
        triggered = ctx.triggered_prop_ids
    except MissingCallbackContextException:
        return None
    return next(
        (cid for prop, cid in triggered.items() if prop.endswith(".n_clicks") and "{" not in prop),
        None,
    )


dash.hooks.clientside_callback(
    """function (clicks, id) {
        if (clicks) {
            const button = document.getElementById(id.target);
            if (button) { button.click(); }
            dash_clientside.set_props("global-error", {is_open: false});  // toast.TOAST
        }
        return true;
    }""",
    Output({"type": RETRY, "target": MATCH}, "disabled"),
    Input({"type": RETRY, "target": MATCH}, "n_clicks"),
    State({"type": RETRY, "target": MATCH}, "id"),
    prevent_initial_call=True,
)
"""Retry presses the button that started the lost job again, with the page's current values."""

"""The background-callback manager: on disk (DiskcacheManager) by default, Celery when Redis is set.

Both run the same `background=True` callbacks; the Celery worker (`python -m dashboard worker`)
imports the app so that every background callback is registered as a Celery task. Every job goes
through `reports_failures`, which also holds one of the server's job slots (job_slots.py) for it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import CeleryManager, DiskcacheManager, ctx, no_update
from dash.exceptions import MissingCallbackContextException

from dashboard import job_cache, job_heartbeat, runtime, sessions, toast
from dashboard.job_cache import ForkSafeCache
from dashboard.job_heartbeat import ExplainsInToast, HeartbeatCeleryManager
from dashboard.job_slots import JobSlots, QueueTimeout
from dashboard.settings import Settings

JOB_RESULT_EXPIRE_SECONDS = 3600
QUEUED_PERCENT = 100
"""A queued job's bar is full (and striped), as while it starts: it waits, with no share done."""
WRITE_ERRORS = (sqlite3.Error, OSError)
"""What the disk cache raises when its folder is read-only or full."""
PROBE_KEY = "mi-dashboard-write-probe"
STOP_WAIT_SECONDS = 1.0
"""Longest wait for a killed job process to die (Dash's own wait)."""
NOT_STARTED = "not-started"
"""The job handle of a job refused because the job queue cannot be written: no process."""
log = logging.getLogger(__name__)


class JobQueueError(RuntimeError):
    """The job queue's folder cannot be opened; the message says what to do."""


def make_manager(settings: Settings) -> DiskcacheManager | CeleryManager:
    """The manager for these settings: Celery on `redis_url` when set (a job whose worker dies
    is reported, job_heartbeat.py), else a disk cache."""
    if settings.redis_url:
        return HeartbeatCeleryManager(make_celery(settings), expire=JOB_RESULT_EXPIRE_SECONDS)
    return CheckedDiskcacheManager(open_job_cache(settings.storage_dir / "jobs"))


def open_job_cache(folder: Path):
    """The disk cache of background jobs in `folder`, checked by a write: one that cannot be
    opened stops the start with a sentence; one that opens but cannot be written is logged, and
    every job is answered with a sentence until it can."""
    import diskcache

    try:
        cache = diskcache.Cache(str(folder))
    except WRITE_ERRORS as err:
        raise JobQueueError(
            f"The job queue {folder} cannot be opened ({err}): make the folder writable, with free "
            "space, then start the server again."
        ) from err
    if (err := write_error(cache)) is not None:
        log.error(
            "the job queue %s cannot be written (%s): every background job (uploads, training, "
            "campaign runs) is refused until it can; make it writable and free some space",
            folder,
            err,
        )
    return cache


def write_error(cache) -> Exception | None:
    """The error of writing a small file-backed value into `cache` (so that both its database and
    its files are tried), or None when it could be written."""
    try:
        cache.set(
            PROBE_KEY, b"\0" * (cache.disk_min_file_size + 1), expire=JOB_RESULT_EXPIRE_SECONDS
        )
    except WRITE_ERRORS as err:
        return err
    return None


class CheckedDiskcacheManager(ExplainsInToast, DiskcacheManager):
    """A DiskcacheManager that says when its cache cannot be written. Dash's own ends such a job
    in silence: the job process dies storing its answer, and the page, finding no answer and no
    process, takes it for cancelled. Here a job is not started on a cache that fails a test
    write, and a job gone without an answer from a cache that cannot be written is explained;
    either way the page's error toast gets the sentence."""

    def __init__(self, cache) -> None:
        super().__init__(cache, expire=JOB_RESULT_EXPIRE_SECONDS)
        self.handle = ForkSafeCache(cache)  # its calls in one thread, never across a fork
        self._explained: dict[str, str] = {}
        """Sentences found by `get_result` for the `get_updated_props` of the same request."""

    def call_job_fn(self, key, job_fn, args, context):
        with job_cache.held():  # no other thread inside the cache from the test write to the fork
            if (err := write_error(self.handle)) is not None:
                log.error("job not started: the job queue cannot be written (%s)", err)
                return NOT_STARTED
            return super().call_job_fn(key, job_fn, args, context)

    def job_running(self, job) -> bool:
        return job != NOT_STARTED and super().job_running(job)

    def terminate_job(self, job) -> None:
        """Kill the job's processes and wait until they are dead, as Dash's manager does, but
        count a zombie as dead: Dash waits until the process is reaped, which only its parent
        can do, so a poll answered by another gunicorn worker waited its full second (the last
        poll of every Start took 1.03 s). Nor does it kill inside a write transaction of the
        cache, as Dash's does: killing needs none, and it kept every other thread of the
        process out of the cache for up to that second."""
        if job != NOT_STARTED:
            _stop(job)

    def get_progress(self, key):
        try:
            return super().get_progress(key)
        except WRITE_ERRORS:  # read but not cleared: shown once more at the next poll
            return self.handle.get(self._make_progress_key(key))

    def get_result(self, key, job):
        result = super().get_result(key, job)
        if result is self.UNDEFINED and job is not None and not self.job_running(job):
            if job == NOT_STARTED:
                self._explained[key] = toast.shown(_sentence(started=False))
            elif (err := write_error(self.handle)) is not None:  # else it was cancelled
                log.error(
                    "a job ended without an answer: the job queue cannot be written (%s)", err
                )
                self._explained[key] = toast.shown(_sentence(started=True))
        return result

    def clear_cache_entry(self, key) -> None:
        try:
            super().clear_cache_entry(key)
        except WRITE_ERRORS as err:  # the answer was read; the entry left over does no harm
            log.warning("could not clear job entry %s: %s", key, err)


def _sentence(started: bool) -> str:
    """What the page says when the job queue cannot be written, before or after the job ran."""
    what = (
        "could not keep your job's answer, so it is lost: reload the page to see what was saved"
        if started
        else "cannot take background jobs now, so your job did not run and nothing was changed"
    )
    return f"The server {what}. Its job folder cannot be written: please tell its administrator."


def _stop(job, timeout: float = STOP_WAIT_SECONDS) -> None:
    """Kill the job's process and its children, then wait at most `timeout` until the process
    is dead: gone, a zombie, or reaped here when this process is its parent."""
    import psutil

    try:
        process = psutil.Process(int(job))
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        process.kill()
    except (psutil.NoSuchProcess, ValueError):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(process.pid, os.WNOHANG)[0]:
                return
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.005)


def make_celery(settings: Settings):
    """A Celery app on the configured Redis; JSON messages only, so nothing is ever unpickled.
    Its jobs beat while they run; a worker reserves no more jobs than it runs (prefetch 1), so
    few wait in a worker that may die rather than in Redis, where a restarted one finds them."""
    from celery import Celery

    celery_app = Celery("dashboard", broker=settings.redis_url, backend=settings.redis_url)
    celery_app.conf.update(
        accept_content=["json"],
        result_expires=JOB_RESULT_EXPIRE_SECONDS,
        broker_connection_retry_on_startup=True,
        worker_prefetch_multiplier=1,
    )
    job_heartbeat.install(celery_app, settings.job_heartbeat_seconds)
    return celery_app


@contextlib.contextmanager
def job_slot(set_progress: Callable | None) -> Iterator[None]:
    """Hold a slot of the server's heavy jobs and the running callback's session's own for the
    `with` block, telling the page through `set_progress` while the job is queued."""

    def report(sentence: str) -> None:
        if set_progress is not None:
            set_progress((QUEUED_PERCENT, sentence))

    with JobSlots.from_settings(runtime.current().settings).held(_callback_session(), report):
        yield


def _callback_session() -> str | None:
    """The session id among the running callback's inputs and state (None outside a callback)."""
    try:
        named = sessions.named_sessions({"inputs": ctx.inputs_list, "state": ctx.states_list})
    except (MissingCallbackContextException, LookupError):  # LookupError: a thread without one
        return None
    return next((sid for sid in named if isinstance(sid, str)), None)


def reports_failures(message_output: int, outputs: int, heavy: bool = True):
    """Wrap a background job so that an unexpected error is logged and shown, never a trace.

    The job's output number `message_output` (of `outputs`) gets an error alert; the others are
    left as they were, so the page stays usable and nothing saved is changed. A `heavy` job runs
    in a job slot (`job_slot`; a light one may take one itself for its heavy part): it waits
    while the server or its session is busy, and gives up with a sentence after the wait.
    """

    def wrap(job):
        @functools.wraps(job)
        def guarded(*args, **kwargs):
            answer = [no_update] * outputs
            try:
                if not heavy:
                    return job(*args, **kwargs)
                with job_slot(args[0] if args and callable(args[0]) else None):
                    return job(*args, **kwargs)
            except QueueTimeout as busy:
                answer[message_output] = dbc.Alert(str(busy), color="warning", dismissable=True)
            except Exception as err:  # the job boundary: whatever failed, the user gets a sentence
                log.exception("background job %s failed", job.__name__)
                answer[message_output] = dbc.Alert(
                    f"The job failed on the server ({type(err).__name__}): nothing was changed. "
                    "Try again, or with other settings.",
                    color="danger",
                    dismissable=True,
                )
            return tuple(answer)

        return guarded

    return wrap

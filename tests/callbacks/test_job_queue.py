"""A job queue (the disk cache under MI_STORAGE_DIR/jobs) that cannot be written is explained, at
start and to the page, where Dash alone ends the job in silence. Jobs run through Flask's test
client and real job processes; a read-only or full folder is made by failing the cache's writes
(the tests run as root, whom file modes do not stop)."""

from __future__ import annotations

import ctypes
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time

import diskcache
import psutil
import pytest

from dashboard import job_cache, jobs, runtime
from dashboard.app import create_app
from dashboard.job_slots import JobSlots
from dashboard.jobs import CheckedDiskcacheManager, JobQueueError, make_manager
from dashboard.settings import Settings
from dashboard.toast import DURATION_MS
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV
from tests.callbacks.test_session_binding import ROUTE, callback_body, new_session

REFUSED = (
    "The server cannot take background jobs now, so your job did not run and nothing was "
    "changed. Its job folder cannot be written: please tell its administrator."
)
LOST = "The server could not keep your job's answer, so it is lost: reload the page"


READ_ONLY = "attempt to write a readonly database"
FULL = "database or disk is full"
"""SQLite's own words for a read-only folder and for a full disk."""


def fail_writes(monkeypatch, when=lambda: True, reason: str = READ_ONLY) -> None:
    """Every write transaction of the disk cache fails with SQLite's `reason` while `when()`."""
    real = diskcache.Cache._transact

    def transact(self, *args, **kwargs):
        if when():
            raise sqlite3.OperationalError(reason)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(diskcache.Cache, "_transact", transact)


@pytest.fixture
def app(tmp_path):
    return create_app(Settings(storage_dir=tmp_path / "storage", warm_cache=False, max_jobs=1))


def upload_body(client, sid: str) -> dict:
    """What the browser posts when a file is dropped on the Data page (two outputs)."""
    values = {
        "data-upload.contents": data_url(GOOD_CSV),
        "data-upload.filename": "g.csv",
        "session-id.data": sid,
    }
    body = callback_body(client, "data-upload.contents", values)
    outputs = body["output"].strip(".").split("...")
    body["outputs"] = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True)) for o in outputs
    ]
    return body


def poll(client, body: dict, handles: dict, seconds: float = 20):
    """Ask about the job as the page does until it has an answer (its last response)."""
    query = f"?cacheKey={handles['cacheKey']}&job={handles['job']}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.post(ROUTE + query, json=body)
        if response.status_code == 204 or "response" in (response.get_json() or {}):
            return response
        time.sleep(0.1)
    raise AssertionError("the job never answered")


def toast(response) -> dict | None:
    if response.status_code == 204:
        return None
    return response.get_json().get("sideUpdate", {}).get("global-error")


def datasets(sid: str) -> list:
    return runtime.current().store.list_datasets(sid)


def test_a_job_queue_that_cannot_be_opened_stops_the_start_with_a_sentence(tmp_path, monkeypatch):
    def unopenable(*_args, **_kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(diskcache.Cache, "__init__", unopenable)
    with pytest.raises(JobQueueError, match="cannot be opened .* make the folder writable"):
        make_manager(Settings(storage_dir=tmp_path))


def test_a_job_queue_that_cannot_be_written_is_logged_at_start(tmp_path, monkeypatch, caplog):
    fail_writes(monkeypatch)
    with caplog.at_level(logging.ERROR, logger="dashboard.jobs"):
        make_manager(Settings(storage_dir=tmp_path))
    assert f"cannot be written ({READ_ONLY})" in caplog.text
    assert "every background job" in caplog.text


@pytest.mark.parametrize("reason", [READ_ONLY, FULL])
def test_a_job_on_an_unwritable_queue_is_refused_with_a_sentence(app, monkeypatch, reason):
    client = app.server.test_client()
    sid = new_session(client)
    fail_writes(monkeypatch, reason=reason)
    body = upload_body(client, sid)
    handles = client.post(ROUTE, json=body).get_json()
    assert handles["job"].startswith("not-started~")  # no job process
    answer = poll(client, body, handles)
    assert toast(answer) == {"children": REFUSED, "is_open": True, "duration": DURATION_MS}
    assert datasets(sid) == []


def test_a_job_whose_answer_cannot_be_kept_is_explained(app, monkeypatch):
    """The folder becomes unwritable after the job was taken: the job process cannot store its
    progress or its answer and dies; the page is told instead of seeing nothing."""
    client = app.server.test_client()
    sid = new_session(client)
    server, broken = os.getpid(), []
    fail_writes(monkeypatch, when=lambda: os.getpid() != server or bool(broken))
    body = upload_body(client, sid)
    handles = client.post(ROUTE, json=body).get_json()
    broken.append(True)
    answer = poll(client, body, handles)
    assert toast(answer)["children"].startswith(LOST)


def test_a_cancelled_job_on_a_writable_queue_ends_without_a_toast(app):
    """Cancel kills the job process (here queued behind a held slot): no answer, and nothing to
    explain, since the queue can be written."""
    client = app.server.test_client()
    sid = new_session(client)
    only_slot = JobSlots.from_settings(runtime.current().settings)  # max_jobs=1
    with only_slot.held(None, lambda _sentence: None):
        body = upload_body(client, sid)
        handles = client.post(ROUTE, json=body).get_json()
        app._background_manager.terminate_job(handles["job"].split("~")[0])
        answer = poll(client, body, handles)
    assert toast(answer) is None
    assert datasets(sid) == []


def zombie_of_another_process() -> tuple[subprocess.Popen, int]:
    """A child process that forks a grandchild, lets it exit and never reaps it: the grandchild's
    pid (a zombie whose parent is not this process) and the child, to end after the test."""
    script = "import os, sys, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)"
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    grandchild = int(parent.stdout.readline())
    while psutil.Process(grandchild).status() != psutil.STATUS_ZOMBIE:
        time.sleep(0.01)
    return parent, grandchild


def test_ending_a_finished_job_whose_parent_is_another_worker_does_not_wait(app):
    """A job that answered is ended by whichever gunicorn worker polls: a zombie of another
    worker is dead already, so ending it returns at once (Dash's own manager waited 1 s)."""
    parent, zombie = zombie_of_another_process()
    try:
        started = time.monotonic()
        app._background_manager.terminate_job(str(zombie))
        assert time.monotonic() - started < 0.5
    finally:
        parent.kill()
        parent.wait()


def test_ending_a_running_job_kills_and_reaps_it(tmp_path):
    manager = make_manager(Settings(storage_dir=tmp_path))
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    started = time.monotonic()
    manager.terminate_job(str(child.pid))
    assert time.monotonic() - started < 1.0
    assert not psutil.pid_exists(child.pid)  # killed and reaped: no zombie left


def answered_within(manager, key: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if manager.result_ready(key):
            return True
        time.sleep(0.05)
    return False


def test_a_job_forked_while_another_thread_writes_to_the_queue_still_answers(tmp_path, monkeypatch):
    """Another thread of the server enters a write transaction of the job queue (Dash's own
    manager holds one while it ends every finished job) just before a job forks: the child
    inherits SQLite's record of that lock, and its answer then waits for a lock nobody holds
    until the cache's timeout (here 3 s; 60 s by default) and is lost. The fork must not
    happen inside another thread's use of the cache."""
    manager = CheckedDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs"), timeout=3))
    writing, done = threading.Event(), threading.Event()

    def write() -> None:
        with manager.handle.transact():
            manager.handle.set("another job's progress", 1)
            writing.set()
            done.wait(1)

    thread = threading.Thread(target=write)
    checked = jobs.write_error

    def then_another_thread_writes(cache):
        error = checked(cache)  # the manager's test write, just before the fork
        thread.start()
        writing.wait(1)  # inside its transaction, unless the manager keeps it out until forked
        return error

    monkeypatch.setattr(jobs, "write_error", then_another_thread_writes)
    job = manager.call_job_fn("answer", manager.make_job_fn(lambda x: 2 * x, False), [21], {})
    done.set()
    thread.join(5)
    assert answered_within(manager, "answer", 15)
    assert manager.get_result("answer", job) == 42


def test_request_threads_own_no_connection_to_the_queue(tmp_path, monkeypatch):
    """Each poll of the threaded server comes in a new thread; had it its own SQLite connection,
    it would close it as it ended, holding SQLite's global mutex, and a job forked at that
    moment would hang for ever (seen in the suite). Every connection is the cache thread's."""
    manager = CheckedDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs")))
    opened_in = []
    connect = diskcache.core.sqlite3.connect

    def spy(*args, **kwargs):
        opened_in.append(threading.current_thread().name)
        return connect(*args, **kwargs)

    monkeypatch.setattr(diskcache.core.sqlite3, "connect", spy)
    polls = [threading.Thread(target=manager.result_ready, args=(f"job {i}",)) for i in range(5)]
    for poll in polls:
        poll.start()
        poll.join(5)
    manager.handle.set("progress", 1)
    with manager.handle.transact():
        manager.handle.set("more progress", 2)
    assert manager.get_progress("answer") is None and manager.handle.get("more progress") == 2
    assert len(opened_in) == 1 and opened_in[0].startswith("job-cache")


def test_a_call_after_the_cache_thread_was_ended_is_answered_by_a_new_one(tmp_path):
    """Dash's threaded test server ends every thread started while it ran, by raising SystemExit
    in it: the cache thread among them. The next call starts another and is answered."""
    manager = CheckedDiskcacheManager(diskcache.Cache(str(tmp_path / "jobs")))
    manager.handle.set("progress", 1)
    ended = job_cache._thread.thread
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ended.ident), ctypes.py_object(SystemExit)
    )
    assert manager.handle.get("progress") == 1
    assert job_cache._thread.thread is not ended and not ended.is_alive()

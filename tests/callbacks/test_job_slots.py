"""Heavy jobs share MI_MAX_JOBS slots across processes and run one at a time per session; a job
that finds none says it is queued and starts later, or gives up with nothing changed."""

from __future__ import annotations

import multiprocessing
import threading
import time
from contextlib import contextmanager

import dash_bootstrap_components as dbc
import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns, runtime
from dashboard.app import create_app
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.job_slots import JobSlots
from dashboard.jobs import reports_failures
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import callbacks as data_page
from dashboard.settings import Settings
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV, text_of
from tests.callbacks.test_faults import SMALL
from tests.callbacks.test_job_queue import poll, upload_body
from tests.callbacks.test_session_binding import ROUTE, new_session

HOLD_SECONDS = 0.4


def _hold_and_record(folder, times) -> None:
    """In another process: hold a slot of two for a moment, recording when it was held."""
    slots = JobSlots(folder, capacity=2, wait_seconds=10, poll_seconds=0.02)
    with slots.held(None, lambda _sentence: None):
        start = time.monotonic()
        time.sleep(HOLD_SECONDS)
        times.put((start, time.monotonic()))


def test_no_more_jobs_than_slots_run_at_once_across_processes(tmp_path):
    fork = multiprocessing.get_context("fork")
    times = fork.Queue()
    workers = [fork.Process(target=_hold_and_record, args=(tmp_path, times)) for _ in range(3)]
    for worker in workers:
        worker.start()
    spans = [times.get(timeout=10) for _ in workers]
    for worker in workers:
        worker.join(timeout=10)
    edges = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = [sum(step for _, step in edges[: i + 1]) for i in range(len(edges))]
    assert max(running) == 2  # two at once, never three
    assert max(end for _, end in spans) - min(start for start, _ in spans) >= 2 * HOLD_SECONDS


@pytest.fixture(autouse=True)
def _own_callback_context():
    """Each test's callback context is undone after it, so none reaches the next test."""
    token = context_value.set(AttributeDict())
    yield
    context_value.reset(token)


def in_callback(sid: str | None) -> None:
    """Make this thread's callback context one whose state holds the session id `sid`."""
    state = [{"id": "session-id", "property": "data", "value": sid}]
    context_value.set(AttributeDict(inputs_list=[], states_list=state, triggered_inputs=[]))


def configure(tmp_path, **settings) -> runtime.Runtime:
    return runtime.configure(Settings(storage_dir=tmp_path / "storage", **settings))


@contextmanager
def busy_elsewhere(sid: str | None, release: threading.Event):
    """A heavy job of session `sid` running in another thread until `release` is set."""
    started = threading.Event()

    @reports_failures(message_output=0, outputs=1)
    def hold(_set_progress):
        started.set()
        release.wait(10)
        return ("held",)

    def run() -> None:
        in_callback(sid)
        hold(lambda _progress: None)

    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(5)
    try:
        yield
    finally:
        release.set()
        thread.join(10)


def release_after(seconds: float) -> threading.Event:
    release = threading.Event()
    threading.Timer(seconds, release.set).start()
    return release


def test_a_queued_upload_says_so_through_its_progress_then_runs(tmp_path):
    rt = configure(tmp_path, max_jobs=1)
    sid, other = rt.store.create(), rt.store.create()
    progress = []
    with busy_elsewhere(other, release_after(0.8)):
        in_callback(sid)
        message, refresh = data_page.upload(progress.append, data_url(GOOD_CSV), "g.csv", sid)
    assert progress[0] == (100, "Server busy: your job is queued (1 running)…")
    assert progress[-2:] == [(10, "reading the file"), (100, "done")]
    assert "Added g.csv: 6 rows" in text_of(message) and refresh["select"].startswith("upload:")
    assert len(rt.store.list_datasets(sid)) == 1


def test_a_job_that_waits_too_long_gives_up_and_changes_nothing(tmp_path):
    rt = configure(tmp_path, max_jobs=1, job_wait_seconds=1.0)
    sid, other = rt.store.create(), rt.store.create()
    progress = []
    with busy_elsewhere(other, threading.Event()):
        in_callback(sid)
        message, refresh = data_page.upload(progress.append, data_url(GOOD_CSV), "g.csv", sid)
    assert isinstance(message, dbc.Alert) and message.color == "warning"
    assert text_of(message) == (
        "The server stayed busy for 1 s (1 running), so your job did not start and nothing was "
        "changed. Try again in a few minutes."
    )
    assert refresh is no_update
    assert all("queued" in sentence for _, sentence in progress)  # it never began reading
    assert rt.store.list_datasets(sid) == []


def test_a_session_runs_one_heavy_job_at_a_time_while_others_go_ahead(tmp_path):
    rt = configure(tmp_path, max_jobs=2)
    sid, other = rt.store.create(), rt.store.create()
    progress, other_progress = [], []
    with busy_elsewhere(sid, release_after(0.8)):
        in_callback(other)
        data_page.upload(other_progress.append, data_url(GOOD_CSV), "o.csv", other)
        assert len(rt.store.list_datasets(other)) == 1  # another session is not held back
        in_callback(sid)
        data_page.upload(progress.append, data_url(GOOD_CSV), "g.csv", sid)
    assert not any("queued" in sentence for _, sentence in other_progress)
    assert progress[0] == (100, "Queued: your other job is still running…")
    assert progress[-1] == (100, "done") and len(rt.store.list_datasets(sid)) == 1


def test_a_second_job_of_a_busy_session_gives_up_after_the_wait(tmp_path):
    rt = configure(tmp_path, max_jobs=2, job_wait_seconds=1.0)
    sid = rt.store.create()
    with busy_elsewhere(sid, threading.Event()):
        in_callback(sid)
        message, _ = data_page.upload(lambda _p: None, data_url(GOOD_CSV), "g.csv", sid)
    assert "Your other job in this session was still running after 1 s" in text_of(message)
    assert "nothing was changed" in text_of(message)
    assert rt.store.list_datasets(sid) == []


def test_a_session_slot_is_free_again_once_its_job_ends(tmp_path):
    slots = JobSlots(tmp_path, capacity=1, wait_seconds=0.2, poll_seconds=0.02)
    for _ in range(2):
        with slots.held("a-session", pytest.fail):
            pass
    assert not list(tmp_path.glob("session-*"))  # the session's lock file goes with its job


def test_active_learning_runs_wait_for_a_slot_too(tmp_path):
    """The cap is in the wrapper every background job has, so the Active Learning page's own
    callbacks are held to it without knowing."""
    rt = configure(tmp_path, max_jobs=1, job_wait_seconds=1.0)
    sid = rt.store.create()
    campaigns.start(sid, CampaignConfig(**SMALL))
    before = campaigns.saved(sid)
    progress = []
    with busy_elsewhere(None, threading.Event()):
        in_callback(sid)
        _state, message = al_page.run_steps(progress.append, 1, 3, sid)
    assert progress == [(100, "Server busy: your job is queued (1 running)…")]
    assert "did not start and nothing was changed" in text_of(message)
    assert campaigns.saved(sid) == before


def test_a_job_process_shows_the_queue_under_its_bar_and_runs_when_the_slot_frees(tmp_path):
    """Through Dash itself: the upload runs in a job process of the disk manager while this
    process holds the only slot."""
    app = create_app(Settings(storage_dir=tmp_path / "storage", warm_cache=False, max_jobs=1))
    client = app.server.test_client()
    sid = new_session(client)
    body = upload_body(client, sid)
    with JobSlots.from_settings(runtime.current().settings).held(None, lambda _sentence: None):
        handles = client.post(ROUTE, json=body).get_json()
        query = f"?cacheKey={handles['cacheKey']}&job={handles['job']}"
        deadline, labels = time.monotonic() + 10, set()
        while "Server busy: your job is queued (1 running)…" not in labels:
            assert time.monotonic() < deadline, labels
            progress = client.post(ROUTE + query, json=body).get_json().get("progress", {})
            labels.add(progress.get("data-upload-job-text.children"))
            time.sleep(0.1)
        assert runtime.current().store.list_datasets(sid) == []
    answer = poll(client, body, handles).get_json()["response"]
    assert "Added g.csv: 6 rows" in str(answer["data-upload-message"])
    assert len(runtime.current().store.list_datasets(sid)) == 1

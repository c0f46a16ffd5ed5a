"""A background job on Celery whose worker is killed (`kill -9`) is reported to its page as failed,
with Retry, within a bounded time, and the campaign on disk keeps the steps it had saved. A real
redis-server and worker (conftest.py); the page's callbacks posted through Flask's test client,
with the session's cookie, and polled as the page polls them."""

from __future__ import annotations

import json
import os
import signal
import time

import psutil
import pytest

from dashboard import campaigns
from dashboard.app import create_app
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.job_heartbeat import LOST, RETRY
from dashboard.settings import Settings
from tests.callbacks.test_faults import SMALL
from tests.callbacks.test_session_binding import ROUTE, callback_body, new_session

pytestmark = pytest.mark.browser
HEARTBEAT = "3"
"""MI_JOB_HEARTBEAT_SECONDS of the test's worker and server: a lapsed job is found within it."""
BOUND_SECONDS = 60
"""The longest the page may wait, after the kill, to learn how its job ended."""
STEPS = 200
"""A run long enough to be killed in the middle (about 0.1 s a step on the small campaign)."""


@pytest.fixture
def page(tmp_path, redis_url):
    """A browser's client on an app on Celery, with a session holding a small campaign."""
    settings = Settings(
        storage_dir=tmp_path / "storage",
        redis_url=redis_url,
        warm_cache=False,
        job_heartbeat_seconds=float(HEARTBEAT),
    )
    client = create_app(settings).server.test_client()
    sid = new_session(client)
    campaigns.start(sid, CampaignConfig(**SMALL))
    return client, sid


def run_body(client, sid: str, steps: int) -> dict:
    """What the page posts when Run is pressed for `steps` steps (two outputs)."""
    values = {"al-run.n_clicks": 1, "al-run-n.value": steps, "session-id.data": sid}
    body = callback_body(client, "al-run.n_clicks", values)
    outputs = body["output"].strip(".").split("...")
    body["outputs"] = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True)) for o in outputs
    ]
    return body


def poll(client, body: dict, handles: dict, until, seconds: float) -> dict | None:
    """Poll the job as the page does, every 0.2 s, until `until(answer)` holds for an answer
    (None for 204, the page's "ended, nothing to show"); that answer, or AssertionError."""
    query = f"?cacheKey={handles['cacheKey']}&job={handles['job']}"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.post(ROUTE + query, json=body)
        answer = None if response.status_code == 204 else response.get_json()
        if until(answer):
            return answer
        if answer is None or "response" in answer:
            raise AssertionError(f"the job ended otherwise: {answer}")
        time.sleep(0.2)
    raise AssertionError(f"no answer within {seconds} s")


def step_taken(answer: dict | None, at_least: int = 3) -> bool:
    text = json.dumps((answer or {}).get("progress", {}))
    return f" of {STEPS})" in text and int(text.split("(")[-1].split(" ")[0]) >= at_least


def finished(answer: dict | None) -> bool:
    return answer is not None and "response" in answer


def failed_with_retry(answer: dict | None) -> bool:
    toast = (answer or {}).get("sideUpdate", {}).get("global-error")
    return (
        toast is not None
        and toast["children"][0] == LOST
        and RETRY in json.dumps(toast)
        and toast["duration"] is None  # it stays until closed: Retry is not gone before read
    )


def pool_process(worker) -> psutil.Process:
    deadline = time.monotonic() + 30
    while not (children := psutil.Process(worker.pid).children()):
        assert time.monotonic() < deadline, "the worker started no pool process"
        time.sleep(0.1)
    return children[0]


def started_run(client, sid: str, start_worker):
    """A worker, and a run of STEPS steps on it that has taken a few: (worker, body, handles)."""
    worker = start_worker(MI_JOB_HEARTBEAT_SECONDS=HEARTBEAT)
    body = run_body(client, sid, STEPS)
    handles = client.post(ROUTE, json=body).get_json()
    poll(client, body, handles, step_taken, seconds=60)  # the worker's start, then three steps
    return worker, body, handles


def saved_steps(sid: str) -> int:
    return len(campaigns.saved(sid)["history"])


def test_a_run_whose_worker_is_killed_is_reported_with_retry_and_keeps_its_saved_steps(
    page, start_worker
):
    client, sid = page
    before = saved_steps(sid)
    worker, body, handles = started_run(client, sid, start_worker)
    os.kill(worker.pid, signal.SIGKILL)
    killed = time.monotonic()
    start_worker(MI_JOB_HEARTBEAT_SECONDS=HEARTBEAT)
    poll(client, body, handles, failed_with_retry, seconds=BOUND_SECONDS)
    assert time.monotonic() - killed < BOUND_SECONDS
    kept = saved_steps(sid)
    assert before < kept < before + STEPS  # the steps taken before the kill, and no more
    campaigns.load(sid)  # a whole campaign, not half a write
    time.sleep(2)
    assert saved_steps(sid) == kept  # not re-run behind the user's back
    retry = run_body(client, sid, 2)  # Retry presses Run again: the restarted worker runs it
    answer = poll(client, retry, client.post(ROUTE, json=retry).get_json(), finished, 60)
    assert answer["response"]["al-state"]["data"]["redraw"] == "step"
    assert saved_steps(sid) == kept + 2


def test_a_run_whose_pool_process_is_killed_is_reported_with_retry(page, start_worker):
    client, sid = page
    worker, body, handles = started_run(client, sid, start_worker)
    pool_process(worker).kill()
    killed = time.monotonic()
    poll(client, body, handles, failed_with_retry, seconds=BOUND_SECONDS)
    assert time.monotonic() - killed < BOUND_SECONDS
    assert worker.poll() is None  # Celery replaced its pool process
    campaigns.load(sid)


def test_a_run_longer_than_the_heartbeat_finishes_and_is_not_reported(page, start_worker):
    client, sid = page
    start_worker(MI_JOB_HEARTBEAT_SECONDS=HEARTBEAT)
    body = run_body(client, sid, 80)  # several seconds of steps: a few heartbeat periods
    answer = poll(client, body, client.post(ROUTE, json=body).get_json(), finished, 60)
    assert "global-error" not in answer.get("sideUpdate", {})
    assert answer["response"]["al-state"]["data"]["redraw"] == "step"

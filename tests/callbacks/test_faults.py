"""Faults: a full disk, a failing job, simultaneous Steps, a restart and a killed worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dash_bootstrap_components as dbc
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns, runtime
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import callbacks as data_page
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV, text_of

ROOT = Path(__file__).resolve().parents[2]
SMALL = {
    "dataset_id": "builtin:freesolv",
    "target": "expt",
    "model": "gp-tanimoto",
    "initial_size": 20,
    "batch_size": 5,
    "seed": 0,
}


def press(button: str) -> None:
    context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": f"{button}.n_clicks", "value": 1}])
    )


@pytest.fixture
def campaign_sid(rt, sid):
    campaigns.start(sid, CampaignConfig(**SMALL))
    return sid


def test_fault_full_disk_gives_a_message_and_keeps_earlier_data(rt, sid, monkeypatch):
    _, first = data_page.receive_upload(data_url(GOOD_CSV), "first.csv", sid)

    def no_space(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    monkeypatch.setattr(Path, "rename", no_space)
    message, key = data_page.receive_upload(data_url(GOOD_CSV), "second.csv", sid)
    assert key is None and "could not save your data" in text_of(message)
    assert [item["key"] for item in rt.store.list_datasets(sid)] == [first]
    leftovers = [p.name for p in (rt.store.root / "sessions" / sid / "datasets").iterdir()]
    assert leftovers == [first]


def test_fault_read_only_storage_leaves_the_campaign_as_it_was(rt, campaign_sid, monkeypatch):
    before = campaigns.saved(campaign_sid)

    def read_only(*_args, **_kwargs):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    press("al-step")
    _state, message = al_page.act(1, None, None, None, campaign_sid)
    assert isinstance(message, dbc.Alert) and "Read-only file system" in text_of(message)
    monkeypatch.undo()
    assert campaigns.saved(campaign_sid) == before


def test_fault_a_background_job_that_raises_shows_the_error(rt, sid, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(campaigns, "start", broken)
    controls = (
        "builtin:freesolv",
        "expt",
        "max",
        None,
        "simulated",
        "gp-tanimoto",
        "ucb",
        None,
        20,
        5,
        0,
        "top-q",
        "random",
    )
    state, message = al_page.start_campaign(lambda _p: None, 1, sid, *controls)
    assert state is al_page.no_update
    assert "The job failed on the server (RuntimeError)" in text_of(message)
    assert campaigns.saved(sid) is None


def test_concurrent_steps_of_one_session_happen_one_after_the_other(rt, campaign_sid):
    errors = []

    def step() -> None:
        press("al-step")
        _state, message = al_page.act(1, None, None, None, campaign_sid)
        if message is not None:
            errors.append(text_of(message))

    threads = [threading.Thread(target=step) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    history = campaigns.saved(campaign_sid)["history"]
    assert [record["step"] for record in history] == [0, 1, 2]
    measured = [row for record in history for row in record["added"]]
    assert len(measured) == len(set(measured)) == 30


def test_fault_server_restart_keeps_the_session_and_its_campaign(rt, campaign_sid):
    press("al-step")
    al_page.act(1, None, None, None, campaign_sid)
    restarted = runtime.configure(rt.settings)  # a new process: new store object, same folder
    assert restarted.store.ensure(campaign_sid) == campaign_sid
    assert campaigns.view(campaign_sid).snapshot.step == 1
    press("al-step")
    al_page.act(1, None, None, None, campaign_sid)
    assert campaigns.view(campaign_sid).snapshot.step == 2


STEPPER = """
import sys
from pathlib import Path
from dashboard import campaigns, runtime
from dashboard.settings import Settings
rt = runtime.configure(Settings(storage_dir=Path(sys.argv[1])))
sid = sys.argv[2]
while True:
    with rt.store.lock(sid):
        campaign = campaigns.load(sid)
        campaign.step()
        campaigns.save(sid, campaign)
    print(campaign.step_index, flush=True)
"""


@pytest.mark.slow
def test_fault_a_worker_killed_mid_step_leaves_the_last_committed_step(rt, campaign_sid):
    worker = subprocess.Popen(
        [sys.executable, "-c", STEPPER, str(rt.settings.storage_dir), campaign_sid],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    steps_seen = [int(worker.stdout.readline()) for _ in range(3)]
    time.sleep(0.15)  # somewhere inside the next step
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert steps_seen == [1, 2, 3]
    path = rt.store.root / "sessions" / campaign_sid / "campaigns" / "current.json"
    saved = json.loads(path.read_text())  # valid JSON, never half written
    committed = len(saved["history"]) - 1
    assert committed >= 3
    assert campaigns.view(campaign_sid).snapshot.step == committed
    press("al-step")
    _state, message = al_page.act(1, None, None, None, campaign_sid)
    assert message is None
    assert len(campaigns.saved(campaign_sid)["history"]) - 1 == committed + 1

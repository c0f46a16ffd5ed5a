"""The warm cache (dashboard/warm.py): a Step reuses the live campaign its session saved last, and
only when that is exactly what is saved; it never serves another session and stays bounded."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import threading

import numpy as np
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns, catalog, runtime, warm
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.active_learning import render
from dashboard.store import SessionStore, StorageError

SMALL = CampaignConfig(
    dataset_id="builtin:freesolv", target="expt", model="gp-tanimoto", initial_size=20, batch_size=5
)


@pytest.fixture(autouse=True)
def empty_cache():
    warm.clear()
    yield
    warm.clear()


@pytest.fixture
def cold_loads(monkeypatch) -> list[int]:
    """One entry per campaign rebuilt from its JSON (a cold load)."""
    loads: list[int] = []
    rebuild = Campaign.from_dict.__func__

    def counted(cls, saved, data):
        loads.append(1)
        return rebuild(cls, saved, data)

    monkeypatch.setattr(Campaign, "from_dict", classmethod(counted))
    return loads


def started(rt, config: CampaignConfig = SMALL) -> str:
    sid = rt.store.create()
    with rt.store.lock(sid):
        campaigns.start(sid, config)
    return sid


def step(sid: str) -> None:
    """Press Step on the page (the `act` callback)."""
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "al-step.n_clicks", "value": 1}]))
    _state, message = al_page.act(1, None, None, None, sid)
    assert message is None


def test_warm_and_cold_steps_pick_the_same_rows_and_show_the_same_snapshot(rt, cold_loads):
    warm_sid, cold_sid = started(rt), started(rt)
    for _ in range(4):
        step(warm_sid)
    assert cold_loads == []
    for _ in range(4):
        warm.clear()
        step(cold_sid)
    assert len(cold_loads) == 4
    warm_history, cold_history = (campaigns.saved(s)["history"] for s in (warm_sid, cold_sid))
    assert [r["picks"] for r in warm_history] == [r["picks"] for r in cold_history]
    assert [r["added"] for r in warm_history] == [r["added"] for r in cold_history]
    warm_view, cold_view = campaigns.view(warm_sid), campaigns.view(cold_sid)
    assert warm_view.snapshot.picks == cold_view.snapshot.picks
    for name in ("mean", "std", "score"):
        np.testing.assert_allclose(
            getattr(warm_view.snapshot, name), getattr(cold_view.snapshot, name), rtol=1e-9
        )


def test_a_kept_campaign_is_never_served_to_another_session(rt, cold_loads):
    first, second = started(rt), started(rt)
    step(first)
    step(first)
    step(second)
    with rt.store.lock(second):
        assert campaigns.load(second).step_index == 1
    # the very same saved files under another session: same document, still not the first's
    copy = rt.store.create()
    folder = rt.store.root / "sessions"
    shutil.copytree(folder / first / "campaigns", folder / copy / "campaigns")
    cold_loads.clear()
    with rt.store.lock(copy):
        loaded = campaigns.load(copy)
    assert cold_loads == [1] and loaded.step_index == 2
    with rt.store.lock(first):
        assert campaigns.load(first) is not loaded and cold_loads == [1]


def test_a_save_that_fails_keeps_nothing_so_the_next_load_matches_the_saved_state(
    rt, cold_loads, monkeypatch
):
    sid = started(rt)
    step(sid)
    before = campaigns.saved(sid)

    def full(*_args, **_kwargs):
        raise StorageError("The server could not save your data: the disk is full.")

    with monkeypatch.context() as disk, rt.store.lock(sid), pytest.raises(StorageError):
        disk.setattr(SessionStore, "save_json", full)
        campaign = campaigns.load(sid)
        campaign.step()
        campaigns.save(sid, campaign)
    assert warm.kept_count() == 0 and campaigns.saved(sid) == before
    cold_loads.clear()
    loaded = campaigns.load(sid)
    assert cold_loads == [1] and loaded is not campaign and loaded.step_index == 1
    assert campaigns.saved_document(loaded, before["plot_arrays"]) == before


def test_a_step_that_fails_half_way_leaves_a_cold_load_behind(rt, cold_loads, monkeypatch):
    sid = started(rt)
    step(sid)

    def crash(*_args, **_kwargs):
        raise RuntimeError("the model fell over")

    with monkeypatch.context() as broken, rt.store.lock(sid), pytest.raises(RuntimeError):
        broken.setattr(Campaign, "_commit", crash)
        campaigns.load(sid).step()
    cold_loads.clear()
    assert campaigns.load(sid).step_index == 1 and cold_loads == [1]


def test_a_campaign_changed_after_its_save_is_not_served(rt, cold_loads):
    sid = started(rt)
    with rt.store.lock(sid):
        campaign = campaigns.load(sid)
        campaigns.save(sid, campaign)
    campaign.step()  # a caller that steps on without saving: the kept one is no longer saved
    cold_loads.clear()
    assert campaigns.load(sid).step_index == 0 and cold_loads == [1]


def test_a_step_after_a_job_in_another_process_loads_cold_once_then_warm(
    rt, cold_loads, monkeypatch
):
    sid = started(rt)
    step(sid)  # this server process keeps the campaign of step 1
    data = campaigns.campaign_data(catalog.load(sid, SMALL.dataset_id), SMALL.target, SMALL.model)
    job = Campaign.from_dict(campaigns.saved(sid), data)  # Run N, in its own process
    job.step()
    with monkeypatch.context() as elsewhere, rt.store.lock(sid):
        elsewhere.setattr(warm, "keep", lambda *_args: None)
        campaigns.save(sid, job)
    cold_loads.clear()
    step(sid)
    step(sid)
    assert cold_loads == [1] and len(campaigns.saved(sid)["history"]) == 5


def test_the_cache_keeps_at_most_its_number_of_campaigns(rt, cold_loads):
    rt = runtime.configure(dataclasses.replace(rt.settings, warm_campaigns=2))
    sessions = [started(rt) for _ in range(3)]
    assert warm.kept_count() == 2
    cold_loads.clear()
    for sid in sessions:
        campaigns.load(sid)
    assert cold_loads == [1]  # the oldest was let go


def test_the_cache_keeps_no_more_bytes_than_its_bound(rt, monkeypatch):
    first = started(rt)
    monkeypatch.setattr(warm, "MAX_BYTES", warm.held_bytes([campaigns.load(first)]) + 1)
    started(rt)
    started(rt)
    assert warm.kept_count() == 1


def test_no_campaign_is_kept_when_the_setting_is_zero(rt, cold_loads):
    rt = runtime.configure(dataclasses.replace(rt.settings, warm_campaigns=0))
    sid = started(rt)
    step(sid)
    assert warm.kept_count() == 0 and cold_loads == [1]


def test_campaigns_on_the_same_data_share_one_read_only_feature_matrix(rt):
    first, second = started(rt), started(rt, dataclasses.replace(SMALL, seed=1))
    other_target = started(rt, dataclasses.replace(SMALL, target="calc"))
    data = [campaigns.load(sid).data for sid in (first, second, other_target)]
    assert data[0] is data[1] and data[2] is not data[0]
    assert not any(part.flags.writeable for part in data[0].X.parts)
    assert not data[0].y.flags.writeable


def test_a_job_forked_while_another_thread_uses_the_cache_can_use_it_too():
    with warm._lock:  # another thread of the server, inside the cache when a job forks
        child = os.fork()
        if child == 0:
            signal.alarm(10)  # without the fork handler the child would wait here for ever
            os._exit(0 if warm.kept_count() == 0 else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_a_prepared_campaign_steps_warm_and_picks_what_a_cold_load_picks(rt, cold_loads):
    """A campaign started in a job process is cold in the web process; `prepare` (run when the
    page draws a new campaign) loads it and binds its model to the pool, so the first Step finds
    it warm, and that Step picks what a Step after a cold load picks."""
    prepared, cold = started(rt), started(rt)
    warm.clear()  # as in a web process: the job that started them kept them, not this one
    campaigns.prepare(prepared)
    assert warm.kept_count() == 1 and len(cold_loads) == 1
    step(prepared)
    assert len(cold_loads) == 1  # the Step took the prepared campaign
    warm.clear()
    step(cold)
    assert len(cold_loads) == 2
    prepared_history, cold_history = (campaigns.saved(s)["history"] for s in (prepared, cold))
    assert [r["picks"] for r in prepared_history] == [r["picks"] for r in cold_history]


def test_a_step_that_comes_while_the_campaign_is_prepared_waits_and_takes_it(
    rt, cold_loads, monkeypatch
):
    """The first Step may come before the page's preparation is done: it waits for it (which
    holds no session lock) and steps the prepared campaign instead of loading another."""
    sid = started(rt)
    warm.clear()
    preparing, finish = threading.Event(), threading.Event()
    ready = Campaign.prepare

    def slow(campaign: Campaign) -> None:
        preparing.set()
        finish.wait(10)
        ready(campaign)

    monkeypatch.setattr(Campaign, "prepare", slow)
    thread = threading.Thread(target=campaigns.prepare, args=(sid,))
    thread.start()
    assert preparing.wait(10)
    threading.Timer(0.3, finish.set).start()
    step(sid)  # holds the session lock while it waits
    thread.join(10)
    assert finish.is_set() and len(cold_loads) == 1  # the preparation's load only
    assert len(campaigns.saved(sid)["history"]) == 2


def test_prepare_does_nothing_without_a_campaign_or_a_warm_cache(rt, cold_loads):
    campaigns.prepare(rt.store.create())
    assert warm.kept_count() == 0
    rt = runtime.configure(dataclasses.replace(rt.settings, warm_campaigns=0))
    campaigns.prepare(started(rt))
    assert warm.kept_count() == 0 and cold_loads == []


def test_drawing_a_new_campaign_prepares_it_in_the_background(rt, monkeypatch):
    sid = started(rt)
    prepared = threading.Event()
    monkeypatch.setattr(campaigns, "prepare", lambda s: prepared.set() if s == sid else None)
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "al-state.data", "value": {}}]))
    render.render({"redraw": "full"}, None, "mean", sid)
    assert prepared.wait(10)

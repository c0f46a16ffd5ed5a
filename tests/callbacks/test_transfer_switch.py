"""Switching the Transfer Learning page's model while the last run's learning curve is drawn:
the new run does not wait for that curve, which stops and leaves the new result alone."""

from __future__ import annotations

import threading

from dash import no_update

from components.job_progress import SHOWN
from dashboard import catalog, runtime
from dashboard.app import create_app
from dashboard.engine.transfer import methods as methods_module
from dashboard.engine.transfer import run as run_module
from dashboard.pages.transfer_learning import callbacks as tl_page
from dashboard.pages.transfer_learning.newest import mark_newest
from dashboard.pages.transfer_learning.prefetch import prefetch, skip_preparation
from dashboard.pages.transfer_learning.runs import CURVE_SHARES
from dashboard.settings import Settings
from tests.callbacks.test_data_page import text_of
from tests.callbacks.test_job_slots import busy_elsewhere, configure, in_callback

FREESOLV = catalog.BUILTIN + "freesolv"


def train(sid: str, model: str, progress: list) -> dict:
    state, _message = tl_page.train(
        progress.append, 1, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", model, 0.1, ["on"]
    )
    return state


def test_a_new_run_stops_the_curve_of_the_last_one(tmp_path):
    rt = configure(tmp_path, max_jobs=2)
    sid = rt.store.create()
    in_callback(sid)
    first = train(sid, "et-median", [])
    curve_progress, answers = [], []
    drawing = threading.Event()

    def draw() -> None:
        in_callback(sid)

        def report(update: tuple) -> None:
            curve_progress.append(update)
            drawing.set()

        answers.append(tl_page.draw_curve(report, first, sid))

    thread = threading.Thread(target=draw)
    thread.start()
    assert drawing.wait(60)
    progress = []
    second = train(sid, "rf", progress)
    thread.join(60)
    assert progress[-1] == (100, "done")  # (queued until the curve gave way, if it had not yet)
    assert answers == [(no_update, no_update)]  # the old curve stopped and drew nothing
    assert len(curve_progress) < 2 * 3 * len(CURVE_SHARES)  # before its last fit
    stored = rt.store.load_json(sid, tl_page.KIND, tl_page.NAME)
    assert stored["key"] == second["key"] and stored["model"] == "rf"
    assert "learning_curve" not in stored or stored["learning_curve"] is None
    state, message = tl_page.draw_curve(lambda _update: None, second, sid)
    assert message is no_update and state == {"key": second["key"]}
    assert runtime.current().store.load_json(sid, tl_page.KIND, tl_page.NAME)["learning_curve"]


def test_the_other_models_are_ready_after_a_run_so_a_switch_trains_nothing(tmp_path, monkeypatch):
    rt = configure(tmp_path, max_jobs=2, job_wait_seconds=1.0)
    sid = rt.store.create()
    in_callback(sid)
    state, _ = tl_page.train(
        lambda _p: None, 1, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, ["on"]
    )
    shown = []
    assert prefetch(shown.append, state, sid) == state  # handed on to the curve's job
    # its bar shows each model it trains, since a curve waits for it
    trained = list(dict.fromkeys(sentence.split(" (")[0] for _, sentence, _ in shown))
    assert trained == ["Training et", "Training rf", "Training gbr"]
    assert shown[0][0] == 0 and shown[-1][0] > 66 and all(u[2] == SHOWN for u in shown)
    assert skip_preparation(1, state) == state  # its Cancel starts the curve at once

    def no_training(*_args, **_kwargs):
        raise AssertionError("a switch after the prefetch trained a model")

    monkeypatch.setattr(methods_module, "fit_predict", no_training)
    monkeypatch.setattr(run_module, "fit_predict", no_training)
    with busy_elsewhere(sid, threading.Event()):  # e.g. the curve's job holds the session's slot
        in_callback(sid)
        for model in ("et", "rf", "gbr"):
            progress = []
            switched = train(sid, model, progress)
            assert rt.store.load_json(sid, tl_page.KIND, tl_page.NAME)["model"] == model
            assert not any("Queued" in sentence for _, sentence in progress)
            assert switched["seconds"] < 5
        last, message = tl_page.train(
            lambda _p: None, 2, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, []
        )
        assert "Read from the cache in" in text_of(message)
    # no curve asked: its job is not started (it showed its bar, 'Starting…' and Cancel)
    unseen = []
    assert prefetch(unseen.append, last, sid) is no_update
    assert unseen == []  # nothing waits for it: no bar
    assert skip_preparation(1, last) is no_update


def test_the_other_models_give_way_to_a_new_run(tmp_path):
    rt = configure(tmp_path, max_jobs=2)
    sid = rt.store.create()
    in_callback(sid)
    state, _ = tl_page.train(
        lambda _p: None, 1, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, []
    )
    mark_newest(rt.store, sid)  # a Train clicked since
    assert prefetch(lambda _update: None, state, sid) is no_update  # nor the old run's curve
    assert len(list(rt.cache_dir.rglob("result-*.npz"))) == 1  # the run's own, no other


def test_a_click_on_train_ends_the_preparation_and_the_curve_of_the_last_run(tmp_path):
    app = create_app(Settings(storage_dir=tmp_path / "storage", warm_cache=False))
    sent = app.server.test_client().get("/_dash-dependencies").get_json()
    train_click = {"id": "tl-train", "property": "n_clicks"}
    jobs = {
        name: spec["background"]["cancel"]
        for name, spec in app.callback_map.items()
        if name.split("...")[0].strip(".") in ("tl-ready-state.data", "tl-curve-state.data")
    }
    assert len(jobs) == 2 and all(train_click in cancels for cancels in jobs.values()), jobs
    # the browser sends the running job's id with the click (the cancel inputs come back when
    # a job starts); the server's callback for that input ends it
    assert any(c["output"] == "tl-train.id" and c["inputs"] == [train_click] for c in sent)


def test_the_page_gives_each_run_its_share_of_the_cores_for_openmp(tmp_path, monkeypatch):
    """Two jobs of two OpenMP threads each on two cores spin against each other (a boosting
    fit of 0.55 s took 45 s): the page's runs ask for the cores over MI_MAX_JOBS."""
    seen = []
    original = run_module.run_transfer

    def recording(*args, **kwargs):
        seen.append(args[4].openmp_threads)
        return original(*args, **kwargs)

    monkeypatch.setattr("dashboard.pages.transfer_learning.runs.run_transfer", recording)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    rt = configure(tmp_path, max_jobs=2)
    sid = rt.store.create()
    in_callback(sid)
    train(sid, "gbr", [])
    assert seen == [1]

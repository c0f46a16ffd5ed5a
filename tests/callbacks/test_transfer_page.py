"""The Transfer Learning page's render callbacks: what a run shows while its curve is drawn, the
controls of the run shown after a reload, and the first run's estimate under the pickers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from dash import no_update

from dashboard import catalog
from dashboard.engine.data import builtin
from dashboard.engine.transfer import TransferConfig, run_transfer
from dashboard.pages.transfer_learning import callbacks as tl_page
from dashboard.pages.transfer_learning.first_run import first_run_hint
from dashboard.pages.transfer_learning.restore import restore_controls
from tests.callbacks.test_job_slots import in_callback

FREESOLV = catalog.BUILTIN + "freesolv"
QM9 = catalog.BUILTIN + "qm9"
CURVE_OUTPUT = 8
"""Position of the learning curve's figure among render's outputs."""


@pytest.fixture(scope="module")
def demo_cache(tmp_path_factory) -> Path:
    """A cache folder with the default demo's features, source models and result, computed once
    for the module (9 s a test before)."""
    folder = tmp_path_factory.mktemp("demo-cache")
    freesolv = builtin.load("freesolv")
    run_transfer(freesolv, "calc", freesolv, "expt", TransferConfig(train_share=0.1), folder)
    return folder


@pytest.fixture
def trained(rt, sid, demo_cache) -> dict:
    """The default demo trained (from the module's cache), its learning curve asked for and not
    yet drawn."""
    shutil.copytree(demo_cache, rt.cache_dir, dirs_exist_ok=True)
    in_callback(sid)
    state, _ = tl_page.train(
        lambda _p: None, 1, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, ["on"]
    )
    return state


def _curve_note(state: dict | None, sid: str) -> str:
    figure = tl_page.render(state, True, sid)[CURVE_OUTPUT]
    return figure.layout.annotations[0].text.replace("<br>", " ")


def test_a_curve_asked_for_says_it_is_being_drawn_not_that_it_needs_ticking(trained, sid):
    assert trained["curve"] is True
    assert _curve_note(trained, sid).startswith("Being drawn")


def test_a_run_without_the_curve_says_how_to_get_one(trained, sid):
    assert "is ticked" in _curve_note({**trained, "curve": False}, sid)


def test_a_reload_sets_the_controls_to_the_run_shown(rt, sid):
    """The layout starts from the demo's settings; the results panel shows the last run."""
    in_callback(sid)
    tl_page.train(
        lambda _p: None, 1, sid, FREESOLV, "expt", FREESOLV, "calc", "ft", "gbr", 0.25, []
    )
    assert restore_controls(sid) == (0.25, "ft", "gbr", [], {"model": "gbr", "approach": "ft"})
    assert tl_page.dataset_options_for("target")(sid, None)[1] == FREESOLV
    assert tl_page.column_options_for("source")(FREESOLV, sid)[1] == "expt"
    assert tl_page.column_options_for("target")(FREESOLV, sid)[1] == "calc"


def test_a_reload_keeps_the_learning_curve_ticked_when_the_run_asked_for_it(trained, sid):
    assert restore_controls(sid)[3] == ["on"]


def test_a_run_stored_before_the_curve_box_was_kept_leaves_the_box_as_laid_out(trained, rt, sid):
    document = rt.store.load_json(sid, tl_page.KIND, tl_page.NAME)
    del document["request"]["curve"]
    rt.store.save_json(sid, tl_page.KIND, tl_page.NAME, document)
    assert restore_controls(sid)[:4] == (0.1, "lv", "et-median", no_update)


def test_without_a_run_the_controls_keep_the_demo_settings(rt, sid):
    assert restore_controls(sid) == (no_update,) * 5
    assert tl_page.column_options_for("source")(FREESOLV, sid)[1] == "calc"


def test_a_cancelled_curve_says_so_where_it_said_it_was_being_drawn():
    note = tl_page.curve_cancelled(1).layout.annotations[0].text
    assert "Cancelled" in note and "Being drawn" not in note


def test_before_a_first_run_on_qm9_the_pickers_say_it_takes_minutes(rt, sid):
    hint = first_run_hint(QM9, QM9, 0.1, [], "et-median", None, sid)
    assert hint.startswith("This pair's first run computes the features of 10,000 molecules")
    assert "6 source models" in hint and " min on two cores" in hint
    assert "learning curve" not in hint  # its box is not ticked
    assert "target models" not in hint  # on a tenth of the rows they take seconds
    assert "then its two target models" in first_run_hint(QM9, QM9, 1.0, [], "et-median", None, sid)


def test_with_the_curve_ticked_the_qm9_estimate_adds_the_curves_minutes(rt, sid):
    hint = first_run_hint(QM9, QM9, 0.1, ["on"], "et-median", None, sid)
    assert hint.endswith(
        "The learning curve then takes about 8–16 min more; untick it to see the run alone."
    )


def test_a_faster_target_model_shortens_the_curves_estimate(rt, sid):
    # gbr fits qm9 about four times as fast; the curve waits for the other models, the
    # default among them, to be trained for a switch
    hint = first_run_hint(QM9, QM9, 0.1, ["on"], "gbr", None, sid)
    assert "The learning curve then takes about 2–4 min more" in hint


def test_the_quick_demo_gets_no_estimate(rt, sid):
    assert first_run_hint(FREESOLV, FREESOLV, 1.0, ["on"], None, None, sid) == ""

"""The Active Learning page's callbacks: the start job's progress, the guide's stages, the
summary line, and what a step sends."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import numpy as np
import pytest
from dash import Patch, no_update

from dashboard import campaigns
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.active_learning import config_form, guide, render, summary
from dashboard.pages.active_learning.layout import ACTIONS
from tests.callbacks.test_campaign_file_download import upload

pytestmark = pytest.mark.both_stores

CONTROLS = (
    "builtin:freesolv",
    "expt",
    "max",
    None,
    "simulated",
    "gp-tanimoto-rbf",
    "auto",
    None,
    20,
    5,
    0,
    "auto",
    "random",
)
NAMES = [f"{o.component_id}.{o.component_property}" for o in render.OUTPUTS]


def test_starting_reports_descriptor_progress_once_then_uses_the_cache(rt, sid):
    heard: list[tuple[int, str]] = []
    _state, message = al_page.start_campaign(heard.append, 1, sid, *CONTROLS)
    assert isinstance(message, dbc.Alert) and message.color == "success"
    descriptor_steps = [p for p in heard if "RDKit descriptors" in p[1]]
    assert descriptor_steps and all("s left" in p[1] for p in descriptor_steps)
    percents = [p[0] for p in heard]
    assert percents == sorted(percents) and percents[-1] == 100
    assert "fitting the first model" in [p[1] for p in heard]
    saved = campaigns.saved(sid)
    assert saved["config"]["batch_method"] == "auto"
    assert campaigns.load(sid).batch_method == "believer"

    heard.clear()
    al_page.start_campaign(heard.append, 1, sid, *CONTROLS)
    assert not [p for p in heard if "RDKit descriptors" in p[1]]


def _trigger(monkeypatch, component: str) -> None:
    context = type("Ctx", (), {"triggered_id": component})
    monkeypatch.setattr(render.dash, "ctx", context)


def _small_campaign(sid) -> None:
    al_page.start_campaign(lambda _progress: None, 1, sid, *CONTROLS)


def test_before_a_campaign_every_action_is_disabled_and_the_page_says_why(rt, sid, monkeypatch):
    _trigger(monkeypatch, "session-id")
    answer = dict(zip(NAMES, render.render(None, None, "mean", sid), strict=True))
    assert "no campaign yet" in answer["al-status.children"].children
    assert all(answer[f"{name}.disabled"] for name in ACTIONS)


def test_a_step_patches_the_map_and_a_colour_change_redraws_the_map_alone(rt, sid, monkeypatch):
    _small_campaign(sid)
    with rt.store.lock(sid):
        campaign = campaigns.load(sid)
        campaign.step()
        campaigns.save(sid, campaign)
    _trigger(monkeypatch, "al-state")
    step = dict(zip(NAMES, render.render({"redraw": "step"}, None, "mean", sid), strict=True))
    assert isinstance(step["al-map.figure"], Patch)
    assert not any(step[f"{name}.disabled"] for name in ACTIONS)
    assert (
        step["al-summary.children"].startswith("Best ")
        and "in 1 step" in step["al-summary.children"]
    )
    _trigger(monkeypatch, "al-map-colour")
    colour = dict(zip(NAMES, render.render({"redraw": "step"}, None, "std", sid), strict=True))
    assert colour["al-map.figure"].layout.title.text.endswith("σ")
    assert all(v is no_update for k, v in colour.items() if k != "al-map.figure")


def test_the_slider_redraws_the_step_plots_and_leaves_the_history_plots(rt, sid, monkeypatch):
    _small_campaign(sid)
    with rt.store.lock(sid):
        campaign = campaigns.load(sid)
        campaign.run(2)
        campaigns.save(sid, campaign)
    _trigger(monkeypatch, "al-slider")
    past = dict(zip(NAMES, render.render({"redraw": "step"}, 1, "mean", sid), strict=True))
    assert past["al-best.figure"] is no_update and past["al-quality.figure"] is no_update
    assert isinstance(past["al-map.figure"], Patch)
    assert "step 1 of 2" in str(past["al-status.children"])
    _trigger(monkeypatch, "session-id")
    whole = dict(zip(NAMES, render.render(None, None, "mean", sid), strict=True))
    assert whole["al-best.figure"].data and whole["al-quality.figure"].data


def test_the_guide_starts_the_demo_then_steps_it_stage_by_stage(rt, sid, monkeypatch):
    demo = {**guide.DEMO, "al-dataset": "builtin:freesolv", "al-target": "expt"}
    monkeypatch.setattr(guide, "DEMO", demo | {"al-init": 20, "al-batch": 5})
    monkeypatch.setattr(guide, "STAGES", (0, 2))
    monkeypatch.setattr(guide, "ctx", type("Ctx", (), {"triggered_id": "al-guide-start"}))
    state, _message, nxt, note, *_timer, last = guide.run_stage(lambda p: None, 1, None, None, sid)
    assert state["redraw"] == "full" and nxt == {"next": 1} and not last
    assert note.startswith("Stage 1 of 2: the start. 20 molecules")
    monkeypatch.setattr(guide, "ctx", type("Ctx", (), {"triggered_id": "al-guide-timer"}))
    state, _message, nxt, note, *_timer, last = guide.run_stage(lambda p: None, None, 1, nxt, sid)
    assert state["redraw"] == "step" and last and campaigns.load(sid).step_index == 2
    assert note.startswith("Stage 2 of 2: calibration.")


def test_random_search_needs_the_median_number_of_draws_to_hit_one_of_the_good_rows():
    truth = np.arange(100.0)  # the best 10 are >= 90
    config = type(
        "Config", (), {"goal": "max", "initial_size": 0, "batch_size": 1, "mode": "simulated"}
    )
    # P(no good row among m draws) falls to 1/2 at m = 7 (0.9 * 0.899 * ... over 7 draws)
    assert summary.random_steps_needed(truth, 90.0, "max", 0, 1) == 7
    assert summary.random_steps_needed(truth, 90.0, "max", 5, 1) == 2
    assert summary.random_steps_needed(truth, 200.0, "max", 0, 1) is None
    history = [{"best_so_far": 50.0}, {"best_so_far": 90.0}]
    assert summary.summary_line(history, truth, config, "eV") == (
        "Best 50 → 90 eV in 1 step; random search would need ≈ 7 steps (median)."
    )
    early = type("Config", (), {**vars(config), "initial_size": 50})
    assert summary.summary_line(history, truth, early, "eV").endswith(
        "random search would find one as good among its first 50 random rows (median)."
    )


SUMMARY_CONFIG = type(
    "Config", (), {"goal": "max", "initial_size": 50, "batch_size": 5, "mode": "real"}
)


def test_the_start_counts_the_rows_measured_then_not_the_initial_size():
    history = [{"best_so_far": 64.0, "added": [1725, 1726, 1727]}]  # a campaign file's 3 rows
    assert summary.summary_line(history, None, SUMMARY_CONFIG, "") == (
        "Start: the best of the 3 first measurements is 64. Measure the picks below, type their "
        "values and press 'Enter these values and step'."
    )


def test_a_best_that_did_not_improve_is_said_in_words_not_as_zero_steps_of_random_search():
    history = [{"best_so_far": 751.0, "added": [0]}, {"best_so_far": 751.0}]
    line = summary.summary_line(history, np.arange(1000.0), SUMMARY_CONFIG, "S/cm")
    assert line == "No better value in 1 step: the best is still 751 S/cm, measured at the start."


def test_values_from_a_thousand_up_are_written_in_full_with_thousands_separators():
    history = [{"best_so_far": 751.0, "added": [0]}, {"best_so_far": 1244.3}]
    line = summary.summary_line(history, None, SUMMARY_CONFIG, "S/cm")
    assert line == "Best 751 → 1,244 S/cm in 1 step."
    assert summary.number_text(0.01234) == "0.0123" and summary.number_text(-2500) == "-2,500"


def test_a_chosen_target_sets_the_goal_its_name_suggests():
    assert config_form.goal_for_target("loss", None) == "min"
    assert config_form.goal_for_target("Instability index", None) == "min"
    assert config_form.goal_for_target("yield", {"target": "loss", "goal": "min"}) == "max"


def test_a_goal_remembered_for_the_target_is_restored_not_overridden():
    remembered = config_form.remember_goal("max", "loss")  # the user chose to maximise a loss
    assert config_form.goal_for_target("loss", remembered) == "max"
    assert config_form.goal_for_target(None, remembered) is no_update


def test_after_a_failed_start_the_status_names_the_campaign_that_step_still_acts_on(
    rt, sid, monkeypatch
):
    _small_campaign(sid)
    tiny = "base,temperature,yield\n" + "".join(f"B{i % 2},{60 + i},{i}\n" for i in range(8))
    key = upload(sid, tiny, "tiny.csv")
    failed = (key, "yield", *CONTROLS[2:])  # 20 initial rows of 8
    state, message = al_page.start_campaign(lambda _p: None, 1, sid, *failed)
    assert state is no_update and message.color == "danger"
    _trigger(monkeypatch, "al-state")
    answer = dict(zip(NAMES, render.render({"redraw": "full"}, None, "mean", sid), strict=True))
    assert "FreeSolv" in str(answer["al-status.children"][0])
    assert "maximise expt" in str(answer["al-status.children"][0])

"""Campaigns: simulated and real modes, determinism, JSON round trips, bad input."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.design import initial_design
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data.builtin import load
from dashboard.engine.data.dataset import Dataset


def smooth_data(n=300, seed=0, unknown=0):
    """A smooth 2-D landscape with one broad peak; the last `unknown` rows have no value."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-3, 3, (n, 2))
    y = np.exp(-((X[:, 0] - 1.5) ** 2 + (X[:, 1] + 1) ** 2) / 2) + 0.3 * np.sin(X[:, 0])
    if unknown:
        y[-unknown:] = np.nan
    return CampaignData.from_arrays(X, y)


def config(**changes):
    settings = {
        "dataset_id": "smooth",
        "target": "y",
        "model": "gp-matern52",
        "initial_size": 10,
        "batch_size": 5,
        "top_k": 20,
        **changes,
    }
    return CampaignConfig(**settings)


def without_seconds(history):
    return [{k: v for k, v in record.items() if k != "seconds"} for record in history]


def assert_same_steps(first, second):
    """Same rows, picks and choices; floats equal up to rounding (a restored model refactorises
    from scratch where the live one grew its factorisation step by step)."""
    assert len(first) == len(second)
    for a, b in zip(without_seconds(first), without_seconds(second), strict=True):
        assert a.keys() == b.keys()
        for key in a:
            if isinstance(a[key], float) or (
                isinstance(a[key], list) and any(isinstance(v, float) for v in a[key])
            ):
                assert a[key] == pytest.approx(b[key], rel=1e-6, abs=1e-9), key
            elif isinstance(a[key], dict):
                assert a[key] == pytest.approx(b[key], rel=1e-6), key
            else:
                assert a[key] == b[key], key


@pytest.fixture(scope="module")
def data():
    return smooth_data()


def test_a_campaign_starts_with_its_initial_design_and_proposes_a_batch(data):
    campaign = Campaign(config(), data)
    first = campaign.history[0]
    assert campaign.step_index == 0
    assert len(first["added"]) == 10 and len(campaign.pending) == 5
    assert not set(first["added"]) & set(campaign.pending)
    assert first["r2"] is not None and first["hyperparameters"]


def test_each_step_measures_the_picks_and_records_progress(data):
    campaign = Campaign(config(), data)
    picks = campaign.pending
    record = campaign.step()
    assert record["added"] == picks
    assert record["values"] == pytest.approx(data.y[picks].tolist())
    assert record["best_so_far"] == pytest.approx(data.y[campaign.measured_rows].max())
    assert 0 <= record["within_1sigma"] <= record["within_2sigma"] <= 1


def test_the_same_seed_gives_the_same_campaign(data):
    runs = [Campaign(config(seed=4), data) for _ in range(2)]
    for campaign in runs:
        campaign.run(3)
    assert without_seconds(runs[0].history) == without_seconds(runs[1].history)
    other = Campaign(config(seed=5), data)
    assert other.history[0]["added"] != runs[0].history[0]["added"]


def test_a_simulated_campaign_beats_random_search(data):
    recalls = {}
    for acquisition in ("ucb", "random"):
        found = []
        for seed in range(3):
            campaign = Campaign(config(acquisition=acquisition, seed=seed), data)
            campaign.run(6)
            found.append(campaign.history[-1]["top_k_recall"])
        recalls[acquisition] = np.mean(found)
    assert recalls["ucb"] > recalls["random"] + 0.3


def test_on_real_band_gaps_a_campaign_finds_more_of_the_top_than_random_search():
    gaps = load("expt-gap")
    subset = replace(gaps, frame=gaps.frame.head(600).reset_index(drop=True))
    data = CampaignData.from_dataset(subset, "gap")
    recalls = {}
    for acquisition in ("ucb", "random"):
        runs = [
            Campaign(config(acquisition=acquisition, seed=seed, batch_size=10), data)
            for seed in range(2)
        ]
        recalls[acquisition] = np.mean([c.run(8)[-1]["top_k_recall"] for c in runs])
    assert recalls["ucb"] >= recalls["random"] + 0.25


def test_json_round_trip_mid_campaign_continues_identically(data):
    campaign = Campaign(config(batch_method="believer"), data)
    campaign.run(2)
    restored = Campaign.from_dict(json.loads(json.dumps(campaign.to_dict())), data)
    assert restored.to_dict() == campaign.to_dict()
    campaign.run(2)
    restored.run(2)
    assert_same_steps(restored.history, campaign.history)


@pytest.mark.parametrize("model", ["gp-matern52", "auto"])
def test_a_prepared_campaign_has_its_next_fit_done_and_steps_exactly_as_a_cold_one(data, model):
    campaign = Campaign(config(model=model, batch_method="believer"), data)
    campaign.run(2)
    saved = json.loads(json.dumps(campaign.to_dict()))
    prepared, cold = Campaign.from_dict(saved, data), Campaign.from_dict(saved, data)
    prepared.prepare()
    if model == "gp-matern52":
        gp = prepared._surrogate
        next_rows = prepared._pool.positions(prepared.measured_rows + prepared.pending)
        assert gp._cached == len(next_rows)  # the bases of every row the next fit takes
        np.testing.assert_array_equal(gp._rows, next_rows)  # and their factor
    prepared.step()
    cold.step()
    assert without_seconds(prepared.history) == without_seconds(cold.history)


def test_a_step_says_how_long_it_fitted_its_model():
    real = Campaign(config(mode="real"), smooth_data(unknown=300))
    assert real.fit_seconds == 0.0  # nothing measured: a design, no model
    campaign = Campaign(config(), smooth_data())
    campaign.step()
    assert 0.0 < campaign.fit_seconds < campaign.history[-1]["seconds"]


def test_the_saved_dict_holds_only_plain_json_types(data):
    campaign = Campaign(config(), data)
    campaign.step()

    def plain(value):
        if isinstance(value, dict):
            return all(isinstance(k, str) and plain(v) for k, v in value.items())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return type(value) in (int, float, str, bool, type(None))

    assert plain(campaign.to_dict())


def test_back_undoes_a_step_and_stepping_again_repeats_it(data):
    campaign = Campaign(config(), data)
    campaign.run(2)
    second = campaign.history[-1]
    campaign.back()
    assert campaign.step_index == 1 and campaign.pending == second["added"]
    campaign.step()
    assert_same_steps([campaign.history[-1]], [second])


def test_reset_returns_to_the_initial_design(data):
    campaign = Campaign(config(), data)
    fresh = campaign.to_dict()
    campaign.run(2)
    campaign.reset()
    assert campaign.to_dict() == fresh


def test_snapshot_of_a_past_step_reproduces_its_predictions(data):
    campaign = Campaign(config(), data)
    campaign.run(3)
    record = campaign.history[1]
    restored = Campaign.from_dict(campaign.to_dict(), data)
    snapshot = restored.snapshot(1)
    positions = [int(np.flatnonzero(restored.pool_rows == row)[0]) for row in record["picks"]]
    assert snapshot.picks == record["picks"]
    np.testing.assert_allclose(snapshot.mean[positions], record["pick_mean"], rtol=1e-6)
    assert np.isnan(snapshot.score[snapshot.measured]).all()
    assert restored.pool_map().shape == (restored.pool_rows.size, 2)


def test_the_seed_switch_rule_explores_first(data):
    campaign = Campaign(config(acquisition="seed-switch", model="gp-matern12"), data)
    campaign.run(2)
    used = [record["acquisition"] for record in campaign.history]
    r2 = [record["r2"] for record in campaign.history]
    for i, name in enumerate(used):
        assert name == ("pi" if any(v > 0.2 for v in r2[: i + 1]) else "max-sigma")


def test_summary_has_one_entry_per_step_and_one_time_per_step_taken(data):
    campaign = Campaign(config(), data)
    campaign.run(2)
    summary = campaign.summary()
    assert len(summary["best_so_far"]) == len(summary["top_k_recall"]) == 3
    assert len(summary["step_seconds"]) == 2
    assert summary["top_k"] == 20 and summary["pool"] == 300


def test_a_value_goal_campaign_on_a_random_forest_runs():
    campaign = Campaign(config(goal="value:0.5", model="rf", acquisition="target"), smooth_data(80))
    campaign.run(2)
    assert campaign.summary()["goal"] == "value:0.5"


# real campaigns -------------------------------------------------------------------------------


def test_real_mode_suggest_enter_values_and_step():
    truth = smooth_data()
    data = smooth_data(unknown=280)
    campaign = Campaign(config(mode="real"), data)
    assert campaign.history[0]["added"] == list(range(20))
    suggested = campaign.suggest(3)
    assert len(suggested) == 3 and campaign.pending == suggested
    campaign.add_measurements({row: float(truth.y[row]) for row in suggested[:2]})
    record = campaign.step()
    assert record["added"] == suggested[:2]
    assert record["r2"] is None and record["top_k_recall"] is None
    assert suggested[2] not in campaign.measured_rows


def test_real_mode_without_values_suggests_an_initial_design_first():
    data = smooth_data(unknown=300)
    campaign = Campaign(config(mode="real"), data)
    assert campaign.history[0]["acquisition"] == "initial design"
    assert len(campaign.pending) == 5
    campaign.add_measurements({row: float(row) for row in campaign.pending})
    assert campaign.step()["hyperparameters"]


def test_real_mode_exports_pending_rows_in_csv():
    data = smooth_data(unknown=280)
    campaign = Campaign(config(mode="real"), data)
    frame = pd.DataFrame({"name": [f"m{i}" for i in range(300)]})
    table = campaign.to_table(frame)
    assert (table.loc[campaign.pending, "campaign_status"] == "pending").all()
    assert (table.loc[:19, "campaign_status"] == "measured").all()
    assert "pending" in campaign.to_csv(frame)


def test_the_campaign_csv_writes_whole_numbers_as_integers():
    campaign = Campaign(config(mode="real"), smooth_data(unknown=280))
    frame = pd.DataFrame({"name": [f"m{i}" for i in range(300)], "temperature": 200.0})
    lines = campaign.to_csv(frame).splitlines()
    assert lines[0] == "name,temperature,campaign_status,campaign_step,campaign_value"
    assert lines[1].split(",")[:4] == ["m0", "200", "measured", "0"]  # as the page writes them


def test_the_campaign_csv_leaves_a_missing_whole_number_empty():
    """Not <NA> (the integer column's missing value), as `suggest` prints it and the page's CSV
    of the picks writes it."""
    campaign = Campaign(config(mode="real"), smooth_data(unknown=280))
    frame = pd.DataFrame({"run": [np.nan if i == 1 else float(i) for i in range(300)]})
    lines = campaign.to_csv(frame).splitlines()
    assert [line.split(",")[0] for line in lines[:4]] == ["run", "0", "", "2"]


# bad input ------------------------------------------------------------------------------------


def assert_unchanged(campaign, action, match):
    before = campaign.to_dict()
    with pytest.raises(ValueError, match=match):
        action()
    assert campaign.to_dict() == before


def test_back_at_step_zero_is_refused(data):
    campaign = Campaign(config(), data)
    assert_unchanged(campaign, campaign.back, "already at step 0")


def test_a_batch_larger_than_what_is_left_is_refused(data):
    campaign = Campaign(config(), data)
    assert_unchanged(campaign, lambda: campaign.suggest(291), "between 1 and 290")
    assert_unchanged(campaign, lambda: campaign.run(100), "need")


def test_real_mode_refuses_bad_measurements_and_empty_steps():
    campaign = Campaign(config(mode="real"), smooth_data(unknown=280))
    measured = campaign.measured_rows[0]
    assert_unchanged(
        campaign, lambda: campaign.add_measurements({measured: 1.0}), "not a candidate"
    )
    assert_unchanged(campaign, lambda: campaign.add_measurements({25: "high"}), "not a finite")
    assert_unchanged(campaign, lambda: campaign.add_measurements({25: 1.0, 9999: 2.0}), "9999")
    assert_unchanged(campaign, campaign.step, "enter at least one")


def test_a_pool_smaller_than_the_initial_design_plus_one_batch_is_refused_with_sizes_that_fit():
    with pytest.raises(ValueError, match="fewer than the initial design plus one batch") as err:
        Campaign(config(initial_size=10, batch_size=5), smooth_data(14))
    assert str(err.value).endswith(
        "e.g. an initial design of 4 and batches of 2 (5 steps fit then)"
    )
    Campaign(config(initial_size=4, batch_size=2), smooth_data(14)).run(5)  # they do fit


def test_an_all_missing_target_is_refused_in_a_simulated_campaign():
    with pytest.raises(ValueError, match="no values"):
        Campaign(config(), smooth_data(unknown=300))


def test_a_text_target_is_refused_with_its_row():
    frame = pd.DataFrame({"formula": ["NaCl", "KBr"], "gap": ["5.0", "high"]})
    dataset = Dataset(
        "d", "d", frame, "formula", "composition", target_columns=["gap"], units={"gap": "eV"}
    )
    with pytest.raises(ValueError, match="row 2 holds 'high'"):
        CampaignData.from_dataset(dataset, "gap")


@pytest.mark.parametrize(
    ("settings", "match"),
    [
        ({"acquisition": "thompson"}, "unknown acquisition"),
        ({"acquisition": "ei", "params": {"kappa": 1}}, "takes"),
        ({"acquisition": "target"}, "needs a goal"),
        ({"batch_size": 0}, "batch_size"),
        ({"goal": "largest"}, "goal"),
        ({"acquisition": "seed-switch", "mode": "real"}, "seed-switch"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(settings, match):
    with pytest.raises(ValueError, match=match):
        config(**settings)


def test_a_campaign_saved_for_other_data_is_refused(data):
    saved = Campaign(config(), data).to_dict()
    with pytest.raises(ValueError, match="other data"):
        Campaign.from_dict(saved, smooth_data(seed=1))


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("history"),
        lambda d: d["history"][0].update(added=[100000]),
        lambda d: d["history"][1]["values"].__setitem__(0, 123.0),
        lambda d: d["history"][1].update(step="one"),
        lambda d: d["config"].update(batch_size=-1),
        lambda d: d["history"][1]["added"].append(d["history"][0]["added"][0]),
        lambda d: d["history"][1].update(r2="good"),
        lambda d: d["history"][0].update(comment="hello"),
        lambda d: d["history"][1].update(hyperparameters={"noise": -1.0}),
    ],
)
def test_a_damaged_campaign_file_is_refused(data, damage):
    campaign = Campaign(config(), data)
    campaign.step()
    saved = json.loads(json.dumps(campaign.to_dict()))
    damage(saved)
    with pytest.raises(ValueError, match="damaged"):
        Campaign.from_dict(saved, data)


def test_something_that_is_not_a_campaign_file_is_refused(data):
    with pytest.raises(ValueError, match="not a saved MI Dashboard campaign"):
        Campaign.from_dict({"hello": 1}, data)


# initial designs ------------------------------------------------------------------------------


def test_a_space_filling_design_reaches_beyond_the_dense_cluster():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 0.1, (380, 2)), rng.uniform(-10, 10, (20, 2))])
    outer = np.arange(380, 400)
    spread = initial_design(X, 10, "space-filling", np.random.default_rng(1))
    uniform = initial_design(X, 10, "random", np.random.default_rng(1))
    assert np.isin(spread, outer).sum() >= 5 > np.isin(uniform, outer).sum()
    assert np.unique(spread).size == 10
    again = initial_design(X, 10, "space-filling", np.random.default_rng(1))
    assert np.array_equal(spread, again)


def test_a_space_filling_campaign_starts_from_its_design(data):
    campaign = Campaign(config(initial_design="space-filling"), data)
    assert len(set(campaign.history[0]["added"])) == 10


def test_back_in_a_real_campaign_keeps_the_values_as_entered():
    campaign = Campaign(config(mode="real"), smooth_data(unknown=280))
    row = campaign.pending[0]
    campaign.add_measurements({row: 0.5})
    campaign.step()
    campaign.back()
    assert campaign.entered == {row: 0.5}
    assert row not in campaign.measured_rows


@pytest.mark.parametrize(
    ("model", "acquisition", "batch_method", "expected"),
    [
        ("gp-matern52", "ucb", "auto", "believer"),
        ("gp-matern52", "max-sigma", "auto", "believer"),
        ("gp-matern52", "random", "auto", "top-q"),
        ("gp-matern52", "greedy", "auto", "top-q"),
        ("rf", "ucb", "auto", "top-q"),
        ("gp-matern52", "ucb", "top-q", "top-q"),
        ("rf", "ucb", "believer", "believer"),
    ],
)
def test_auto_batch_method_is_the_believer_for_gps_that_use_sigma(
    data, model, acquisition, batch_method, expected
):
    settings = {"model": model, "acquisition": acquisition, "batch_method": batch_method}
    campaign = Campaign(config(**settings), data)
    assert campaign.batch_method == expected
    campaign.step()
    assert campaign.summary()["batch_method"] == expected


def test_believer_batches_differ_from_top_q_on_the_same_model(data):
    picks = {}
    for method in ("top-q", "believer"):
        picks[method] = Campaign(config(batch_method=method), data).history[0]["picks"]
    assert len(set(picks["believer"])) == 5
    assert picks["believer"][0] == picks["top-q"][0]
    assert picks["believer"] != picks["top-q"]


def ucb_weight(campaign):
    """The κ that makes the current snapshot's scores equal mean + κσ on the candidates."""
    snap = campaign.snapshot()
    candidates = ~snap.measured
    excess = snap.score[candidates] - snap.mean[candidates]
    kappa = excess / snap.std[candidates]
    assert np.allclose(kappa, kappa[0])
    return float(kappa[0])


def test_auto_ucb_takes_kappa_1_on_numeric_settings_and_2_5_on_structures(data):
    numeric = Campaign(config(acquisition="auto"), data)
    assert numeric.config.acquisition == "ucb"
    assert ucb_weight(numeric) == pytest.approx(1.0)
    assert numeric.summary()["acquisition_params"] == {"kappa": 1.0}
    assert numeric.summary()["model_weights"] is None  # one model, no mixture
    weights = Campaign(config(model="auto"), data).summary()["model_weights"]
    assert set(weights) == {"gp-ard", "rf", "gp-matern52"}  # numeric settings: a mixture
    assert sum(weights.values()) == pytest.approx(1.0)
    rng = np.random.default_rng(0)
    bits = (rng.random((120, 64)) < 0.2).astype(float)
    molecules = CampaignData.from_arrays(bits, bits[:, :8].sum(axis=1), {"ecfp": slice(0, 64)})
    structures = Campaign(config(acquisition="auto"), molecules)
    assert ucb_weight(structures) == pytest.approx(2.5)
    assert structures.summary()["acquisition_params"] == {"kappa": 2.5}


def test_a_kappa_that_is_set_wins_over_the_default_for_the_data():
    campaign = Campaign(config(acquisition="ucb", params={"kappa": 2.0}), smooth_data())
    assert ucb_weight(campaign) == pytest.approx(2.0)
    assert campaign.summary()["acquisition_params"] == {"kappa": 2.0}

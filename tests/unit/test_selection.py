"""Choosing a model from the measured rows: the score by hand, the folds, the schedule, choices
whose answer is known, and the `bench external` command that measures the result."""

import json

import numpy as np
import pytest

from dashboard.cli import main
from dashboard.engine.active_learning import selection
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.active_learning.surrogates import make_surrogate

NUMERIC = {"numeric": slice(0, 3)}


def rows_of(function, n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, 3))
    return X, function(X)


def smooth(X):
    return np.sin(6 * X[:, 0]) + 0.5 * np.cos(4 * X[:, 1])


def corner(X):
    """1 in one corner of the square, 0 elsewhere: a step a forest splits on exactly."""
    return ((X[:, 0] > 0.5) & (X[:, 1] > 0.5)).astype(float)


def test_nlpd_of_a_gaussian_by_hand():
    # -log N(1 | 0, 2²) = log(2 √(2π)) + 1/8
    assert selection.nlpd(np.array([1.0]), np.array([0.0]), np.array([2.0])) == pytest.approx(
        np.log(2.0 * np.sqrt(2.0 * np.pi)) + 0.125
    )


def test_folds_leave_one_out_for_few_rows_then_ten_of_equal_size():
    assert selection.fold_labels(7).tolist() == list(range(7))
    sizes = np.bincount(selection.fold_labels(95))
    assert sizes.size == selection.FOLDS and sizes.min() == 9 and sizes.max() == 10


def test_every_row_is_predicted_by_a_model_that_did_not_see_it():
    y = np.arange(12.0)
    folds = selection.fold_labels(y.size)
    seen = []

    def fit_predict(train, test):
        assert not set(train) & set(test)
        seen.extend(test)
        return y[test], np.ones(test.size)  # exact means, σ = 1

    score = selection.nlpd(y, *selection.cross_validated_moments(fit_predict, y, folds))
    assert sorted(seen) == list(range(12))
    assert score == pytest.approx(0.5 * np.log(2.0 * np.pi))


def test_the_choice_is_checked_from_six_rows_then_when_they_grew_by_a_quarter():
    assert not selection.is_due(5, 0)
    assert selection.is_due(6, 0)
    assert not selection.is_due(9, 8) and selection.is_due(10, 8)
    assert not selection.is_due(124, 100) and selection.is_due(125, 100)


def test_the_lowest_finite_score_wins():
    assert selection.choose({"a": 1.0, "b": -2.0, "c": np.nan}) == "b"
    assert selection.choose({"a": np.nan, "b": np.inf}) == "a"


def test_a_smooth_function_chooses_the_ard_gp_over_the_forest():
    X, y = rows_of(smooth, 40)
    auto = make_surrogate("auto", NUMERIC).fit(X, y)
    assert auto.name == "gp-ard"
    assert auto.scores["gp-ard"] < auto.scores["rf"] - 1.0


def test_a_step_in_one_corner_chooses_the_forest():
    X, y = rows_of(corner, 60)
    auto = make_surrogate("auto", NUMERIC).fit(X, y)
    assert auto.name == "rf"
    assert auto.scores["rf"] < min(auto.scores["gp-ard"], auto.scores["gp-matern52"])


def test_with_few_rows_the_prior_default_is_kept_without_a_check():
    X, y = rows_of(corner, 5)
    auto = make_surrogate("auto", NUMERIC).fit(X, y)
    assert auto.name == "gp-ard" and auto.scores == {}
    assert auto.hyperparameters["auto.checked_at"] == 0


def test_a_refit_with_the_saved_hyperparameters_reproduces_the_choice_and_predictions():
    X, y = rows_of(corner, 60)
    rows = np.arange(50)
    auto = make_surrogate("auto", NUMERIC).fit_pool(X, rows, y[rows])
    again = make_surrogate("auto", NUMERIC)
    again.hyperparameters = json.loads(json.dumps(auto.hyperparameters))
    again.fit_pool(X, rows, y[rows], optimize=False)
    assert again.name == auto.name == "rf" and again.scores == {}
    for a, b in zip(auto.predict_pool(), again.predict_pool(), strict=True):
        np.testing.assert_allclose(a, b)


def test_stacking_puts_the_weight_on_the_model_that_predicts_held_out_rows():
    y = np.linspace(-1.0, 1.0, 40)
    good = (y + 0.05, np.full(y.size, 0.1))
    wrong = (-y, np.full(y.size, 0.1))
    weights = selection.stacking_weights(y, [wrong, good])
    assert weights.sum() == pytest.approx(1.0) and weights[1] > 0.99


def test_stacking_shares_the_weight_between_models_right_on_different_rows():
    y = np.linspace(-1.0, 1.0, 40)
    left, right = y < 0, y >= 0
    a = (np.where(left, y, y + 3.0), np.full(y.size, 0.1))  # right on the left half only
    b = (np.where(right, y, y - 3.0), np.full(y.size, 0.1))
    assert selection.stacking_weights(y, [a, b]) == pytest.approx([0.5, 0.5], abs=0.01)


def blended(seed=1):
    """Rows where neither the forest nor the GPs win outright: a smooth part and a step."""
    return rows_of(lambda X: smooth(X) + 2.0 * corner(X), 50, seed)


def test_auto_predicts_the_weighted_mixture_of_its_members():
    X, y = blended()
    auto = make_surrogate("auto", NUMERIC).fit(X, y)
    members = {n: w for n, w in auto.weights.items() if w >= 0.01}
    assert len(members) >= 2 and sum(auto.weights.values()) == pytest.approx(1.0)
    parts = {n: auto.candidates[n].predict(X) for n in members}
    total = sum(members.values())
    mean = sum(w * parts[n][0] for n, w in members.items()) / total
    second = sum(w * (parts[n][1] ** 2 + parts[n][0] ** 2) for n, w in members.items()) / total
    got_mean, got_std = auto.predict_pool()
    np.testing.assert_allclose(got_mean, mean)
    np.testing.assert_allclose(got_std, np.sqrt(second - mean**2), rtol=1e-6, atol=1e-9)
    assert (got_std >= min(parts[n][1].min() for n in members) * 0.999).all()


def test_a_saved_mixture_refits_to_the_same_predictions_and_its_believer_shrinks_sigma():
    X, y = blended()
    rows = np.arange(40)
    auto = make_surrogate("auto", NUMERIC).fit_pool(X, rows, y[rows])
    saved = json.loads(json.dumps(auto.hyperparameters))
    assert any(key.startswith("auto.weight_") for key in saved)
    again = make_surrogate("auto", NUMERIC)
    again.hyperparameters = saved
    again.fit_pool(X, rows, y[rows], optimize=False)
    assert again.weights == pytest.approx(auto.weights) and again.name == auto.name
    for a, b in zip(auto.predict_pool(), again.predict_pool(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    candidates = np.arange(40, 50)
    before = auto.predict_pool()[1][candidates]
    after = auto.believer(candidates)(0)
    assert after[0] < before[0] and (after <= before + 1e-9).all()
    with pytest.raises(ValueError, match="a weight, at least 0"):
        again.hyperparameters = {**saved, "auto.weight_0": -1.0}


def test_bench_external_prints_a_row_per_file_and_method(tmp_path, capsys):
    folder = tmp_path / "liang2021" / "unique-inputs"
    folder.mkdir(parents=True)
    X, y = rows_of(smooth, 40)
    lines = ["CsPbI,FAPbI,MAPbI,Instability index"] + [
        ",".join(f"{v:.4f}" for v in (*x, value)) for x, value in zip(X, y, strict=True)
    ]
    (folder / "Perovskite_dataset.csv").write_text("\ufeff" + "\n".join(lines), encoding="utf-8")
    options = ["--only", "perovskite", "--seeds", "0", "--max-experiments", "8"]
    assert main(["bench", "external", str(tmp_path), *options]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1].split()[:3] == ["file", "method", "model(s)"]
    assert [line.split()[:2] for line in table[2:]] == [
        ["Perovskite", "default"],
        ["Perovskite", "random"],
    ]
    assert main(["bench", "external", str(tmp_path), *options, "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert [(f["method"], f["pool"], f["top_k"]) for f in figures] == [
        ("default", 40, 2),
        ("random", 40, 2),
    ]
    assert all(e is None or 3 <= e <= 8 for f in figures for e in f["experiments"])


def test_bench_external_explains_a_missing_folder(tmp_path, capsys):
    assert main(["bench", "external", str(tmp_path / "nowhere"), "--only", "agnp"]) == 2
    assert "give the folder of the external data as DIR" in capsys.readouterr().err


def test_a_saved_auto_campaign_reloads_and_recomputes_its_steps_as_they_were():
    X, y = rows_of(smooth, 20)
    data = CampaignData.from_arrays(X, y)
    config = CampaignConfig(dataset_id="smooth", target="y", initial_size=6, batch_size=2, top_k=5)
    campaign = Campaign(config, data)
    campaign.run(1)
    live = [campaign.snapshot(step) for step in range(2)]
    saved = json.loads(json.dumps(campaign.to_dict()))
    loaded = Campaign.from_dict(saved, data)
    assert loaded.model_name == campaign.model_name
    for step, snapshot in enumerate(live):
        np.testing.assert_allclose(loaded.snapshot(step).mean, snapshot.mean, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(loaded.snapshot(step).std, snapshot.std, rtol=1e-6, atol=1e-9)


def test_bench_external_runs_a_reaction_table_as_uploaded_by_the_edbo_protocol(tmp_path, capsys):
    folder = tmp_path / "edbo"
    folder.mkdir()
    rng = np.random.default_rng(0)
    effect = {name: rng.normal(size=6) for name in ("base", "ligand", "solvent")}
    lines = ["entry,base,ligand,solvent,temperature,yield"]
    for i, (b, lig, s, t) in enumerate(np.ndindex(4, 6, 3, 2)):
        value = 50 + 10 * (effect["base"][b] + effect["ligand"][lig] + effect["solvent"][s]) + t
        lines.append(f"{i},B{b},L{lig},S{s},{90 + 15 * t},{value:.2f}")
    (folder / "direct_arylation_names.csv").write_text("\n".join(lines))
    options = ["--only", "arylation_names", "--seeds", "0", "--models", "default"]
    assert main(["bench", "external", str(tmp_path), *options]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "EDBO" in table[1] and table[2].split()[:2] == ["direct_arylation_names", "default"]
    assert main(["bench", "external", str(tmp_path), *options, "--json"]) == 0
    (figure,) = json.loads(capsys.readouterr().out)
    assert figure["protocol"].startswith("EDBO") and figure["pool"] == 144
    assert figure["runs"] == 1 and figure["top_k"] == 2
    assert figure["experiments"][0] is None or 5 <= figure["experiments"][0] <= 100

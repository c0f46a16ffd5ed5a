"""Figure builders: pure functions whose traces carry the numbers they were given."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.figures import active_learning as al
from dashboard.figures import campaign_history, transfer
from dashboard.figures import data as data_figures


def test_thinning_keeps_at_most_the_limit_and_both_ends():
    kept = al.thinned(np.arange(10_000), 100)
    assert kept.size == 100 and kept[0] == 0 and kept[-1] == 9_999


def test_parity_draws_measured_candidates_and_picks_apart():
    truth = np.array([1.0, 2.0, 3.0, 4.0])
    measured = np.array([True, True, False, False])
    picks = np.array([False, False, True, False])
    fig = al.parity(truth + 0.1, np.full(4, 0.2), truth, measured, picks, "gap")
    by_name = {trace.name: trace for trace in fig.data}
    assert list(by_name["measured"].x) == [1.0, 2.0]
    assert list(by_name["next picks"].x) == [3.0]
    assert list(by_name["not measured yet"].x) == [4.0]
    assert list(by_name["measured"].error_y.array) == [0.2, 0.2]


def test_ranked_candidates_put_the_best_predicted_first():
    mean = np.array([0.5, 3.0, 1.0, np.nan])
    score = np.array([0.1, 0.2, 0.9, np.nan])  # the last row is measured: no score
    picks = np.array([False, False, True, False])
    fig = al.ranked_candidates(mean, np.full(4, 0.1), score, mean, picks, "y")
    line = next(t for t in fig.data if t.name == "predicted mean")
    assert list(line.y) == [3.0, 1.0, 0.5]
    star = next(t for t in fig.data if t.name == "next picks")
    assert list(star.x) == [2]


def test_model_quality_marks_the_gaussian_expectations():
    history = [
        {"step": 0, "r2": 0.1, "mae": 1.0, "within_1sigma": 0.5, "within_2sigma": 0.9},
        {"step": 1, "r2": None, "mae": 0.8, "within_1sigma": 0.7, "within_2sigma": 0.96},
    ]
    fig = campaign_history.model_quality(history)
    r2 = next(t for t in fig.data if t.name == "R² on the pool")
    assert np.isnan(r2.y[1]) and r2.y[0] == 0.1
    assert {round(shape.y0, 3) for shape in fig.layout.shapes} == {0.683, 0.954}


def test_transfer_parity_hides_the_transfer_model_when_switched_off():
    result = {"y_test": [1.0, 2.0], "baseline_pred": [1.1, 2.2], "transfer_pred": [1.0, 2.1]}
    assert [t.name for t in transfer.parity(result, True, "y").data][:2] == [
        "without transfer",
        "with transfer",
    ]
    assert "with transfer" not in [t.name for t in transfer.parity(result, False, "y").data]


def test_importances_highlight_the_source_feature_with_its_rank():
    result = {
        "importances": [0.1, 0.6, 0.3],
        "feature_names": ["a", "source model: calc", "b"],
        "lv_ranks": {"source model: calc": 1},
    }
    bar = transfer.importances(result).data[0]
    assert bar.y[-1] == "source model: calc (#1)"


def test_missing_values_counts_per_column():
    frame = pd.DataFrame({"a": [1, None, None], "b": [1, 2, None], "c": [1, 2, 3]})
    bar = data_figures.missing_values(frame).data[0]
    assert list(bar.x) == ["a", "b"] and list(bar.y) == [2, 1]

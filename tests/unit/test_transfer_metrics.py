"""Metrics of transfer runs, checked against values worked out by hand."""

import math

import numpy as np
import pytest

from dashboard.engine.transfer import group_metrics, regression_metrics, zero_groups


def test_regression_metrics_match_a_hand_calculation():
    # errors 1, -1, 0, 2: MAE 4/4, RMSE sqrt(6/4); y mean 2.5, spread 5, R² = 1 - 6/5
    metrics = regression_metrics(np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 1.0, 3.0, 6.0]))
    assert metrics.mae == pytest.approx(1.0)
    assert metrics.rmse == pytest.approx(math.sqrt(1.5))
    assert metrics.r2 == pytest.approx(1 - 6 / 5)
    assert metrics.n == 4


def test_r2_of_constant_true_values_is_nan_not_an_error():
    metrics = regression_metrics(np.array([0.0, 0.0]), np.array([0.5, -0.5]))
    assert math.isnan(metrics.r2)
    assert metrics.mae == pytest.approx(0.5)


def test_metrics_refuse_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="1-D arrays of one length"):
        regression_metrics(np.zeros(3), np.zeros(2))


def test_zero_groups_split_metals_from_non_metals():
    labels = zero_groups(np.array([0.0, 1.2, 0.0, 3.4]))
    assert labels.tolist() == ["= 0", "≠ 0", "= 0", "≠ 0"]


def test_group_metrics_are_computed_within_each_group():
    y = np.array([0.0, 0.0, 1.0, 3.0])
    predictions = {"baseline": np.array([0.5, 0.1, 2.0, 3.0]), "transfer": y.copy()}
    rows = group_metrics(y, predictions, zero_groups(y))
    table = {(r.group, r.model): r.metrics for r in rows}
    assert table[("= 0", "baseline")].mae == pytest.approx(0.3)  # (0.5 + 0.1) / 2
    assert table[("= 0", "baseline")].rmse == pytest.approx(math.sqrt((0.25 + 0.01) / 2))
    assert table[("≠ 0", "baseline")].mae == pytest.approx(0.5)  # (1 + 0) / 2
    assert table[("≠ 0", "baseline")].r2 == pytest.approx(1 - 1 / 2)  # spread of (1, 3) is 2
    assert table[("≠ 0", "transfer")].mae == 0.0
    assert [r.metrics.n for r in rows] == [2, 2, 2, 2]


def test_group_metrics_accept_any_labels_and_sort_them():
    y = np.array([1.0, 2.0, 3.0])
    rows = group_metrics(y, {"m": y + 1}, np.array(["oxide", "alloy", "oxide"]))
    assert [(r.group, r.metrics.n) for r in rows] == [("alloy", 1), ("oxide", 2)]
    assert rows[0].to_dict() == {
        "group": "alloy",
        "model": "m",
        "r2": rows[0].metrics.r2,
        "mae": 1.0,
        "rmse": 1.0,
        "n": 1,
    }

"""The Transfer Learning page's results as text: metric cards and the per-group table."""

from __future__ import annotations

from dashboard.pages.transfer_learning.results import group_table, metric_cards
from tests.callbacks.test_data_page import text_of


def _result(unit: str) -> dict:
    return {
        "unit": unit,
        "baseline": {"r2": 0.73, "mae": 1.23, "rmse": 2.11},
        "transfer": {"r2": 0.77, "mae": 1.148, "rmse": 1.955},
    }


def test_the_error_cards_name_the_target_unit_and_r2_has_none():
    titles = [text_of(card).split(" ")[0:2] for card in metric_cards(_result("kcal/mol"), True)]
    assert titles == [["R²", "0.770"], ["MAE", "(kcal/mol)"], ["RMSE", "(kcal/mol)"]]


def test_without_a_unit_the_cards_name_the_metric_alone():
    assert text_of(metric_cards(_result(""), True)[1]).startswith("MAE 1.148")


def test_without_groups_the_table_says_when_there_would_be_some():
    """'No grouping for this target.' left a student asking what a grouping is."""
    note = text_of(group_table({"group_metrics": None}, True))
    assert note.startswith("No groups for this target:")
    assert "metals among band gaps" in note


def test_a_lower_error_is_written_with_the_verdicts_minus_sign():
    mae_card = text_of(metric_cards(_result("kcal/mol"), True)[1])
    assert "−0.082 vs without transfer" in mae_card and "-0.082" not in mae_card

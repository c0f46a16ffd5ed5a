"""Roles a user edits are checked in words about the roles; an upload's words stay its own."""

from __future__ import annotations

from dataclasses import replace

from dashboard.engine.data.upload.result import apply_roles
from tests.unit.test_upload import csv_text, parse

REACTIONS = [
    ("KOAc", "DMAc", 105, 5.47, 0.146),
    ("KOAc", "DMF", 120, 0.0, 0.043),
    ("CsOAc", "DMAc", 105, 78.95, 0.269),
    ("CsOAc", "DMF", 120, 12.8, 0.032),
    ("KOPiv", "DMAc", 105, 28.15, 0.026),
    ("KOPiv", "DMF", 120, 77.4, 0.035),
]
HEADER = ("base", "solvent", "temperature", "yield", "cost")


def reactions():
    result = parse(csv_text(REACTIONS, HEADER))
    assert result.roles.target_columns == ["yield", "cost"]
    return result


def without(result, **roles):
    """The detected roles with some replaced, checked as a user's edit."""
    return apply_roles(result.table, replace(result.roles, **roles), edited=True)


def messages(result) -> list[str]:
    return [p.message for p in result.problems]


def test_an_edit_without_targets_asks_for_one_of_the_free_numeric_columns():
    again = without(reactions(), target_columns=[])
    assert messages(again) == [
        "Choose at least one target: a numeric column to predict (yield, cost)."
    ]


def test_an_edit_whose_numbers_are_all_inputs_says_to_move_one():
    again = without(reactions(), target_columns=[], feature_columns=["temperature", "yield"])
    assert messages(again) == ["Choose at least one target: a numeric column to predict (cost)."]
    again = without(
        reactions(), target_columns=[], feature_columns=["temperature", "yield", "cost"]
    )
    assert messages(again) == [
        "Choose at least one target: a numeric column to predict; every numeric column is an "
        "input now (temperature, yield, cost): move one."
    ]


def test_an_edit_without_inputs_asks_for_one_of_the_free_columns():
    again = without(reactions(), categorical_columns=[], feature_columns=[])
    assert messages(again) == [
        "Choose at least one input: a structure, categorical or numeric column to learn from "
        "(base, solvent, temperature)."
    ]


def test_the_same_roles_from_an_upload_keep_the_upload_s_words():
    result = reactions()
    said = messages(apply_roles(result.table, replace(result.roles, target_columns=[])))
    assert len(said) == 1 and said[0].startswith("No numeric column to predict (target)")

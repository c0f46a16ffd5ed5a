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


LIGANDS = {"PPh3": "c1ccc(P(c2ccccc2)c2ccccc2)cc1", "PCy3": "C1CCC(P(C2CCCCC2)C2CCCCC2)CC1"}
LIGAND_ROWS = [
    (name, LIGANDS[name], base, y)
    for (name, base), y in zip(
        [(n, b) for n in LIGANDS for b in ("KOAc", "CsOAc", "KOPiv")],
        [5.1, 12.0, 30.2, 44.0, 61.3, 70.8],
        strict=True,
    )
]
LIGAND_HEADER = ("ligand", "ligand_smiles", "base", "yield")
TWICE = (
    "Columns 'ligand' and 'ligand_smiles' are the same choice: 'ligand' names the structures of "
    "'ligand_smiles', one name each, so as two inputs the choice is counted twice and weighs "
    "double in a model. Keep one of them as an input unless that is meant."
)


def ligands():
    result = parse(csv_text(LIGAND_ROWS, LIGAND_HEADER))
    assert result.roles.structure_columns == ["ligand_smiles"]
    assert "ligand" in result.roles.unused and result.roles.categorical_columns == ["base"]
    return result


def test_a_name_column_made_an_input_beside_its_structures_is_noted_as_counted_twice():
    again = without(ligands(), categorical_columns=["ligand", "base"])
    assert again.ok
    assert again.dataset.categorical_columns == ["ligand", "base"]
    assert TWICE in [w.message for w in again.warnings]


def test_a_name_column_instead_of_its_structures_is_not_noted():
    again = without(
        ligands(),
        structure_columns=[],
        structure_column=None,
        structure_kind="none",
        categorical_columns=["ligand", "base"],
    )
    assert again.ok
    assert not any("same choice" in w.message for w in again.warnings)

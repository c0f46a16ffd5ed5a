"""Descriptors: numeric inputs that follow from a label (a ligand's HOMO), told apart from
settings chosen on their own (a concentration)."""

from __future__ import annotations

import pandas as pd

from dashboard.engine.active_learning.descriptors import descriptor_columns


def test_a_ligands_descriptors_follow_from_it_and_a_concentration_does_not():
    frame = pd.DataFrame(
        {
            "ligand": ["L1", "L1", "L2", "L2", "L3", "L3"],
            "solvent": ["A", "B", "A", "B", "A", "B"],
            "homo": [-0.2, -0.2, -0.3, -0.3, -0.1, -0.1],
            "concentration": [0.1, 0.2, 0.1, 0.2, 0.2, 0.1],
            "temperature": [25, 25, 25, 25, 25, 25],  # the same everywhere: a setting
        }
    )
    numbers = ["concentration", "homo", "temperature"]
    assert descriptor_columns(frame, ["ligand", "solvent"], numbers) == ["homo"]


def test_a_label_unique_to_each_row_makes_nothing_a_descriptor():
    frame = pd.DataFrame({"name": ["a", "b", "c"], "x": [1.0, 2.0, 3.0]})
    assert descriptor_columns(frame, ["name"], ["x"]) == []

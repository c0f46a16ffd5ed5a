"""Which numeric inputs describe a label instead of being chosen: a ligand's HOMO, LUMO and cone
angle follow from the ligand, a concentration does not. A list of picks can then name what to run
(the ligand, the concentration) and leave the ligand's 22 descriptors (EDBO+) to a download."""

from __future__ import annotations

import pandas as pd

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.wording import counted

MAX_SETTINGS = 8
"""Numeric settings a list of picks shows at most (a download or campaign file has them all)."""


def descriptor_columns(frame: pd.DataFrame, labels: list[str], numbers: list[str]) -> list[str]:
    """The columns of `numbers` whose value follows from one column of `labels` (each label one
    value, and not the same everywhere), in the order of `numbers`. A label column with a
    different value on every row is skipped: everything would follow from it."""
    found: set[str] = set()
    for label in labels:
        codes, uniques = pd.factorize(frame[label])
        varying = [c for c in numbers if c not in found and frame[c].nunique(dropna=False) > 1]
        if len(uniques) >= len(frame) or not varying:
            continue
        spread = frame[varying].groupby(codes).nunique(dropna=False).max()
        found.update(spread.index[spread <= 1])
    return [c for c in numbers if c in found]


def pick_inputs(dataset: Dataset) -> tuple[list[str], list[str], list[str]]:
    """The inputs beside each pick: structures, labels and up to MAX_SETTINGS numeric settings
    to show; then, left to a download so that the list stays readable, the other settings and
    the descriptors that follow from a label (EDBO+'s 22 of each ligand)."""
    labels = [*dataset.structure_columns, *dataset.categorical_columns]
    described = descriptor_columns(dataset.frame, labels, dataset.feature_columns)
    settings = [c for c in dataset.feature_columns if c not in described]
    return labels + settings[:MAX_SETTINGS], settings[MAX_SETTINGS:], described


def not_shown(more: list[str], described: list[str]) -> str:
    """What a list of picks leaves out (see `pick_inputs`), in words: '22 descriptors of the
    labels shown and 3 more settings'; '' when nothing is."""
    parts = [f"{counted(len(described), 'descriptor')} of the labels shown"] if described else []
    return " and ".join([*parts, *([counted(len(more), "more setting")] if more else [])])

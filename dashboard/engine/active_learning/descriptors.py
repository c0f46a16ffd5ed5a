"""Which numeric inputs describe a label instead of being chosen: a ligand's HOMO, LUMO and cone
angle follow from the ligand, a concentration does not. A list of picks can then name what to run
(the ligand, the concentration) and leave the ligand's 22 descriptors (EDBO+) to a download."""

from __future__ import annotations

import pandas as pd


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

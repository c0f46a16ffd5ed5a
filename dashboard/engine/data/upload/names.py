"""What a column's name says: its unit, its normalised form, whether it names an outcome.

Shared by the typing of columns (an outcome column is read as numbers more readily) and the
detection of roles (a trailing outcome column is a target)."""

from __future__ import annotations

import re

UNIT = re.compile(r"[(\[]\s*([^()\[\]]{1,20}?)\s*[)\]]\s*$")
"""A trailing unit in brackets: 'gap (eV)', 'T [K]'."""
OUTCOME_WORDS = {
    "property",
    "output",
    "response",
    "objective",
    "target",
    "yield",
    "ee",
    "er",
    "conversion",
    "selectivity",
    "purity",
    "cost",
    "score",
    "loss",
    "toughness",
    "conductivity",
    "instability",
    "stability",
    "gap",
    "homo",
    "lumo",
    "energy",
    "enthalpy",
    "efficiency",
    "pce",
    "activity",
    "strength",
    "hardness",
    "modulus",
    "solubility",
    "expt",
    "calc",
    "measured",
}
"""Words that name what an experiment measures; a trailing numeric column with one is a target."""


def norm(name: str) -> str:
    """'Sample ID [-]' -> 'sample_id': lower case, units and punctuation removed."""
    name = UNIT.sub("", name).lower()
    return re.sub(r"[^0-9a-z]+", "_", name).strip("_")


def is_outcome(name: str) -> bool:
    """Holding a word of an outcome ('Yield (%)', 'Conductivity (measured)')."""
    return bool(set(norm(name).split("_")) & OUTCOME_WORDS)

"""Element property tables, read once from matminer and pymatgen at first use and kept in memory.

Taking the values from the libraries (rather than a copy in the repo) keeps the features equal
to matminer's, including its imputation of missing values by the mean over elements.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np

MAGPIE_PROPERTIES: tuple[str, ...] = (
    "Number",
    "MendeleevNumber",
    "AtomicWeight",
    "MeltingT",
    "Column",
    "Row",
    "CovalentRadius",
    "Electronegativity",
    "NsValence",
    "NpValence",
    "NdValence",
    "NfValence",
    "NValence",
    "NsUnfilled",
    "NpUnfilled",
    "NdUnfilled",
    "NfUnfilled",
    "NUnfilled",
    "GSvolume_pa",
    "GSbandgap",
    "GSmagmom",
    "SpaceGroupNumber",
)


@dataclass(frozen=True)
class ElementTables:
    """Per-element arrays, row i for `symbols[i]` (pymatgen's Element order, i.e. Z - 1).

    `magpie`: the MAGPIE_PROPERTIES columns of matminer's MagpieData (NaN imputed as matminer
    does); `electronegativity`: pymatgen's X as matminer's PymatgenData gives it (imputed);
    `oxidation_states`: pymatgen's common oxidation states, padded with 0 past
    `n_oxidation_states`.
    """

    symbols: tuple[str, ...]
    index: dict[str, int]
    magpie: np.ndarray
    electronegativity: np.ndarray
    oxidation_states: np.ndarray
    n_oxidation_states: np.ndarray


@functools.cache
def element_tables() -> ElementTables:
    """Build the tables from matminer's MagpieData and PymatgenData (about 2 s, once a process)."""
    from matminer.utils.data import MagpieData, PymatgenData
    from pymatgen.core import Element

    elements = list(Element)
    magpie = MagpieData(impute_nan=True).all_elemental_props
    pymatgen_data = PymatgenData(impute_nan=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        electronegativity = [pymatgen_data.get_elemental_property(e, "X") for e in elements]
        states = [pymatgen_data.get_oxidation_states(e) for e in elements]
    padded = np.zeros((len(elements), max(map(len, states))), dtype=np.float64)
    for row, element_states in enumerate(states):
        padded[row, : len(element_states)] = element_states
    symbols = tuple(e.symbol for e in elements)
    return ElementTables(
        symbols=symbols,
        index={symbol: i for i, symbol in enumerate(symbols)},
        magpie=np.array(
            [[magpie[prop][e.symbol] for prop in MAGPIE_PROPERTIES] for e in elements],
            dtype=np.float64,
        ),
        electronegativity=np.asarray(electronegativity, dtype=np.float64),
        oxidation_states=padded,
        n_oxidation_states=np.array([len(s) for s in states], dtype=np.int64),
    )

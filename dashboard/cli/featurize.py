"""`python -m dashboard bench featurize`: speed of our featurisers against the usual references.

Compositions are compared with matminer's own featurizers on a sample (they are slow), SMILES
with RDKit's classic per-molecule recipe; both comparisons also check that the numbers agree.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.engine.data.builtin import load
from dashboard.engine.features.composition import composition_features
from dashboard.engine.features.elements import element_tables
from dashboard.engine.features.molecules import PARALLEL_WORKERS, ecfp, rdkit_descriptors

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
MP_GAP = SHARED_DATA / "matbench_mp_gap.csv"
COMPOSITION_TARGET = (100_000, 10.0)
SMILES_TARGET = (10_000, 3.0)
DESCRIPTOR_TARGET = (10_000, 10.0)
"""Issue 12: a fresh server's first qm9 campaign computes these descriptors before it starts."""


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `bench featurize` benchmark."""
    parser = bench.add_parser("featurize", help="featuriser speed: ours against matminer / RDKit")
    parser.add_argument(
        "--n-compositions", type=int, default=100_000, metavar="N", help="formulas we featurise"
    )
    parser.add_argument("--n-smiles", type=int, default=10_000, metavar="N", help="SMILES for ECFP")
    parser.add_argument(
        "--matminer-sample", type=int, default=2000, metavar="N", help="formulas run by matminer"
    )
    parser.add_argument(
        "--n-descriptors",
        type=int,
        default=10_000,
        metavar="N",
        help="SMILES for RDKit descriptors",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run both benchmarks and print the rates; returns 0."""
    print(f"featuriser benchmark, {os.cpu_count()} CPU(s), wall-clock times, one process")
    bench_compositions(args.n_compositions, args.matminer_sample)
    bench_smiles(args.n_smiles, args.n_descriptors)
    return 0


def bench_compositions(n: int, matminer_sample: int) -> None:
    """Time composition_features on n real formulas and matminer on the first matminer_sample."""
    formulas, source = real_formulas(n)
    print(f"\ncompositions: {len(formulas):,} formulas, {source}")
    _, table_seconds = _timed(element_tables)
    (X, _, valid), seconds = _timed(lambda: composition_features(formulas))
    ours = len(formulas) / seconds
    print(f"  ours      {ours:12,.0f} /s  ({seconds:.2f} s; {valid.sum():,} valid)")
    print(f"            element tables read from matminer/pymatgen once: {table_seconds:.2f} s")
    _print_target(len(formulas), seconds, COMPOSITION_TARGET)
    sample = formulas[:matminer_sample]
    reference, matminer_seconds = _matminer_features(sample)
    theirs = len(sample) / matminer_seconds
    print(f"  matminer  {theirs:12,.0f} /s  ({matminer_seconds:.2f} s for {len(sample):,})")
    print(f"  ratio     {ours / theirs:12,.0f} x")
    same = np.isclose(X[: len(sample)], reference, rtol=1e-6, atol=0, equal_nan=True).all(axis=1)
    print(f"  same values as matminer (rtol 1e-6): {same.sum():,} of {len(sample):,} rows")


def bench_smiles(n: int, n_descriptors: int) -> None:
    """Time ecfp on n SMILES against RDKit's per-molecule loop, and the descriptors on a few."""
    smiles = _repeated(load("qm9").frame["smiles"].tolist(), n)
    print(f"\nSMILES: {len(smiles):,} from the built-in qm9 dataset")
    (bits, _), seconds = _timed(lambda: ecfp(smiles))
    ours = len(smiles) / seconds
    print(f"  ours      {ours:12,.0f} /s  ({seconds:.2f} s; MorganGenerator radius 2, 2048 bits)")
    _print_target(len(smiles), seconds, SMILES_TARGET)
    reference, reference_seconds = _classic_ecfp(smiles)
    theirs = len(smiles) / reference_seconds
    print(
        f"  reference {theirs:12,.0f} /s  ({reference_seconds:.2f} s; per molecule: MolFromSmiles, "
        "GetMorganFingerprintAsBitVect, ConvertToNumpyArray)"
    )
    print(f"  ratio     {ours / theirs:12,.1f} x")
    print(f"  identical bits: {'yes' if np.array_equal(bits, reference) else 'NO'}")
    if n_descriptors > 0:
        sample = smiles[:n_descriptors]
        _, descriptor_seconds = _timed(lambda: rdkit_descriptors(sample))
        print(
            f"  RDKit 2-D descriptors (option): {len(sample) / descriptor_seconds:,.0f} /s "
            f"({descriptor_seconds:.2f} s for {len(sample):,}; {PARALLEL_WORKERS} processes)"
        )
        _print_target(len(sample), descriptor_seconds, DESCRIPTOR_TARGET)


def real_formulas(n: int) -> tuple[list[str], str]:
    """n formulas: Matbench mp_gap's when the shared data are there, else expt-gap repeated."""
    if MP_GAP.exists():
        formulas = pd.read_csv(MP_GAP)["formula"].tolist()
        source = f"first of {MP_GAP.resolve()}"
    else:
        formulas = load("expt-gap").frame["formula"].tolist()
        source = f"{MP_GAP} is absent: the built-in expt-gap formulas"
    if n > len(formulas):
        source += f", repeated ({len(formulas):,} distinct rows)"
    return _repeated(formulas, n), source


def _repeated(values: list, n: int) -> list:
    """The first n of `values`, cycling through it again when it is shorter."""
    return [values[i % len(values)] for i in range(n)]


def _timed(task: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = task()
    return result, time.perf_counter() - start


def _print_target(n: int, seconds: float, target: tuple[int, float]) -> None:
    target_n, target_seconds = target
    projected = seconds * target_n / n
    verdict = "met" if projected < target_seconds else "NOT met"
    print(f"  target    {target_n:,} in < {target_seconds:.0f} s: {verdict} ({projected:.2f} s)")


def _matminer_features(formulas: list[str]) -> tuple[np.ndarray, float]:
    """matminer's features of the seed study per formula (NaN rows where it fails), and seconds."""
    from matminer.featurizers.base import MultipleFeaturizer
    from matminer.featurizers.composition import (
        ElementProperty,
        IonProperty,
        Stoichiometry,
        ValenceOrbital,
    )
    from pymatgen.core import Composition

    featurizer = MultipleFeaturizer(
        [
            Stoichiometry(),
            ElementProperty.from_preset("magpie"),
            ValenceOrbital(props=["avg"]),
            IonProperty(fast=True),
        ]
    )
    rows = []
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for formula in formulas:
            try:
                rows.append(featurizer.featurize(Composition(formula)))
            except Exception:  # matminer's ignore_errors: a failed row is NaN
                rows.append([np.nan] * len(featurizer.feature_labels()))
    return np.array(rows, dtype=np.float64), time.perf_counter() - start


def _classic_ecfp(smiles: list[str]) -> tuple[np.ndarray, float]:
    """ECFP4 bits the classic way, one molecule at a time, and the seconds it took."""
    from rdkit import Chem, DataStructs
    from rdkit.Chem import AllChem
    from rdkit.rdBase import BlockLogs

    bits = np.zeros((len(smiles), 2048), dtype=np.uint8)
    start = time.perf_counter()
    with BlockLogs():
        for row, text in enumerate(smiles):
            mol = Chem.MolFromSmiles(text)
            if mol is not None:
                fingerprint = AllChem.GetMorganFingerprintAsBitVect(mol, 2, nBits=2048)
                DataStructs.ConvertToNumpyArray(fingerprint, bits[row])
    return bits, time.perf_counter() - start

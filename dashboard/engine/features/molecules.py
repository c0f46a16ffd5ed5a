"""SMILES -> ECFP bits (RDKit's Morgan fingerprint generator) or 2-D descriptors: RDKit's own
plus a few ring-topology counts that RDKit's list lacks."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context

import numpy as np
from rdkit import Chem
from rdkit.Chem import Descriptors, Graphs, rdFingerprintGenerator, rdMolDescriptors
from rdkit.Chem.EState import EState, EState_VSA
from rdkit.ML.InfoTheory import entropy
from rdkit.rdBase import BlockLogs

# Descriptor values beyond this size (e.g. Ipc of large molecules) are treated as missing: they
# carry no usable scale for the models and overflow float32 in some of them.
DESCRIPTOR_LIMIT = 1e12
RING_SIZES = (3, 4, 5, 6)
CHUNK_ROWS = 500
PARALLEL_WORKERS = min(2, os.cpu_count() or 1)
"""Processes that compute descriptors of large lists; the machines this runs on have 2 cores."""
DESCRIPTOR_VERSION = 2
"""Part of the feature cache's key: raise it when the descriptors' columns or values change, so
that features cached before are not read for the new set."""
_BCUT_NAMES = (
    "BCUT2D_MWHI",
    "BCUT2D_MWLOW",
    "BCUT2D_CHGHI",
    "BCUT2D_CHGLO",
    "BCUT2D_LOGPHI",
    "BCUT2D_LOGPLOW",
    "BCUT2D_MRHI",
    "BCUT2D_MRLOW",
)
"""The order of rdMolDescriptors.BCUT2D's eight values."""
LEFT_OUT = frozenset({"qed", "SPS"})
"""RDKit descriptors not computed: 23 % of the time of all of them on QM9, two columns that
the others mostly spell out already (see `rdkit_descriptors`)."""
_DESCRIPTORS = [(name, f) for name, f in Descriptors._descList if name not in LEFT_OUT]


def parse_smiles(smiles: Sequence[object]) -> list[Chem.Mol | None]:
    """RDKit molecules, None where the text is not a SMILES RDKit can read or has no atoms."""
    with BlockLogs():
        mols = [Chem.MolFromSmiles(s) if isinstance(s, str) else None for s in smiles]
    return [m if m is not None and m.GetNumAtoms() > 0 else None for m in mols]


@functools.cache
def _morgan_generator(radius: int, n_bits: int) -> rdFingerprintGenerator.FingerprintGenerator64:
    return rdFingerprintGenerator.GetMorganGenerator(radius=radius, fpSize=n_bits)


def ecfp(
    smiles: Sequence[object], radius: int = 2, n_bits: int = 2048
) -> tuple[np.ndarray, np.ndarray]:
    """Morgan/ECFP bits of each SMILES: (X uint8 (n, n_bits), valid (n,)); invalid rows are 0.

    Radius 2 gives ECFP4 (Rogers & Hahn 2010), the usual choice for property models. SMILES
    are parsed CHUNK_ROWS at a time: 100,000 RDKit molecules alive at once take about 0.5 GB.
    """
    generator = _morgan_generator(radius, n_bits)
    bits = np.zeros((len(smiles), n_bits), dtype=np.uint8)
    valid = np.zeros(len(smiles), dtype=bool)
    for first in range(0, len(smiles), CHUNK_ROWS):
        for row, mol in enumerate(parse_smiles(smiles[first : first + CHUNK_ROWS]), first):
            if mol is not None:
                bits[row] = generator.GetFingerprintAsNumPy(mol)
                valid[row] = True
    return bits, valid


def ecfp_names(radius: int = 2, n_bits: int = 2048) -> list[str]:
    """Column names of `ecfp`: ecfp4_0 ... ecfp4_2047 for the defaults."""
    return [f"ecfp{2 * radius}_{bit}" for bit in range(n_bits)]


def descriptor_names() -> list[str]:
    """Names of the descriptors `rdkit_descriptors` returns, in order: RDKit's 2-D descriptors
    but LEFT_OUT, then the ring-topology counts of `ring_counts`."""
    return [name for name, _ in _DESCRIPTORS] + ring_count_names()


def ring_count_names() -> list[str]:
    """Names of `ring_counts`' columns."""
    return [f"Rings{size}" for size in RING_SIZES] + ["Rings7plus", "FusedRingAtoms"]


def ring_counts(mol: Chem.Mol) -> list[int]:
    """Rings of 3, 4, 5, 6 and 7+ atoms (RDKit's smallest set of smallest rings) and the atoms
    shared by two or more rings.

    Why: RDKit's descriptors count rings but not their sizes, so a strained three- or
    four-membered ring looks like any other ring. On qm9's LUMO the highest values are cages
    with small rings, and adding these counts raised the median top-100 recall of `bench al`'s
    GP with top-q batches from 0.85 to 0.88 (seeds 0-19).
    """
    info = mol.GetRingInfo()
    sizes = [len(ring) for ring in info.AtomRings()]
    counts = [sizes.count(size) for size in RING_SIZES]
    counts.append(sum(size > RING_SIZES[-1] for size in sizes))
    counts.append(sum(info.NumAtomRings(atom.GetIdx()) > 1 for atom in mol.GetAtoms()))
    return counts


def rdkit_descriptors(
    smiles: Sequence[object], progress: Callable[[float], None] | None = None
) -> tuple[np.ndarray, list[str], np.ndarray]:
    """RDKit's 2-D descriptors but LEFT_OUT (215) and the ring counts: (X float64 (n, d),
    names, valid (n,)). They take about 1.7 ms a QM9 molecule, so large lists are split over
    PARALLEL_WORKERS processes and `progress(fraction done)` is called as chunks of CHUNK_ROWS
    finish.

    Sanitised for models: a value that RDKit cannot compute, that is not finite or whose size
    exceeds DESCRIPTOR_LIMIT becomes the median of its column over the valid rows (0 when no
    valid row has a usable value). Invalid rows are NaN.

    Why these: leaving out the costliest 98 (qed, SPS, BCUT2D, Ipc, AvgIpc, BertzCT and the
    85 fr_ counts: 59 % of the time) made them 2.5 times faster but every benchmark worse: qm9
    LUMO top-100 recall -0.017 on average (seeds 0-19, 12 worse, 5 better), FreeSolv MAE 0.560 ->
    0.572 kcal/mol (80/20 splits 42-46), Suzuki best yield in 9/20 runs instead of 13/20.
    Leaving out only qed and SPS (23 % of the time: 10,000 QM9 molecules 11.4 -> 8.4 s on two
    processes, 14.3 -> 10.0 s in a slower hour) changed none beyond its seed-to-seed spread: qm9 recall (median of seeds 0-19)
    0.88 -> 0.89, FreeSolv MAE 0.560 -> 0.562, best yield in 20 seeds on direct arylation
    (SMILES) 19 -> 20, Buchwald-Hartwig 19 -> 20, Suzuki 13 -> 12. Also tried and kept: without
    the fr_ counts (20 % of the time) qm9 recall fell 0.89 -> 0.87 (median); without BCUT2D,
    Ipc, AvgIpc and BertzCT (27 %) it fell by 0.014 on average (14 of 20 seeds worse), direct
    arylation reached the best yield in 17 instead of 20 runs and Suzuki in 14 instead of 11.
    """
    texts = [s if isinstance(s, str) else None for s in smiles]
    chunks = [texts[i : i + CHUNK_ROWS] for i in range(0, len(texts), CHUNK_ROWS)]
    names = descriptor_names()
    values = np.empty((len(texts), len(names)))
    done = 0
    for part in _chunk_results(chunks):
        values[done : done + len(part)] = part
        done += len(part)
        if progress is not None:
            progress(done / len(texts))
    valid = ~np.isnan(values).all(axis=1)  # a parsed molecule always has its ring counts
    return sanitise_descriptors(values, valid), names, valid


def _chunk_results(chunks: list[list[str | None]]) -> Iterator[np.ndarray]:
    """Descriptors of each chunk, in order: in worker processes when there are several chunks
    and processes can be started here, else (e.g. inside a daemonic job worker, or if a worker
    dies) in this process."""
    if len(chunks) < 2 or PARALLEL_WORKERS < 2:
        yield from map(_chunk_descriptors, chunks)
        return
    done = 0
    try:
        with ProcessPoolExecutor(PARALLEL_WORKERS, mp_context=get_context("fork")) as pool:
            futures = [pool.submit(_chunk_descriptors, chunk) for chunk in chunks]
            for future in futures:
                yield future.result()
                done += 1
    except (AssertionError, OSError, BrokenProcessPool):
        yield from map(_chunk_descriptors, chunks[done:])


def _chunk_descriptors(smiles: list[str | None]) -> np.ndarray:
    """Raw descriptor values of a list of SMILES (NaN rows where a SMILES does not parse)."""
    values = np.full((len(smiles), len(descriptor_names())), np.nan)
    with BlockLogs():
        for row, mol in enumerate(parse_smiles(smiles)):
            if mol is not None:
                values[row] = _mol_descriptors(mol)
    return values


def _mol_descriptors(mol: Chem.Mol) -> list[float]:
    """What `Descriptors.CalcMolDescriptors` gives but LEFT_OUT (NaN where a descriptor fails),
    computing shared intermediate results once (see _SHARED), then the ring counts."""
    known: dict[str, float] = {}
    for names, function in _SHARED:
        known.update(zip(names, _group(function, mol, len(names)), strict=True))
    values = [
        known[name] if name in known else _single(function, mol) for name, function in _DESCRIPTORS
    ]
    return values + ring_counts(mol)


def _single(function: Callable[[Chem.Mol], float], mol: Chem.Mol) -> float:
    """function(mol), or NaN where RDKit raises (as its missingVal does)."""
    try:
        return function(mol)
    except Exception:  # RDKit raises assorted errors on odd molecules
        return np.nan


def _group(
    function: Callable[[Chem.Mol], Sequence[float]], mol: Chem.Mol, size: int
) -> list[float]:
    """function(mol) as a list, or `size` NaNs where RDKit raises."""
    try:
        return list(function(mol))
    except Exception:  # e.g. no Gasteiger charges for an element: every BCUT is missing
        return [np.nan] * size


def _numbered(prefix: str) -> tuple[str, ...]:
    """RDKit's descriptors named prefix1, prefix2, ...: the bins of one vector, in bin order."""
    names = [name for name, _ in Descriptors._descList if re.fullmatch(rf"{prefix}\d+", name)]
    return tuple(sorted(names, key=lambda name: int(name[len(prefix) :])))


def _estate_extremes(mol: Chem.Mol) -> tuple[float, ...]:
    """MaxAbsEStateIndex, MaxEStateIndex, MinAbsEStateIndex, MinEStateIndex from one set of
    E-state indices (RDKit computes the indices anew for each of the four)."""
    indices = EState.EStateIndices(mol)
    return (
        max(abs(x) for x in indices),
        max(indices),
        min(abs(x) for x in indices),
        min(indices),
    )


def _ipc(mol: Chem.Mol) -> tuple[float, float]:
    """AvgIpc and Ipc from one characteristic polynomial, as GraphDescriptors.Ipc computes it."""
    distances = Chem.GetDistanceMatrix(mol, False)
    polynomial = abs(Graphs.CharacteristicPolynomial(mol, np.equal(distances, 1)))
    average = entropy.InfoEntropy(polynomial)
    return average, sum(polynomial) * average


@functools.cache
def _density_generator(radius: int) -> rdFingerprintGenerator.FingerprintGenerator64:
    return rdFingerprintGenerator.GetMorganGenerator(radius)


def _fingerprint_densities(mol: Chem.Mol) -> list[float]:
    """FpDensityMorgan1-3 with generators made once (RDKit makes one for every molecule)."""
    heavy = mol.GetNumHeavyAtoms()
    counts = [
        len(_density_generator(radius).GetSparseCountFingerprint(mol).GetNonzeroElements())
        for radius in (1, 2, 3)
    ]
    return [float(count) / heavy if heavy else 0.0 for count in counts]


_SHARED: tuple[tuple[tuple[str, ...], Callable[[Chem.Mol], Sequence[float]]], ...] = (
    (_BCUT_NAMES, rdMolDescriptors.BCUT2D),
    (
        ("MaxAbsEStateIndex", "MaxEStateIndex", "MinAbsEStateIndex", "MinEStateIndex"),
        _estate_extremes,
    ),
    (("AvgIpc", "Ipc"), _ipc),
    (("FpDensityMorgan1", "FpDensityMorgan2", "FpDensityMorgan3"), _fingerprint_densities),
    (("MolLogP", "MolMR"), lambda mol: rdMolDescriptors.CalcCrippenDescriptors(mol)),
    (_numbered("SMR_VSA"), lambda mol: rdMolDescriptors.SMR_VSA_(mol, force=False)),
    (_numbered("SlogP_VSA"), lambda mol: rdMolDescriptors.SlogP_VSA_(mol, force=False)),
    (_numbered("PEOE_VSA"), lambda mol: rdMolDescriptors.PEOE_VSA_(mol, force=False)),
    (_numbered("EState_VSA"), lambda mol: EState_VSA.EState_VSA_(mol, force=False)),
    (_numbered("VSA_EState"), lambda mol: EState_VSA.VSA_EState_(mol, force=False)),
)
"""Descriptors computed together, each group from intermediate results that RDKit's own
functions compute again for every member: the same numbers, once."""


def sanitise_descriptors(values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Replace each non-finite or oversized value among `rows` (default: all) by its column's
    median of usable values there (0 when there is none); in place, a column at a time, so that
    100,000 molecules' descriptors (177 MB) are never copied whole. Returns `values`."""
    rows = slice(None) if rows is None else rows
    for j in range(values.shape[1]):
        column = values[rows, j]
        usable = np.isfinite(column) & (np.abs(column) <= DESCRIPTOR_LIMIT)
        if not usable.all():
            column[~usable] = np.median(column[usable]) if usable.any() else 0.0
            values[rows, j] = column
    return values

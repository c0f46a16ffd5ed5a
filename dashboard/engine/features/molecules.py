"""SMILES -> ECFP bits (RDKit's Morgan fingerprint generator) or RDKit's 2-D descriptors."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from rdkit import Chem
from rdkit.Chem import Descriptors, rdFingerprintGenerator
from rdkit.rdBase import BlockLogs

# Descriptor values beyond this size (e.g. Ipc of large molecules) are treated as missing: they
# carry no usable scale for the models and overflow float32 in some of them.
DESCRIPTOR_LIMIT = 1e12


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

    Radius 2 gives ECFP4 (Rogers & Hahn 2010), the usual choice for property models.
    """
    mols = parse_smiles(smiles)
    generator = _morgan_generator(radius, n_bits)
    bits = np.zeros((len(mols), n_bits), dtype=np.uint8)
    for row, mol in enumerate(mols):
        if mol is not None:
            bits[row] = generator.GetFingerprintAsNumPy(mol)
    return bits, np.array([m is not None for m in mols], dtype=bool)


def ecfp_names(radius: int = 2, n_bits: int = 2048) -> list[str]:
    """Column names of `ecfp`: ecfp4_0 ... ecfp4_2047 for the defaults."""
    return [f"ecfp{2 * radius}_{bit}" for bit in range(n_bits)]


def descriptor_names() -> list[str]:
    """Names of RDKit's 2-D descriptors, in the order `rdkit_descriptors` returns them."""
    return [name for name, _ in Descriptors._descList]


def rdkit_descriptors(smiles: Sequence[object]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """RDKit's 2-D descriptors (about 200): (X float64 (n, d), names, valid (n,)).

    Sanitised for models: a value that RDKit cannot compute, that is not finite or whose size
    exceeds DESCRIPTOR_LIMIT becomes the median of its column over the valid rows (0 when no
    valid row has a usable value). Invalid rows are NaN.
    """
    mols = parse_smiles(smiles)
    names = descriptor_names()
    values = np.full((len(mols), len(names)), np.nan)
    with BlockLogs():
        for row, mol in enumerate(mols):
            if mol is not None:
                computed = Descriptors.CalcMolDescriptors(mol, missingVal=np.nan)
                values[row] = [computed[name] for name in names]
    valid = np.array([m is not None for m in mols], dtype=bool)
    values[valid] = sanitise_descriptors(values[valid])
    return values, names, valid


def sanitise_descriptors(values: np.ndarray) -> np.ndarray:
    """Replace non-finite and oversized values by their column's median of usable values."""
    values = np.where(np.isfinite(values) & (np.abs(values) <= DESCRIPTOR_LIMIT), values, np.nan)
    usable = ~np.isnan(values)
    medians = np.zeros(values.shape[1])
    has_usable = usable.any(axis=0)
    medians[has_usable] = np.nanmedian(values[:, has_usable], axis=0)
    return np.where(usable, values, medians)

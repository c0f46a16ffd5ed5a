"""Molecule features: ECFP bits from RDKit's Morgan generator and sanitised RDKit descriptors."""

from __future__ import annotations

import time

import numpy as np
import pytest
from rdkit import Chem
from rdkit.Chem import Descriptors, rdFingerprintGenerator

from dashboard.engine.data.builtin import load
from dashboard.engine.features import ecfp, ecfp_names, molecules, rdkit_descriptors
from dashboard.engine.features.molecules import (
    DESCRIPTOR_LIMIT,
    ring_count_names,
    ring_counts,
    sanitise_descriptors,
)

SMILES = ["CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "O=C=O", "[Na+].[Cl-]", "C1CC1C#N"]
INVALID = ["", "not a smiles", "C1CC", "c1cccc1", "Xx", None, 42]


def test_ecfp_has_2048_bits_equal_to_rdkits_generator():
    bits, valid = ecfp(SMILES)
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    assert bits.shape == (len(SMILES), 2048) and bits.dtype == np.uint8
    assert valid.all()
    for row, smiles in enumerate(SMILES):
        fingerprint = generator.GetFingerprint(Chem.MolFromSmiles(smiles))
        assert bits[row].sum() == fingerprint.GetNumOnBits()
        assert np.flatnonzero(bits[row]).tolist() == list(fingerprint.GetOnBits())


def test_ecfp_radius_and_size_are_parameters():
    bits, _ = ecfp(["CC(=O)Nc1ccc(O)cc1"], radius=1, n_bits=512)
    assert bits.shape == (1, 512)
    assert bits.sum() < ecfp(["CC(=O)Nc1ccc(O)cc1"], radius=3, n_bits=512)[0].sum()
    assert ecfp_names(1, 512)[:2] == ["ecfp2_0", "ecfp2_1"] and len(ecfp_names()) == 2048


def test_invalid_smiles_give_invalid_empty_rows_without_raising():
    bits, valid = ecfp([*INVALID, "CCO"])
    assert valid.tolist() == [False] * len(INVALID) + [True]
    assert bits[:-1].sum() == 0 and bits[-1].sum() > 0


def test_ecfp_of_10000_qm9_molecules_takes_under_3_seconds():
    smiles = load("qm9").frame["smiles"].tolist()
    start = time.process_time()
    _, valid = ecfp(smiles)
    assert time.process_time() - start < 3.0
    assert valid.sum() == len(smiles)


def test_descriptors_are_rdkits_with_their_names():
    values, names, valid = rdkit_descriptors(["CCO", "not a smiles"])
    rdkits = [name for name, _ in Descriptors._descList]
    assert names == [name for name in rdkits if name not in molecules.LEFT_OUT] + ring_count_names()
    assert set(rdkits) >= molecules.LEFT_OUT
    assert valid.tolist() == [True, False]
    assert values[0, names.index("MolWt")] == pytest.approx(46.069, abs=1e-3)
    assert np.isfinite(values[0]).all() and np.isnan(values[1]).all()


def test_descriptor_names_name_the_columns_once_each():
    values, names, _ = rdkit_descriptors(SMILES)
    assert names == molecules.descriptor_names()
    assert values.shape == (len(SMILES), len(names)) and len(set(names)) == len(names)


SHARED_CASES = [
    *SMILES,
    "[2H]C([2H])O",
    "C[Si](C)(C)C",
    "c1ccccc1[N+](=O)[O-]",
    "CC1=CC(=O)C=CC1=O",
]


@pytest.mark.parametrize("smiles", SHARED_CASES)
def test_descriptors_computed_together_equal_rdkits_own_functions(smiles):
    """MolLogP, the VSA bins, the E-state extremes, Ipc, qed and the rest of each group of
    `molecules._SHARED` are computed from one intermediate result: the same numbers as RDKit's
    functions one by one (NaN where those raise)."""
    names = molecules.descriptor_names()
    ours = molecules._mol_descriptors(Chem.MolFromSmiles(smiles))
    reference = Chem.MolFromSmiles(smiles)
    for group, _ in molecules._SHARED:
        for name in group:
            try:
                expected = dict(Descriptors._descList)[name](reference)
            except Exception:  # RDKit's own function fails here; ours must say missing
                expected = np.nan
            assert ours[names.index(name)] == pytest.approx(expected, rel=0, abs=0, nan_ok=True)


def test_every_shared_group_is_a_descriptor_of_rdkits_list():
    shared = [name for group, _ in molecules._SHARED for name in group]
    assert len(set(shared)) == len(shared)
    assert set(shared) <= set(molecules.descriptor_names())
    assert {"SMR_VSA10", "SlogP_VSA12", "PEOE_VSA14", "EState_VSA11", "VSA_EState10"} <= set(shared)


def test_unusable_descriptor_values_become_their_column_median():
    values = np.array(
        [
            [1.0, np.nan, 5.0],
            [3.0, np.nan, np.inf],
            [np.nan, np.nan, 2 * DESCRIPTOR_LIMIT],
            [2.0, np.nan, 7.0],
        ]
    )
    clean = sanitise_descriptors(values)
    assert clean[:, 0].tolist() == [1.0, 3.0, 2.0, 2.0]
    assert clean[:, 1].tolist() == [0.0] * 4
    assert clean[:, 2].tolist() == [5.0, 6.0, 6.0, 7.0]


@pytest.mark.parametrize(
    ("smiles", "expected"),
    [
        ("CCO", [0, 0, 0, 0, 0, 0]),
        ("C1CC1", [1, 0, 0, 0, 0, 0]),
        ("C1CC2CC12", [1, 1, 0, 0, 0, 2]),  # bicyclo[2.1.0]pentane: a 3- and a 4-ring, fused
        ("C1CCC2CCCCC2C1", [0, 0, 0, 2, 0, 2]),  # decalin
        ("C1CCCCCCC1", [0, 0, 0, 0, 1, 0]),  # cyclooctane counts as 7+
        ("c1ccccc1", [0, 0, 0, 1, 0, 0]),
    ],
)
def test_ring_counts_by_size_and_fused_atoms(smiles, expected):
    assert ring_counts(Chem.MolFromSmiles(smiles)) == expected
    values, names, _ = rdkit_descriptors([smiles])
    assert values[0, [names.index(n) for n in ring_count_names()]].tolist() == expected


def test_descriptors_report_their_progress_up_to_the_last_row(monkeypatch):
    monkeypatch.setattr(molecules, "CHUNK_ROWS", 2)
    heard: list[float] = []
    rdkit_descriptors(["CCO", "CC", "bad", "C1CC1", "O"], heard.append)
    assert heard == [0.4, 0.8, 1.0]


def test_descriptors_in_worker_processes_equal_those_of_one_process(monkeypatch):
    smiles = ["CCO", "c1ccccc1", "bad", "C1CC1", "CC(=O)O", "N#N", "CCN", "O"]
    monkeypatch.setattr(molecules, "CHUNK_ROWS", 3)
    parallel = rdkit_descriptors(smiles)
    monkeypatch.setattr(molecules, "PARALLEL_WORKERS", 1)
    serial = rdkit_descriptors(smiles)
    np.testing.assert_array_equal(parallel[0], serial[0])
    assert parallel[2].tolist() == serial[2].tolist() == [True, True, False, *[True] * 5]


def test_cached_descriptors_are_keyed_by_the_descriptor_version(monkeypatch):
    from dashboard.engine.features import dispatch

    qm9 = load("qm9")
    _, params = dispatch._featuriser_and_params(qm9, True, 2, 2048)
    monkeypatch.setattr(dispatch, "DESCRIPTOR_VERSION", molecules.DESCRIPTOR_VERSION + 1)
    _, renewed = dispatch._featuriser_and_params(qm9, True, 2, 2048)
    assert params["descriptor_version"] == molecules.DESCRIPTOR_VERSION and renewed != params
    assert "descriptor_version" not in dispatch._featuriser_and_params(qm9, False, 2, 2048)[1]

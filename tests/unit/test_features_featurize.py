"""featurize(dataset): the featuriser follows the structure kind; numeric columns are appended."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import FeatureMatrix, featurize


def composition_dataset(**roles) -> Dataset:
    frame = pd.DataFrame(
        {
            "formula": ["NaCl", "Fe2O3", "Xx", "SiO2"],
            "t": [1.0, 2.0, 3.0, 4.0],
            "p": [0.1, 0.2, 0.3, "?"],
        }
    )
    return Dataset(
        id="c",
        title="c",
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["t"],
        **roles,
    )


def test_compositions_give_the_magpie_block():
    matrix = featurize(composition_dataset())
    assert matrix.blocks == {"magpie": slice(0, 145)}
    assert matrix.X.shape == (4, 145) and matrix.X.dtype == np.float64
    assert matrix.valid.tolist() == [True, True, False, True]
    assert np.isnan(matrix.X[2]).all()


def test_numeric_feature_columns_follow_as_they_are_and_bad_values_invalidate_the_row():
    matrix = featurize(composition_dataset(feature_columns=["p"]))
    assert matrix.blocks == {"magpie": slice(0, 145), "numeric": slice(145, 146)}
    assert matrix.names[-1] == "p"
    assert matrix.block("numeric")[:2, 0].tolist() == [0.1, 0.2]
    assert matrix.valid.tolist() == [True, True, False, False]


def test_smiles_give_ecfp_and_optionally_descriptors():
    frame = pd.DataFrame({"smiles": ["CCO", "c1ccccc1", "C1CC"], "y": [1.0, 2.0, 3.0]})
    dataset = Dataset(
        id="m",
        title="m",
        frame=frame,
        structure_column="smiles",
        structure_kind="smiles",
        target_columns=["y"],
    )
    plain = featurize(dataset)
    assert plain.blocks == {"ecfp": slice(0, 2048)}
    assert set(np.unique(plain.X[:2])) == {0.0, 1.0}
    with_descriptors = featurize(dataset, descriptors=True)
    assert list(with_descriptors.blocks) == ["ecfp", "descriptors"]
    assert with_descriptors.valid.tolist() == [True, True, False]
    assert np.isfinite(with_descriptors.X[:2]).all()


def test_numeric_only_dataset_gives_the_numeric_block():
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, None, 1.5], "y": [1.0, 2.0, 3.0]})
    dataset = Dataset(
        id="n", title="n", frame=frame, feature_columns=["a", "b"], target_columns=["y"]
    )
    matrix = featurize(dataset)
    assert matrix.blocks == {"numeric": slice(0, 2)}
    assert matrix.valid.tolist() == [True, False, True]
    assert matrix.X[2].tolist() == [3.0, 1.5]


def test_a_dataset_without_structure_or_features_is_refused():
    frame = pd.DataFrame({"y": [1.0, 2.0]})
    dataset = Dataset(id="e", title="e", frame=frame, target_columns=["y"])
    with pytest.raises(ValueError, match="neither a structure nor feature columns"):
        featurize(dataset)


def test_blocks_must_cover_the_columns_in_order():
    with pytest.raises(ValueError, match="do not cover"):
        FeatureMatrix(
            X=np.zeros((1, 3)),
            names=["a", "b", "c"],
            valid=np.ones(1, bool),
            blocks={"x": slice(0, 2)},
        )

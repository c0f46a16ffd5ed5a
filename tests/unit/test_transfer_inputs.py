"""Bad input to transfer: a clear sentence saying what is wrong, raised before any training."""

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import TransferConfig, run_transfer

FORMULAS = ["NaCl", "KBr", "MgO", "GaAs", "Si", "ZnO", "TiO2", "CdS", "Fe2O3", "Cu", "Al2O3", "GaN"]


def compositions(values, title="gaps", extra=None) -> Dataset:
    frame = pd.DataFrame({"formula": FORMULAS[: len(values)], "gap": values, **(extra or {})})
    return Dataset(
        id=title,
        title=title,
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["gap"],
    )


def numeric(columns: dict, title: str) -> Dataset:
    frame = pd.DataFrame(columns)
    return Dataset(
        id=title,
        title=title,
        frame=frame,
        feature_columns=list(columns)[:-1],
        target_columns=[list(columns)[-1]],
    )


def run(source, source_column, target, target_column, **config):
    return run_transfer(source, source_column, target, target_column, TransferConfig(**config))


def test_source_and_target_of_different_structure_kinds_are_refused():
    molecules = Dataset(
        id="m",
        title="molecules",
        frame=pd.DataFrame({"smiles": ["CCO"] * 12, "y": range(12)}),
        structure_column="smiles",
        structure_kind="smiles",
        target_columns=["y"],
    )
    with pytest.raises(
        ValueError, match="holds chemical formulas but the target 'molecules' holds SMILES"
    ):
        run(compositions(np.arange(12.0)), "gap", molecules, "y")


def test_a_non_numeric_column_is_refused_naming_a_bad_cell():
    target = compositions(np.arange(12.0), extra={"note": ["ok"] * 11 + ["n/a"]})
    with pytest.raises(ValueError, match=r"Column 'note' of 'gaps' is not numeric \(row 1 "):
        run(compositions(np.arange(12.0)), "gap", target, "note")


def test_a_missing_column_is_refused_listing_the_columns():
    with pytest.raises(ValueError, match="has no column 'band_gap'; its columns are formula, gap"):
        run(compositions(np.arange(12.0)), "band_gap", compositions(np.arange(12.0)), "gap")


def test_a_target_too_small_to_split_is_refused():
    small = compositions(np.arange(8.0), title="tiny")
    with pytest.raises(ValueError, match="'tiny' has 8 usable rows .* at least 10 are needed"):
        run(compositions(np.arange(12.0)), "gap", small, "gap")


def test_rows_without_a_value_do_not_count_as_usable():
    values = np.r_[np.arange(9.0), [np.nan] * 3]
    with pytest.raises(ValueError, match="has 9 usable rows"):
        run(compositions(np.arange(12.0)), "gap", compositions(values, "holes"), "gap")


def test_numeric_datasets_without_common_feature_columns_are_refused():
    rng = np.random.default_rng(0)
    source = numeric(
        {"a": rng.normal(size=20), "b": rng.normal(size=20), "y": rng.normal(size=20)}, "s"
    )
    target = numeric({"c": rng.normal(size=20), "y": rng.normal(size=20)}, "t")
    with pytest.raises(ValueError, match="share no feature columns"):
        run(source, "y", target, "y")


def test_an_unknown_target_model_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="Unknown model 'mlp'; choose one of et-median, et"):
        run(
            compositions(np.arange(12.0)),
            "gap",
            compositions(np.arange(12.0)),
            "gap",
            approach="ft",
            model="mlp",
        )


def test_an_unknown_group_column_is_refused():
    with pytest.raises(ValueError, match="has no column 'family' to group by"):
        run(
            compositions(np.arange(12.0) + 1.0),
            "gap",
            compositions(np.arange(12.0)),
            "gap",
            group_by="family",
        )


def test_the_structure_column_cannot_be_the_value_to_learn():
    with pytest.raises(ValueError, match="holds the structures of the target"):
        run(compositions(np.arange(12.0)), "gap", compositions(np.arange(12.0)), "formula")


def test_the_same_column_of_one_table_as_source_and_target_is_refused():
    """The source model would have learned the target's own values: no transfer to measure."""
    gaps = compositions(np.arange(12.0))
    with pytest.raises(ValueError, match="the same column, 'gap' of 'gaps'"):
        run(gaps, "gap", compositions(np.arange(12.0)), "gap")

"""Design spaces as users bring them: several structure columns, categorical choices, process
settings, ids, PENDING campaign files, repeated inputs (the published files in shared/external)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.cli.campaign_options import load_dataset
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.campaign_file import CampaignFile
from dashboard.engine.active_learning.config import REAL, CampaignConfig
from dashboard.engine.active_learning.measurements import measurements_from
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.repeats import merge_repeats, repeat_count
from dashboard.engine.data.upload import UploadLimits, parse_upload
from dashboard.engine.features import featurize

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external"
EDBO, LIANG = EXTERNAL / "edbo", EXTERNAL / "liang2021"
pytestmark = pytest.mark.skipif(
    not EXTERNAL.is_dir(), reason="needs ../shared/external (the published experiment tables)"
)

EXPECTED = {
    "edbo/direct_arylation_names.csv": (
        "new_index",
        [],
        ["base", "ligand", "solvent"],
        ["concentration", "temperature"],
        ["yield", "cost"],
    ),
    "edbo/direct_arylation_smiles.csv": (
        "entry",
        ["Base_SMILES", "Ligand_SMILES", "Solvent_SMILES"],
        [],
        ["Concentration", "Temp_C"],
        ["yield"],
    ),
    "edbo/suzuki_smiles.csv": (
        "entry",
        [
            "Electrophile_SMILES",
            "Nucleophile_SMILES",
            "Ligand_SMILES",
            "Base_SMILES",
            "Solvent_SMILES",
        ],
        [],
        [],
        ["yield"],
    ),
    "edbo/buchwald_hartwig_smiles.csv": (
        "entry",
        ["Aryl_halide_SMILES", "Additive_SMILES", "Base_SMILES", "Ligand_SMILES"],
        [],
        [],
        ["yield"],
    ),
    "liang2021/Crossed barrel_dataset.csv": (None, [], [], ["n", "theta", "r", "t"], ["toughness"]),
    "liang2021/AutoAM_dataset.csv": (
        None,
        [],
        [],
        ["Prime Delay", "Print Speed", "X Offset Correction", "Y Offset Correction"],
        ["Score"],
    ),
    "liang2021/Perovskite_dataset.csv": (
        None,
        [],
        [],
        ["CsPbI", "FAPbI", "MAPbI"],
        ["Instability index"],
    ),
}


def parse_file(path: Path, **kwargs):
    return parse_upload(
        path.read_bytes(), path.name, UploadLimits(), dataset_id=path.name, **kwargs
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detection_gives_the_roles_a_chemist_expects(name):
    id_column, structures, categorical, numeric, targets = EXPECTED[name]
    result = parse_file(EXTERNAL / name)
    assert result.ok, [p.message for p in result.problems]
    data = result.dataset
    assert data.id_column == id_column
    assert data.structure_columns == structures
    assert data.categorical_columns == categorical
    assert data.feature_columns == numeric
    assert data.target_columns == targets


def test_a_campaign_file_keeps_its_pending_candidates_and_lists_unused_columns():
    result = parse_file(EDBO / "edboplus_campaign_round1_pending.csv")
    data = result.dataset
    assert data.rows == 1728
    assert data.categorical_columns == ["Ligand", "Additive", "Ni source", "Solvent", "Photosource"]
    assert data.target_columns == ["yield", "ee"]
    assert int(data.frame["yield"].notna().sum()) == 3
    messages = [w.message for w in result.warnings]
    assert "Column 'priority' is not used: campaign bookkeeping, not an input." in messages[-1]
    assert any("1,725 of 1,728 rows have no value of 'yield' yet" in m for m in messages)


def test_the_target_is_never_an_input_even_when_detected_as_one():
    frame = pd.DataFrame({"a": np.arange(8.0), "b": np.arange(8.0) ** 2, "y": np.arange(8.0) % 3})
    data = Dataset("d", "d", frame, feature_columns=["a", "b"], target_columns=["y"])
    pool = CampaignData.from_dataset(data, "b")
    assert pool.X.shape == (8, 1)
    np.testing.assert_array_equal(pool.X[:, 0], frame["a"].to_numpy())


def test_a_column_in_two_roles_is_refused_with_a_sentence():
    result = parse_file(
        EDBO / "direct_arylation_names.csv",
        roles={"feature_columns": ["yield"], "target_columns": ["yield"]},
    )
    assert not result.ok
    assert result.problems[0].message.startswith(
        "Column 'yield' is given more than one role (an input and a target, say)"
    )


def test_a_categorical_column_with_too_many_labels_is_refused_saying_why():
    frame = "label,x,y\n" + "".join(f"L{i},{i % 7},{i % 5}\n" for i in range(120))
    result = parse_upload(
        frame.encode(), "many.csv", UploadLimits(), roles={"categorical_columns": ["label"]}
    )
    assert not result.ok
    assert "Column 'label' cannot be a categorical input: it has 120 distinct labels" in (
        result.problems[0].message
    )


def test_invalid_smiles_among_valid_ones_drop_those_rows_only_saying_which():
    lines = ["smiles,solvent,yield"] + [
        f"{s},{v},{i}" for i, (s, v) in enumerate([("CCO", "A"), ("CCN", "B")] * 4)
    ]
    lines[3] = "C1CC,A,9"
    result = parse_upload("\n".join(lines).encode(), "r.csv", UploadLimits())
    assert result.ok and result.dataset.rows == 7
    assert result.warnings[0].message.startswith("row 3, column 'smiles': 'C1CC' is not a valid")


def test_several_structure_and_categorical_columns_each_give_a_block():
    data = load_dataset(str(EDBO / "direct_arylation_smiles.csv"))
    blocks = featurize(data).blocks
    assert list(blocks) == [
        "onehot:Base_SMILES",
        "onehot:Ligand_SMILES",
        "onehot:Solvent_SMILES",
        "numeric",
    ]
    names = featurize(load_dataset(str(EDBO / "direct_arylation_names.csv")))
    assert names.blocks["onehot:ligand"].stop - names.blocks["onehot:ligand"].start == 12
    assert names.X[:, names.blocks["onehot:base"]].sum(axis=1).tolist() == [1.0] * 1728


def test_repeated_inputs_are_reported_and_merged_keeping_the_count():
    result = parse_file(LIANG / "AgNP_dataset.csv")
    assert (
        "3,131 rows repeat the inputs of an earlier row (164 distinct"
        in result.warnings[-1].message
    )
    merged = merge_repeats(result.dataset)
    assert merged.rows == 164 and repeat_count(merged) == 0
    assert int(merged.frame["n_measurements"].sum()) == 3295
    unique = pd.read_csv(LIANG / "unique-inputs" / "AgNP_dataset.csv")
    assert np.isclose(merged.frame["loss"].sum(), unique["loss"].sum())


def _real_campaign(data: Dataset, batch: int = 5) -> Campaign:
    pool = CampaignData.from_dataset(data, "yield")
    config = CampaignConfig(
        dataset_id=data.id, target="yield", initial_size=5, batch_size=batch, mode=REAL
    )
    return Campaign(config, pool)


def test_pending_file_suggest_enter_values_export_round_trip():
    path = EDBO / "edboplus_campaign_round1_pending.csv"
    upload = parse_file(path)
    data = upload.dataset
    campaign = _real_campaign(data)
    picks = campaign.pending
    assert len(picks) == 5 and not set(picks) & set(campaign.measured_rows)
    inputs = data.without_target_inputs("yield").input_columns
    results = data.frame.iloc[picks][inputs].assign(yield_=[10.0, 20.0, 30.0, 40.0, 50.0])
    results.index = range(1, 6)
    entered = measurements_from(
        data.frame, results.rename(columns={"yield_": "yield"}), inputs, "yield"
    )
    assert sorted(entered) == sorted(picks)
    campaign.add_measurements(entered)
    campaign.step()
    file = CampaignFile.read(path.read_bytes(), path.name, UploadLimits(), upload.row_numbers)
    text = file.text("yield", entered, campaign.measured_rows, campaign.pending)
    before = pd.read_csv(path, dtype=str, keep_default_na=False)
    after = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(after.columns) == list(before.columns)  # priority stays where it was
    changed = (after != before).any()
    assert set(changed[changed].index) == {"yield", "priority"}  # the rest is the user's text
    assert (after["ee"] == "PENDING").sum() == (before["ee"] == "PENDING").sum()
    assert (after["yield"] != "PENDING").sum() == 8
    assert sorted(after["priority"].astype(float).value_counts().items()) == [
        (-1.0, 8),
        (0.0, 1728 - 13),
        (1.0, 5),
    ]
    again = parse_upload(text.encode(), "round2.csv", UploadLimits()).dataset
    assert int(again.frame["yield"].notna().sum()) == 8 and again.rows == 1728


def test_a_pending_file_with_nothing_measured_starts_from_the_initial_design():
    text = "solvent,temp,yield\n" + "".join(
        f"{s},{t},PENDING\n" for s in ("A", "B", "C") for t in (20, 40, 60, 80)
    )
    data = parse_upload(text.encode(), "empty.csv", UploadLimits()).dataset
    campaign = _real_campaign(data, batch=3)
    assert campaign.measured_rows == [] and len(campaign.pending) == 3


def test_an_unknown_label_at_import_is_named_with_its_row():
    data = load_dataset(str(EDBO / "direct_arylation_names.csv"))
    inputs = data.without_target_inputs("yield").input_columns
    measured = data.frame.iloc[[0, 1]][inputs].assign(yield_=[1.0, 2.0])
    measured.index = [1, 2]
    measured.iloc[1, measured.columns.get_loc("ligand")] = "NoSuchPhos"
    with pytest.raises(ValueError, match=r"row 2 \(.*\): ligand 'NoSuchPhos' is not one of the"):
        measurements_from(data.frame, measured.rename(columns={"yield_": "yield"}), inputs, "yield")


def test_campaign_cli_takes_a_share_for_top_k_a_budget_and_names_the_file(capsys):
    path = LIANG / "unique-inputs" / "Perovskite_dataset.csv"
    args = ["campaign", "--dataset", str(path), "--target", "Instability index", "--goal", "min"]
    code = main([*args, "--init", "2", "--batch", "1", "--budget", "12", "--top-k", "5%", "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["dataset"] == "Perovskite_dataset.csv"
    assert summary["top_k"] == 5 and summary["steps"] == 10
    assert "fewer than the 3 measured rows a model needs" in summary["notes"][0]


def test_campaign_cli_runs_until_the_pool_is_used_up(capsys):
    path = LIANG / "unique-inputs" / "AutoAM_dataset.csv"
    args = ["campaign", "--dataset", str(path), "--target", "Score", "--model", "rf"]
    assert main([*args, "--init", "40", "--batch", "20", "--steps", "all", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["steps"] == 3


def test_campaign_cli_lists_the_columns_when_the_target_is_missing(capsys):
    path = EDBO / "direct_arylation_names.csv"
    assert main(["campaign", "--dataset", str(path), "--target", "yeld"]) == 2
    assert "has no column 'yeld'; its columns: new_index, base, ligand" in capsys.readouterr().err

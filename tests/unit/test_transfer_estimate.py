"""The time of a pair's first run, said before Train: its uncached features and source models at
the measured rates, and nothing once the cache holds them."""

from dataclasses import replace

import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.features import featurize
from dashboard.engine.transfer import TransferConfig, run_transfer
from dashboard.engine.transfer.estimate import (
    FEATURE_SECONDS,
    FIT_OVERHEAD,
    FIT_SECONDS,
    MODEL_COST,
    SOURCE_SECONDS,
    FirstRun,
    curve_seconds,
    first_run,
    target_seconds,
)
from dashboard.engine.transfer.run import feature_folder
from dashboard.pages.transfer_learning.first_run import first_run_sentence, preparation_seconds

CONFIG = TransferConfig()


def molecules(rows: int, title: str, columns: tuple[str, ...] = ("y",), distinct=True) -> Dataset:
    """`rows` rows of distinct chains (never featurised here), or of five repeated molecules."""
    if distinct:
        smiles = ["C" * (1 + i % 100) + "O" * (i // 100) for i in range(rows)]
    else:
        smiles = [("CCO", "c1ccccc1", "CC(=O)O", "CCN", "O")[i % 5] for i in range(rows)]
    frame = pd.DataFrame({"smiles": smiles})
    for j, column in enumerate(columns):
        frame[column] = [float(i % 7 + j) for i in range(rows)]
    return Dataset(
        id=title,
        title=title,
        frame=frame,
        structure_column="smiles",
        structure_kind="smiles",
        target_columns=list(columns),
    )


SOURCE = molecules(6_000, "large source")
TARGET = molecules(600, "small target")


def test_a_large_new_source_costs_its_features_and_one_source_model(tmp_path):
    run = first_run(SOURCE, TARGET, tmp_path, CONFIG)
    assert [t.title for t in run.featurised] == ["large source", "small target"]
    assert run.structures == 6_600 and run.models == 1
    assert run.seconds == pytest.approx(
        6_600 * FEATURE_SECONDS["smiles"] + 6_000 * SOURCE_SECONDS["smiles"]
    )


def test_a_table_as_its_own_source_is_featurised_once_and_trains_six_models(tmp_path):
    table = molecules(10_000, "qm9-like", ("lumo", "gap"))
    run = first_run(table, table, tmp_path, CONFIG)
    assert len(run.featurised) == 1 and run.models == 6
    # the whole model and five that each leave out a fold, on the 8,000 rows outside the test
    assert run.seconds == pytest.approx(
        10_000 * FEATURE_SECONDS["smiles"] + 5 * 8_000 * SOURCE_SECONDS["smiles"]
    )


def test_a_small_source_trains_no_slow_model(tmp_path):
    assert first_run(TARGET, SOURCE, tmp_path, CONFIG).models == 0


def test_a_structure_repeated_in_many_rows_is_featurised_once(tmp_path):
    run = first_run(TARGET, molecules(600, "five", distinct=False), tmp_path, CONFIG)
    assert run.structures == 605


def test_cached_features_cost_nothing_but_the_source_model_is_still_to_train(tmp_path):
    source, target = molecules(6_000, "s", distinct=False), molecules(60, "t", distinct=False)
    for table in (source, target):  # as a campaign or the server's warm-up caches them
        featurize(table, feature_folder(tmp_path), descriptors=CONFIG.descriptors)
    run = first_run(source, target, tmp_path, CONFIG)
    assert (run.featurised, run.structures, run.models) == ((), 0, 1)
    assert run.seconds == pytest.approx(6_000 * SOURCE_SECONDS["smiles"])
    assert first_run_sentence(run).startswith(
        "This pair's first run trains a source model: about 20–40 s on two cores"
    )


def test_a_pair_run_before_costs_nothing(tmp_path):
    source, target = molecules(6_000, "s", distinct=False), molecules(60, "t", distinct=False)
    run_transfer(source, "y", target, "y", CONFIG, cache_dir=tmp_path)
    run = first_run(source, target, tmp_path, CONFIG)
    assert (run.featurised, run.structures, run.models, run.seconds) == ((), 0, 0, 0.0)


def test_tables_of_different_structures_cost_nothing_since_the_run_refuses_them(tmp_path):
    numbers = Dataset(
        id="n",
        title="n",
        frame=pd.DataFrame({"a": range(6_000), "y": range(6_000)}),
        feature_columns=["a"],
        target_columns=["y"],
    )
    assert first_run(SOURCE, numbers, tmp_path, CONFIG).seconds == 0.0


def test_the_sentence_says_what_is_computed_and_from_a_quiet_to_a_busy_server():
    run = FirstRun((SOURCE, TARGET), 6_600, 1, 101.0)
    assert first_run_sentence(run) == (
        "This pair's first run computes the features of 6,600 molecules and trains a source "
        "model: about 2–3 min on two cores; later runs read the features and source models "
        "from the cache."
    )
    assert "about 20–40 s" in first_run_sentence(FirstRun((TARGET,), 600, 0, 21.0))
    assert "6 source models (the table is source and target)" in first_run_sentence(
        FirstRun((SOURCE,), 6_000, 6, 340.0)
    )


def fit(rows: float) -> float:
    """One fit of the default model on `rows` molecules: a fixed part, and rows to the 1.5."""
    return FIT_OVERHEAD + rows**1.5 * FIT_SECONDS["smiles"]


def test_the_curve_costs_each_fit_by_its_rows_to_the_power_1_5_and_nothing_unasked(tmp_path):
    assert curve_seconds(TARGET, CONFIG) == 0.0  # no curve asked for
    config = replace(CONFIG, learning_curve=True, curve_shares=(0.25, 1.0), curve_repeats=3)
    # both methods, three repeats, of 480 training rows; the run's own fits (all rows) once less
    fits = 2 * (3 * (fit(120) + fit(480)) - fit(480))
    assert curve_seconds(TARGET, config) == pytest.approx(fits)
    assert first_run(SOURCE, TARGET, tmp_path, config).curve_seconds == curve_seconds(
        TARGET, config
    )


def test_a_long_curve_is_said_after_the_first_run():
    run = FirstRun((TARGET,), 600, 0, 21.0, curve_seconds=980.0)
    assert first_run_sentence(run).endswith(
        "The learning curve then takes about 16–33 min more; untick it to see the run alone."
    )
    # FreeSolv's curve, about 16 s, follows the run soon enough to go unmentioned
    assert "learning curve" not in first_run_sentence(FirstRun((TARGET,), 600, 0, 21.0, 16.0))


def test_the_run_adds_its_two_target_models_on_the_rows_it_uses(tmp_path):
    config = replace(CONFIG, train_share=0.5)
    assert target_seconds(TARGET, config) == pytest.approx(2 * fit(240))
    assert first_run(SOURCE, TARGET, tmp_path, config).target_seconds == target_seconds(
        TARGET, config
    )
    run = FirstRun((SOURCE,), 6_000, 1, 100.0, target_seconds=220.0)
    assert first_run_sentence(run).startswith(
        "This pair's first run computes the features of 6,000 molecules and trains a source "
        "model, then its two target models: about 5–11 min on two cores"
    )


def test_each_target_model_is_costed_at_its_own_rate():
    config = replace(CONFIG, learning_curve=True, curve_shares=(0.25, 1.0), curve_repeats=3)
    for model, cost in MODEL_COST.items():
        chosen = replace(config, model=model)
        assert target_seconds(TARGET, chosen) == pytest.approx(
            cost["smiles"] * target_seconds(TARGET, config)
        )
        assert curve_seconds(TARGET, chosen) == pytest.approx(
            cost["smiles"] * curve_seconds(TARGET, config)
        )
    assert (
        MODEL_COST["rf"]["smiles"] < MODEL_COST["gbr"]["smiles"] < MODEL_COST["et"]["smiles"] < 1.0
    )


def test_the_page_prepares_the_three_other_models_before_the_curve():
    config = replace(CONFIG, model="rf")
    others = sum(
        target_seconds(TARGET, replace(config, model=m)) for m in ("et-median", "et", "gbr")
    )
    assert preparation_seconds(TARGET, config) == pytest.approx(others)

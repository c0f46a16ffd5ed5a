"""Latent-variable transfer on small real subsets: it helps, it caches, it does not leak."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.builtin import load
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import TransferConfig, run_transfer
from dashboard.engine.transfer import lv as lv_module

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
SOURCE_FILE = SHARED_DATA / "matbench_mp_gap.csv"
TARGET_FILE = SHARED_DATA / "matbench_expt_gap.csv"
needs_shared_data = pytest.mark.skipif(
    not (SOURCE_FILE.exists() and TARGET_FILE.exists()),
    reason=f"the shared band-gap files are not in {SHARED_DATA}",
)
FAST = {"n_jobs": 1, "group_by": "auto"}


def gaps(path: Path, rows: int, seed: int) -> Dataset:
    frame = pd.read_csv(path).sample(rows, random_state=seed).reset_index(drop=True)
    return Dataset(
        id=path.stem,
        title=path.stem,
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["target"],
        units={"target": "eV"},
    )


@pytest.fixture(scope="module")
def band_gaps():
    return gaps(SOURCE_FILE, 3000, 0), gaps(TARGET_FILE, 400, 0)


@pytest.fixture(scope="module")
def first_run(band_gaps, tmp_path_factory):
    """One cold run on the subsets: (result, cache folder, sizes the source models saw)."""
    source, target = band_gaps
    cache = tmp_path_factory.mktemp("transfer-cache")
    with pytest.MonkeyPatch.context() as patch:
        calls = count_fits(patch)
        result = run_transfer(source, "target", target, "target", TransferConfig(**FAST), cache)
    return result, cache, calls


def count_fits(monkeypatch) -> list[int]:
    """Make source-model training append its number of rows to the returned list."""
    calls = []
    real_fit = lv_module.SourceModels.fit

    def counting(self, X, y):
        calls.append(len(y))
        return real_fit(self, X, y)

    monkeypatch.setattr(lv_module.SourceModels, "fit", counting)
    return calls


@pytest.fixture
def fit_counter(monkeypatch):
    return count_fits(monkeypatch)


@needs_shared_data
@pytest.mark.slow
def test_lv_beats_or_matches_the_baseline(first_run):
    result, _, calls = first_run
    assert result.transfer.mae <= result.baseline.mae
    assert result.transfer.r2 >= result.baseline.r2
    assert calls == [3000]
    assert not result.source_cached


@needs_shared_data
@pytest.mark.slow
def test_another_target_model_reuses_the_cached_source(band_gaps, first_run, fit_counter):
    source, target = band_gaps
    first, cache, _ = first_run
    other_model = TransferConfig(**FAST, model="et")
    second = run_transfer(source, "target", target, "target", other_model, cache)
    assert fit_counter == []  # the target model changed, the source was not retrained
    assert second.source_cached
    assert second.n_source == first.n_source == 3000
    assert np.array_equal(second.test_rows, first.test_rows)
    assert np.array_equal(second.y_test, first.y_test)


@needs_shared_data
@pytest.mark.slow
def test_result_holds_what_the_page_shows(first_run):
    result, _, _ = first_run
    assert (result.n_train, result.n_test) == (320, 80)
    assert result.baseline_pred.shape == result.transfer_pred.shape == (80,)
    assert result.feature_names[-4:] == [
        "source model: target",
        "source model: P(target ≠ 0)",
        "source value: target",
        "in the source",
    ]
    assert len(result.importances) == len(result.feature_names) == 149
    assert set(result.lv_ranks) == set(result.feature_names[-4:])
    assert all(1 <= rank <= 149 for rank in result.lv_ranks.values())
    assert result.n_overlap > 0
    assert {row.group for row in result.group_metrics} == {"= 0", "≠ 0"}
    assert sum(r.metrics.n for r in result.group_metrics if r.model == "baseline") == 80
    assert result.summary().keys() == {
        "approach",
        "baseline",
        "transfer",
        "n_source",
        "n_train",
        "n_test",
        "seconds",
    }


def test_one_table_withholds_its_test_rows_from_the_source(tmp_path, fit_counter):
    frame = load("freesolv").frame.iloc[:60].reset_index(drop=True)
    table = Dataset(
        id="fs",
        title="fs",
        frame=frame,
        structure_column="smiles",
        structure_kind="smiles",
        target_columns=["expt", "calc"],
    )
    config = TransferConfig(n_jobs=1, descriptors=False, test_size=0.25)
    result = run_transfer(table, "calc", table, "expt", config, tmp_path)
    assert result.same_dataset
    assert result.n_test == 15
    assert result.n_source == 45  # 60 rows less the 15 test rows
    # one source model on the 45 rows, then five out-of-fold ones on 36 of them each
    assert fit_counter == [45, 36, 36, 36, 36, 36]

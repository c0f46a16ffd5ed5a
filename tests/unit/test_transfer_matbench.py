"""The Matbench protocol: Matbench's own folds, and no experimental value in the source model."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import CrossValidationConfig, cross_validate, kfold_test_rows
from dashboard.engine.transfer import crossval as crossval_module
from dashboard.engine.transfer import lv as lv_module
from dashboard.engine.transfer.cache import TransferCache
from dashboard.engine.transfer.data import prepare

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
SOURCE_FILE = SHARED_DATA / "matbench_mp_gap.csv"
TARGET_FILE = SHARED_DATA / "matbench_expt_gap.csv"
needs_shared_data = pytest.mark.skipif(
    not (SOURCE_FILE.exists() and TARGET_FILE.exists()),
    reason=f"the shared band-gap files are not in {SHARED_DATA}",
)

MATBENCH_TEST_FOLDS = {
    0: ["Ag2GeSe3", "Ag2Mo(I2O7)2", "Ag7AsSe6", "ZrTaN3", "ZrTi2O"],
    1: ["Ag0.5Ge1Pb1.75S4", "Ag9(PbO3)4", "AgAsSe2", "ZrTiF6", "ZrW2"],
    2: ["Ag(AuS)2", "Ag2BiO3", "Ag2GeS3", "ZrPd2", "ZrTe"],
    3: ["Ag(W3Br7)2", "Ag0.5Ge1Pb1.75Se4", "Ag2P2PbO7", "ZrSbRu", "ZrSi2"],
    4: ["Ag2BBr", "Ag3AsO4", "Ag3Pd", "ZrNiSn", "ZrRh"],
}
"""Compositions in each test fold of matbench_expt_gap, read off the per-fold predictions of
the Darwin submission (matbench repository, benchmarks/matbench_v0.1_darwin/results.json.gz,
ids mb-expt-gap-NNNN numbered in the dataset's order)."""


def gaps(path: Path, rows: int | None = None, values=None) -> Dataset:
    frame = pd.read_csv(path)
    if rows is not None:
        frame = frame.sample(rows, random_state=0).reset_index(drop=True)
    if values is not None:
        frame = frame.assign(target=values)
    return Dataset(
        id=path.stem,
        title=path.stem,
        frame=frame,
        structure_column="formula",
        structure_kind="composition",
        target_columns=["target"],
    )


@needs_shared_data
def test_the_folds_are_matbenchs_for_its_seed():
    formulas = pd.read_csv(TARGET_FILE)["formula"].to_numpy()
    folds = kfold_test_rows(len(formulas), 5, 18012019)
    assert [len(rows) for rows in folds] == [921, 921, 921, 921, 920]
    for fold, known in MATBENCH_TEST_FOLDS.items():
        assert set(known) <= set(formulas[folds[fold]])
    assert np.array_equal(np.sort(np.concatenate(folds)), np.arange(len(formulas)))


@needs_shared_data
def test_no_experimental_value_reaches_the_source_model(monkeypatch):
    source, target = gaps(SOURCE_FILE, 1500), gaps(TARGET_FILE, 300)
    seen = []
    real_fit = lv_module.SourceModels.fit

    def spy(self, X, y):
        seen.append((X.copy(), y.copy()))
        return real_fit(self, X, y)

    monkeypatch.setattr(lv_module.SourceModels, "fit", spy)
    data = prepare(source, "target", target, "target")
    lv = lv_module.latent_variable(data, TransferCache(None), n_jobs=1)
    ((X, y),) = seen
    X_source, _, rows = lv_module.source_training_rows(data)
    assert np.array_equal(y, source.frame["target"].to_numpy()[rows])  # the DFT gaps, all of them
    assert np.array_equal(X, X_source) and len(y) == 1500
    # every experimental value changed: the source's outputs stay the same
    shuffled = gaps(TARGET_FILE, 300, values=np.arange(300.0) + 100.0)
    again = lv_module.latent_variable(
        prepare(source, "target", shuffled, "target"), TransferCache(None), n_jobs=1
    )
    assert np.array_equal(again.values, lv.values)


def test_every_method_is_scored_on_the_kfold_test_rows(monkeypatch, tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.uniform(size=80), "b": rng.uniform(size=80)})
    source = Dataset(
        id="s",
        title="s",
        frame=frame.assign(y=frame.a + frame.b),
        feature_columns=["a", "b"],
        target_columns=["y"],
    )
    target = Dataset(
        id="t",
        title="t",
        frame=frame.iloc[:50].assign(y=2 * frame.a[:50] + frame.b[:50]),
        feature_columns=["a", "b"],
        target_columns=["y"],
    )
    scored = []
    real = crossval_module.fit_predict

    def spy(method, inputs, train, test, seed):
        scored.append((method, tuple(test)))
        return real(method, inputs, train, test, seed)

    monkeypatch.setattr(crossval_module, "fit_predict", spy)
    config = CrossValidationConfig(folds=5, seed=3, n_jobs=1)
    result = cross_validate(source, "y", target, "y", config, tmp_path)
    expected = [tuple(np.sort(rows)) for rows in kfold_test_rows(50, 5, 3)]
    assert [test for method, test in scored if method == "lv"] == expected
    assert {method for method, _ in scored} == {"baseline", "lv", "ft", "ft_scratch"}
    assert all(len(result.mae[m]) == 5 for m in ("baseline", "lv", "ft", "ft_scratch"))
    assert result.scores("lv")["mae_mean"] < result.scores("baseline")["mae_mean"]

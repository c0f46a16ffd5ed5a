"""run_transfer as the page uses it: progress, cancellation and a cache that needs no unpickling."""

import joblib
import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import NetworkSpec, TransferConfig, run_transfer
from dashboard.engine.transfer import run as run_module


def table(rows: int, slope: float, seed: int, title: str) -> Dataset:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(-1, 1, rows), rng.uniform(-1, 1, rows)
    frame = pd.DataFrame(
        {"a": a, "b": b, "y": slope * (a + np.sin(3 * b)) + 0.05 * rng.normal(size=rows)}
    )
    return Dataset(
        id=title, title=title, frame=frame, feature_columns=["a", "b"], target_columns=["y"]
    )


SOURCE = table(300, 1.0, 0, "source")
TARGET = table(60, 1.2, 1, "target")
CONFIG = TransferConfig(n_jobs=1)


def test_progress_reports_the_stages_in_order_and_ends_at_one(tmp_path):
    seen = []
    run_transfer(
        SOURCE, "y", TARGET, "y", CONFIG, tmp_path, progress=lambda f, m: seen.append((f, m))
    )
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert seen[0] == (0.0, "features of the target")
    assert seen[-1] == (1.0, "done")
    assert "source model" in [m for _, m in seen]


def test_raising_from_progress_cancels_the_run_before_training(tmp_path):
    class Cancelled(Exception):
        pass

    def cancel(fraction, message):
        if message == "source model":
            raise Cancelled

    with pytest.raises(Cancelled):
        run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path, progress=cancel)
    assert not list(tmp_path.glob("lv-*")) and not list(tmp_path.glob("result-*"))


def test_a_cached_rerun_reads_only_npz_files(tmp_path, monkeypatch):
    first = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    assert len(list(tmp_path.glob("lv-*.npz"))) == len(list(tmp_path.glob("result-*.npz"))) == 1
    assert len(list(tmp_path.glob("source-*.joblib"))) == 1

    def no_unpickling(*args, **kwargs):
        raise AssertionError("the cached path unpickled a file")

    monkeypatch.setattr(joblib, "load", no_unpickling)
    again = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    assert again.source_cached
    assert np.array_equal(again.transfer_pred, first.transfer_pred)
    assert again.transfer.mae == first.transfer.mae


def test_numeric_features_transfer_and_the_lv_ranks_among_them(tmp_path):
    result = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    assert result.feature_names == ["a", "b", "source model: y"]
    assert result.transfer.mae < result.baseline.mae
    assert result.lv_ranks == {"source model: y": 1}
    assert result.n_overlap == 0 and not result.same_dataset


def test_fine_tuning_pretrains_once_and_a_new_split_reads_the_cache(tmp_path, monkeypatch):
    pretrainings = []
    real_pretrain = run_module.pretrain

    def counting(X, y, spec, seed):
        pretrainings.append(len(y))
        return real_pretrain(X, y, spec, seed)

    monkeypatch.setattr(run_module, "pretrain", counting)
    network = NetworkSpec(hidden=(16, 8), source_epochs=20, source_batch_size=32, target_epochs=20)
    first = run_transfer(
        SOURCE, "y", TARGET, "y", TransferConfig(approach="ft", n_jobs=1, network=network), tmp_path
    )
    other_split = TransferConfig(approach="ft", n_jobs=1, network=network, seed=7)
    second = run_transfer(SOURCE, "y", TARGET, "y", other_split, tmp_path)
    assert pretrainings == [300]
    assert (first.model, first.approach, first.n_source) == ("mlp", "ft", 300)
    assert not first.source_cached and second.source_cached
    assert first.transfer_pred.shape == (12,)
    assert first.importances is None and first.lv_ranks == {}
    assert not np.array_equal(first.transfer_pred, first.baseline_pred)

"""run_transfer as the page uses it: progress, cancellation and a cache that needs no unpickling."""

from dataclasses import replace

import joblib
import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import NotCached, TransferConfig, run_transfer
from dashboard.engine.transfer import run as run_module
from dashboard.engine.transfer.methods import fit_predict


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


def test_the_curve_names_the_method_it_draws_and_skips_one_in_the_cache(tmp_path):
    config = replace(CONFIG, learning_curve=True, curve_shares=(0.5, 1.0), curve_repeats=1)

    def messages(run_config) -> list[str]:
        seen = []
        run_transfer(
            SOURCE, "y", TARGET, "y", run_config, tmp_path, progress=lambda f, m: seen.append(m)
        )
        return [m for m in seen if m.startswith("learning curve")]

    assert messages(config) == [
        "learning curve: 50%, repeat 1 of 1 (no transfer)",
        "learning curve: 100%, repeat 1 of 1 (no transfer)",
        "learning curve: 50%, repeat 1 of 1 (latent variable)",
        "learning curve: 100%, repeat 1 of 1 (latent variable)",
    ]
    # fine-tuning shares the baseline's curve: only its own is drawn
    assert messages(replace(config, approach="ft")) == [
        "learning curve: 50%, repeat 1 of 1 (fine-tuned)",
        "learning curve: 100%, repeat 1 of 1 (fine-tuned)",
    ]


@pytest.mark.parametrize("share", [1.0, 0.5])
def test_the_curve_takes_the_runs_own_fits_for_its_first_repeat_at_the_runs_share(
    tmp_path, monkeypatch, share
):
    config = replace(
        CONFIG, train_share=share, learning_curve=True, curve_shares=(0.5, 1.0), curve_repeats=2
    )
    fitted = []

    def counted(method, inputs, rows, test, seed):
        fitted.append(method)
        return fit_predict(method, inputs, rows, test, seed)

    monkeypatch.setattr(run_module, "fit_predict", counted)
    result = run_transfer(SOURCE, "y", TARGET, "y", config, tmp_path)
    assert fitted.count("baseline") == fitted.count("lv") == 1 + 2 * 2 - 1
    # the same numbers as a fit: repeat 1 at the run's share is the run itself
    column = config.curve_shares.index(share)
    curve = result.learning_curve.mae
    assert curve["baseline"][0, column] == pytest.approx(result.baseline.mae)
    assert curve["lv"][0, column] == pytest.approx(result.transfer.mae)


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


def test_fine_tuning_boosts_on_from_the_cached_source_and_beats_the_baseline(tmp_path):
    lv = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    ft = run_transfer(SOURCE, "y", TARGET, "y", TransferConfig(approach="ft", n_jobs=1), tmp_path)
    assert ft.source_cached  # the latent variable's source model serves fine-tuning too
    assert (ft.approach, ft.model, ft.n_source) == ("ft", "et-median", 300)
    assert np.array_equal(ft.baseline_pred, lv.baseline_pred)  # the same no-transfer model
    assert ft.transfer.mae < ft.baseline.mae
    assert ft.importances is None and ft.lv_ranks == {}


def test_a_share_of_the_training_rows_keeps_the_test_rows(tmp_path):
    full = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    few = run_transfer(
        SOURCE, "y", TARGET, "y", TransferConfig(n_jobs=1, train_share=0.25), tmp_path
    )
    assert (full.n_train, few.n_train, few.n_train_all) == (48, 12, 48)
    assert np.array_equal(few.test_rows, full.test_rows)
    assert few.baseline.mae > full.baseline.mae


def test_a_share_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="share of target rows used must lie in"):
        run_transfer(SOURCE, "y", TARGET, "y", TransferConfig(train_share=0.0))


def test_a_cache_only_run_reads_what_was_trained_and_trains_nothing_else(tmp_path):
    with pytest.raises(NotCached):  # nothing cached: not even the source model is trained
        run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path, cached_only=True)
    assert not list(tmp_path.glob("source-*")) and not list(tmp_path.glob("lv-*"))
    first = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path)
    again = run_transfer(SOURCE, "y", TARGET, "y", CONFIG, tmp_path, cached_only=True)
    assert np.array_equal(again.transfer_pred, first.transfer_pred)
    other = TransferConfig(n_jobs=1, model="rf")
    with pytest.raises(NotCached):  # the source is cached, the rf target models are not
        run_transfer(SOURCE, "y", TARGET, "y", other, tmp_path, cached_only=True)
    assert len(list(tmp_path.glob("result-*.npz"))) == 1
    tuned = run_transfer(SOURCE, "y", TARGET, "y", replace(other, approach="ft"), tmp_path)
    assert len(list(tmp_path.glob("baseline-*.npz"))) == 2  # et-median's and rf's
    switched = run_transfer(SOURCE, "y", TARGET, "y", other, tmp_path)
    assert len(list(tmp_path.glob("baseline-*.npz"))) == 2  # lv and ft share rf's baseline
    assert np.array_equal(switched.baseline_pred, tuned.baseline_pred)


def _openmp_threads() -> list[int]:
    return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "openmp"]


@pytest.mark.parametrize(("openmp", "expected"), [(None, 2), (1, 1), (4, 2)])
def test_openmp_threads_bound_the_boosters_below_n_jobs(tmp_path, openmp, expected):
    config = replace(CONFIG, n_jobs=2, openmp_threads=openmp, model="gbr")
    run_transfer(SOURCE, "y", TARGET, "y", config, tmp_path)  # loads the OpenMP runtime
    threads = []
    report = lambda fraction, message: threads.extend(_openmp_threads())  # noqa: E731
    run_transfer(SOURCE, "y", TARGET, "y", replace(config, seed=7), tmp_path, progress=report)
    assert threads and set(threads) == {expected}

"""run_transfer: one source/target pair, one approach, one split -> a TransferResult.

Stages, with `progress(fraction, message)` called between them (a caller cancels by raising
from it): target features, source model (or its cached predictions), baseline and transfer
models, optionally the learning curve. The predictions of a finished run are cached too, so
the same request again only reads files.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer.cache import NotCached, TransferCache, array_digest, cache_key
from dashboard.engine.transfer.curve import (
    REPEATS,
    SHARES,
    LearningCurve,
    TimeLeft,
    learning_curve,
    training_order,
)
from dashboard.engine.transfer.data import TransferData, prepare
from dashboard.engine.transfer.lv import LatentVariable, latent_variable
from dashboard.engine.transfer.methods import METHOD_NAMES, Inputs, fit_predict
from dashboard.engine.transfer.metrics import group_metrics, regression_metrics, zero_groups
from dashboard.engine.transfer.models import (
    DEFAULT_TARGET_MODEL,
    TARGET_MODELS,
    feature_importances,
)
from dashboard.engine.transfer.result import TransferResult

MIN_USED_ROWS = 5
"""Fewest target training rows a run with a small share uses."""

APPROACHES: dict[str, str] = {
    "lv": "latent variable: the source model's outputs are more inputs of the target model",
    "ft": "fine-tuning: boosting continues from the source's value, trained on the target",
}
AUTO_GROUPS = "auto"
"""group_by value: metals (target = 0) against the rest when at least 5 % of targets are 0."""
_AUTO_ZERO_SHARE = 0.05

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TransferConfig:
    """What to run. `model` is the target model of the baseline and of LV (TARGET_MODELS);
    fine-tuning always boosts on from the source. `train_share` is the share of the target's
    training rows used (the test rows stay the same), to show transfer where target data are
    few. `descriptors` adds RDKit descriptors to the ECFP bits of molecules (they carry most of
    what a model of solvation or orbital energies needs); compositions ignore it."""

    approach: str = "lv"
    model: str = DEFAULT_TARGET_MODEL
    test_size: float = 0.2
    seed: int = 42
    n_jobs: int = 2
    descriptors: bool = True
    group_by: str | None = AUTO_GROUPS
    train_share: float = 1.0
    learning_curve: bool = False
    curve_shares: tuple[float, ...] = SHARES
    curve_repeats: int = REPEATS
    openmp_threads: int | None = None
    """Threads of OpenMP (the boosters), when fewer than n_jobs: a server running several jobs
    at once gives each a share of the cores (job_slots.openmp_threads)."""

    def validate(self) -> None:
        """Raise ValueError for an unknown approach or model, or a share outside (0, 1]."""
        if self.approach not in APPROACHES:
            raise ValueError(f"Unknown approach {self.approach!r}; choose 'lv' or 'ft'.")
        if self.model not in TARGET_MODELS:
            raise ValueError(
                f"Unknown model {self.model!r}; choose one of {', '.join(TARGET_MODELS)}."
            )
        if not 0.0 < self.train_share <= 1.0:
            raise ValueError(
                f"The share of target rows used must lie in (0, 1], not {self.train_share}."
            )


def run_transfer(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    cached_only: bool = False,
) -> TransferResult:
    """Train baseline and transfer models on the target's training rows and score both on its
    test rows; see TransferResult. `cache_dir` keeps features, source models and results.
    `config.n_jobs` bounds every thread pool (forests, OpenMP boosting, BLAS), and
    `config.openmp_threads` OpenMP's further: threads beyond the free cores make OpenMP spin and
    slow down many times over. With `cached_only`, a run
    whose source or target models are not in the cache raises NotCached instead of training
    them (the features of a table are computed as always: a caller that wants nothing heavy
    asks only after a run of the same data)."""
    config = config or TransferConfig()
    config.validate()
    if cached_only and config.learning_curve:
        raise ValueError("A run that only reads the cache draws no learning curve.")
    openmp = min(config.n_jobs, config.openmp_threads or config.n_jobs)
    with threadpool_limits(limits=config.n_jobs), threadpool_limits(openmp, user_api="openmp"):
        return _run(
            source, source_column, target, target_column, config, cache_dir, progress, cached_only
        )


def _run(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig,
    cache_dir: Path | None,
    progress: Progress | None,
    cached_only: bool,
) -> TransferResult:
    started = time.perf_counter()
    report = Reporter(progress)
    cache = TransferCache(cache_dir)
    report(0.0, "features of the target")
    data = prepared(source, source_column, target, target_column, config, cache_dir)
    timings = {"features": time.perf_counter() - started}
    groups = _groups(data, config.group_by)
    report(0.1, "source model")
    lv = latent_variable(data, cache, config.n_jobs, cached_only)
    timings["source"] = time.perf_counter() - started - timings["features"]
    report(0.5, "baseline model")
    fit = _Fitter(data, config, cache, lv)
    predictions = fit.predictions(lambda: report(0.55, "transfer model"), cached_only)
    timings["target"] = time.perf_counter() - started - sum(timings.values())
    curve = None
    if config.learning_curve:
        curve = fit.curve(lambda f, message: report(0.6 + 0.4 * f, message), predictions)
        timings["learning_curve"] = time.perf_counter() - started - sum(timings.values())
    report(1.0, "done")
    return _result(data, config, lv, fit.train, predictions, groups, curve, started, timings)


def prepared(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig,
    cache_dir: Path | None,
) -> TransferData:
    """The features and split of a run of `config`, the features read from (or kept in) the
    cache under `cache_dir`."""
    return prepare(
        source,
        source_column,
        target,
        target_column,
        test_size=config.test_size,
        seed=config.seed,
        feature_cache=None if cache_dir is None else feature_folder(cache_dir),
        feature_params={"descriptors": config.descriptors},
    )


def feature_folder(cache_dir: Path) -> Path:
    """Where runs that cache under `cache_dir` keep the tables' features: that folder itself,
    where campaigns and the server's warm-up keep theirs. A file is named by the table's content
    and the featuriser, so a table featurised for either page (qm9's 10,000 molecules: 12-20 s)
    is read by the other instead of computed again."""
    return Path(cache_dir)


class Reporter:
    """Calls the progress callback, if any, with the fraction kept in [0, 1]."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, fraction: float, message: str) -> None:
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)), message)


class _Fitter:
    """Fits baseline and transfer on the rows used, and the learning curve, through the cache."""

    def __init__(
        self, data: TransferData, config: TransferConfig, cache: TransferCache, lv: LatentVariable
    ) -> None:
        self.data = data
        self.config = config
        self.cache = cache
        self.inputs = Inputs(data.X, data.y, lv, config.model, config.n_jobs)
        self.train = used_rows(data.train, config.train_share, config.seed)

    def _key(self, kind: str, **parts: object) -> str:
        config = self.config
        return cache_key(
            kind=kind,
            run=[config.approach, config.model, config.test_size, config.seed],
            **parts,
            **self.data.identity(),
            **self.data.target_identity(),
            lv=array_digest(self.inputs.lv.values),
        )

    def predictions(self, between: Callable[[], None], cached_only: bool) -> dict[str, np.ndarray]:
        """Baseline and transfer predictions on the test rows and the transfer model's
        importances, read from the cache when this exact run was done before (NotCached if
        not, with `cached_only`); `between` is called after the baseline (a progress report).
        The baseline is cached on its own, so LV and FT with one target model share it."""
        key = self._key("result", used=len(self.train))
        stored = self.cache.load_arrays("result", key)
        if stored is not None:
            return stored
        if cached_only:
            raise NotCached("the target models of this run are not in the cache")
        baseline = self._baseline()
        between()
        test, seed, approach = self.data.test, self.config.seed, self.config.approach
        model, transfer = fit_predict(approach, self.inputs, self.train, test, seed)
        arrays = {"baseline": baseline, "transfer": transfer}
        if approach == "lv":
            arrays["importances"] = feature_importances(model)
        self.cache.save_arrays("result", key, arrays)
        return arrays

    def _baseline(self) -> np.ndarray:
        """The baseline's test predictions: the target model on the rows used, no source."""
        config = self.config
        key = cache_key(
            kind="baseline",
            run=[config.model, config.test_size, config.seed],
            used=len(self.train),
            y=array_digest(self.data.y),
            **self.data.identity(),
            **self.data.target_identity(),
        )
        stored = self.cache.load_arrays("baseline", key)
        if stored is None:
            test = self.data.test
            _, predicted = fit_predict("baseline", self.inputs, self.train, test, config.seed)
            stored = {"predicted": predicted}
            self.cache.save_arrays("baseline", key, stored)
        return stored["predicted"]

    def curve(self, progress: Progress, run: dict[str, np.ndarray]) -> LearningCurve:
        """Test MAE of baseline and transfer over growing shares of the training rows; each
        method's curve is cached on its own, so LV and FT share the baseline's. The progress
        covers the curves to compute, each message naming its method ("learning curve: 50%,
        repeat 3 of 3 (no transfer)"; the repeats of the next method count from 1 again), with
        the time left (TimeLeft). The first repeat at the run's share trains on the run's rows
        with its seed (`used_rows`): the predictions `run` holds are taken, not fitted again
        (qm9's gap at all 8,000 rows: 93 s of each repeat)."""
        config, test = self.config, self.data.test
        methods = ("baseline", config.approach)
        stored = {m: self.cache.load_arrays("curve", self._curve_key(m)) for m in methods}
        missing = [m for m in methods if stored[m] is None]
        told = TimeLeft(progress)
        for i, method in enumerate(missing):
            curve = learning_curve(
                {method: lambda rows, seed, m=method: self._predict(m, rows, seed, run)},
                self.data.y,
                self.data.train,
                test,
                seed=config.seed,
                shares=config.curve_shares,
                repeats=config.curve_repeats,
                progress=lambda f, message, i=i, m=method: told(
                    (i + f) / len(missing), f"{message} ({METHOD_NAMES[m]})"
                ),
            )
            stored[method] = {"mae": curve.mae[method], "n_train": np.array(curve.n_train)}
            self.cache.save_arrays("curve", self._curve_key(method), stored[method])
        mae = {m: stored[m]["mae"] for m in methods}
        return LearningCurve(list(config.curve_shares), stored[methods[0]]["n_train"].tolist(), mae)

    def _curve_key(self, method: str) -> str:
        config = self.config
        return cache_key(
            kind="curve",
            method=method,
            model=config.model if method in ("baseline", "lv") else None,
            split=[config.test_size, config.seed],
            shares=list(config.curve_shares),
            repeats=config.curve_repeats,
            **self.data.identity(),
            **self.data.target_identity(),
            lv=array_digest(self.inputs.lv.values),
        )

    def _predict(
        self, method: str, rows: np.ndarray, seed: int, run: dict[str, np.ndarray]
    ) -> np.ndarray:
        """Test predictions of `method` trained on `rows` with `seed`: the run's own when those
        are its rows and seed, else a new fit."""
        if seed == self.config.seed and np.array_equal(rows, self.train):
            return run["baseline" if method == "baseline" else "transfer"]
        return fit_predict(method, self.inputs, rows, self.data.test, seed)[1]


def used_rows(train: np.ndarray, share: float, seed: int) -> np.ndarray:
    """The first `share` of the training rows in the learning curve's first order (so a run
    with a share equals the curve's first repeat at that share), sorted."""
    if share >= 1.0:
        return train
    size = max(MIN_USED_ROWS, min(len(train), round(share * len(train))))
    return np.sort(training_order(train, seed, 0)[:size])


def _result(
    data: TransferData,
    config: TransferConfig,
    lv: LatentVariable,
    train: np.ndarray,
    predictions: dict[str, np.ndarray],
    groups: np.ndarray | None,
    curve: LearningCurve | None,
    started: float,
    timings: dict[str, float],
) -> TransferResult:
    y_test = data.y[data.test]
    baseline, transfer = predictions["baseline"], predictions["transfer"]
    importances = predictions.get("importances")
    names = list(data.feature_names)
    lv_ranks: dict[str, int] = {}
    if config.approach == "lv":
        names += lv.names
        if importances is not None:
            k = len(lv.names)
            lv_ranks = {
                name: int(np.sum(importances > importances[-k + i])) + 1
                for i, name in enumerate(lv.names)
            }
    return TransferResult(
        approach=config.approach,
        model=config.model,
        source_column=data.source_column,
        target_column=data.target_column,
        seed=config.seed,
        test_size=config.test_size,
        n_source=lv.n_source,
        n_train=len(train),
        n_train_all=len(data.train),
        n_test=len(data.test),
        test_rows=data.test_frame_rows,
        y_test=y_test,
        baseline_pred=baseline,
        transfer_pred=transfer,
        baseline=regression_metrics(y_test, baseline),
        transfer=regression_metrics(y_test, transfer),
        group_by=None if groups is None else _group_name(config.group_by),
        groups=groups,
        group_metrics=[]
        if groups is None
        else group_metrics(y_test, {"baseline": baseline, "transfer": transfer}, groups),
        feature_names=names,
        importances=importances,
        lv_ranks=lv_ranks,
        n_overlap=lv.n_overlap,
        same_dataset=data.same_dataset,
        source_cached=lv.cached,
        learning_curve=curve,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def _groups(data: TransferData, group_by: str | None) -> np.ndarray | None:
    """Group label of each test row: by a column of the target table, or (AUTO_GROUPS) target
    = 0 against the rest when at least 5 % of the targets are 0, as for metals among gaps."""
    if group_by is None:
        return None
    if group_by == AUTO_GROUPS:
        zero_share = float(np.mean(data.y == 0.0))
        if _AUTO_ZERO_SHARE <= zero_share < 1.0:
            return zero_groups(data.y[data.test])
        return None
    frame = data.target.frame
    if group_by not in frame.columns:
        raise ValueError(
            f"The target '{data.target.title}' has no column '{group_by}' to group by."
        )
    values = frame[group_by].iloc[data.test_frame_rows]
    return values.astype(object).where(values.notna(), "(empty)").astype(str).to_numpy()


def _group_name(group_by: str | None) -> str | None:
    return "target = 0" if group_by == AUTO_GROUPS else group_by

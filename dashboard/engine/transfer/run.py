"""run_transfer: one source/target pair, one approach, one split -> a TransferResult.

Stages, with `progress(fraction, message)` called between them (a caller cancels by raising
from it): target features, source model (or its cached predictions), baseline and transfer
models, optionally the learning curve. The predictions of a finished run are cached too, so
the same request again only reads files.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer.cache import TransferCache, cache_key
from dashboard.engine.transfer.curve import (
    REPEATS,
    SHARES,
    LearningCurve,
    Method,
    learning_curve,
)
from dashboard.engine.transfer.data import TransferData, prepare
from dashboard.engine.transfer.finetune import (
    Network,
    NetworkSpec,
    finetune,
    pretrain,
    train_scratch,
)
from dashboard.engine.transfer.lv import (
    SOURCE_SEED,
    LatentVariable,
    count_overlap,
    latent_variable,
    source_identity,
    source_training_rows,
)
from dashboard.engine.transfer.metrics import group_metrics, regression_metrics, zero_groups
from dashboard.engine.transfer.models import (
    DEFAULT_TARGET_MODEL,
    TARGET_MODELS,
    feature_importances,
    make_target_model,
)
from dashboard.engine.transfer.result import TransferResult

APPROACHES: dict[str, str] = {
    "lv": "latent variable: the source model's prediction is one more input of the target model",
    "ft": "fine-tuning: a network pre-trained on the source is trained further on the target",
}
MLP = "mlp"
AUTO_GROUPS = "auto"
"""group_by value: metals (target = 0) against the rest when at least 5 % of targets are 0."""
_AUTO_ZERO_SHARE = 0.05

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class TransferConfig:
    """What to run. `model` is the target model (TARGET_MODELS or "mlp"); None picks the
    approach's default: the benchmark's winner for LV, the MLP for fine-tuning. `descriptors`
    adds RDKit descriptors to the ECFP bits of molecules (they carry most of what a model of
    solvation or orbital energies needs); compositions ignore it."""

    approach: str = "lv"
    model: str | None = None
    test_size: float = 0.2
    seed: int = 42
    n_jobs: int = 2
    descriptors: bool = True
    network: NetworkSpec = field(default_factory=NetworkSpec)
    group_by: str | None = AUTO_GROUPS
    learning_curve: bool = False
    curve_shares: tuple[float, ...] = SHARES
    curve_repeats: int = REPEATS

    @property
    def target_model(self) -> str:
        if self.model is not None:
            return self.model
        return MLP if self.approach == "ft" else DEFAULT_TARGET_MODEL

    def validate(self) -> None:
        """Raise ValueError for an unknown approach or model, or a model the approach cannot use."""
        if self.approach not in APPROACHES:
            raise ValueError(f"Unknown approach {self.approach!r}; choose 'lv' or 'ft'.")
        if self.target_model not in (*TARGET_MODELS, MLP):
            raise ValueError(
                f"Unknown model {self.target_model!r}; choose one of "
                f"{', '.join((*TARGET_MODELS, MLP))}."
            )
        if self.approach == "ft" and self.target_model != MLP:
            raise ValueError("Fine-tuning trains a neural network: use the model 'mlp'.")


def run_transfer(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> TransferResult:
    """Train baseline and transfer models on the target's training rows and score both on its
    test rows; see TransferResult. `cache_dir` keeps features, source models and results.
    `config.n_jobs` bounds every thread pool (forests, OpenMP boosting, BLAS): threads beyond
    the free cores make OpenMP spin and slow down many times over."""
    config = config or TransferConfig()
    config.validate()
    with threadpool_limits(limits=config.n_jobs):
        return _run(source, source_column, target, target_column, config, cache_dir, progress)


def _run(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig,
    cache_dir: Path | None,
    progress: Progress | None,
) -> TransferResult:
    started = time.perf_counter()
    report = _Reporter(progress)
    cache = TransferCache(cache_dir)
    report(0.0, "features of the target")
    data = prepare(
        source,
        source_column,
        target,
        target_column,
        test_size=config.test_size,
        seed=config.seed,
        feature_cache=None if cache_dir is None else Path(cache_dir) / "features",
        feature_params={"descriptors": config.descriptors},
    )
    timings = {"features": time.perf_counter() - started}
    groups = _groups(data, config.group_by)
    report(0.1, "source model")
    fit = _Fitter(data, config, cache)
    source = fit.source()
    timings["source"] = time.perf_counter() - started - timings["features"]
    report(0.5, "baseline and transfer models")
    predictions = fit.predictions()
    timings["target"] = time.perf_counter() - started - sum(timings.values())
    curve = None
    if config.learning_curve:
        curve = learning_curve(
            fit.curve_methods(),
            data.y,
            data.train,
            data.test,
            seed=config.seed,
            shares=config.curve_shares,
            repeats=config.curve_repeats,
            progress=lambda f, message: report(0.6 + 0.4 * f, message),
        )
        timings["learning_curve"] = time.perf_counter() - started - sum(timings.values())
    report(1.0, "done")
    return _result(data, config, source, predictions, groups, curve, started, timings)


class _Reporter:
    """Calls the progress callback, if any."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def __call__(self, fraction: float, message: str) -> None:
        if self.progress is not None:
            self.progress(min(1.0, max(0.0, fraction)), message)


@dataclass
class _SourceInfo:
    n_source: int
    n_overlap: int
    cached: bool
    lv: LatentVariable | None = None
    network: Network | None = None


class _Fitter:
    """Trains what one configuration needs, keeping the source's part for the curve."""

    def __init__(self, data: TransferData, config: TransferConfig, cache: TransferCache) -> None:
        self.data = data
        self.config = config
        self.cache = cache
        self.info: _SourceInfo | None = None

    def source(self) -> _SourceInfo:
        if self.config.approach == "lv":
            lv = latent_variable(self.data, self.cache, self.config.n_jobs)
            self.info = _SourceInfo(lv.n_source, lv.n_overlap, lv.cached, lv=lv)
        else:
            self.info = self._pretrained()
        return self.info

    def _pretrained(self) -> _SourceInfo:
        """The network pre-trained on the source rows (never on a shared table's test rows)."""
        spec = self.config.network
        pretraining = {k: v for k, v in asdict(spec).items() if not k.startswith("target")}
        pretraining.pop("finetune_learning_rate")
        pretraining.pop("frozen_layers")
        identity = source_identity(self.data)
        key = cache_key(kind="pretrained", network=pretraining, seed=SOURCE_SEED, **identity)
        network = self.cache.load_model("pretrained", key)
        counts = self.cache.load_arrays("pretrained", key)
        if isinstance(network, Network) and counts is not None:
            return _SourceInfo(
                int(counts["n_source"]), int(counts["n_overlap"]), True, network=network
            )
        X, y, _ = source_training_rows(self.data)
        network = pretrain(X, y, spec, SOURCE_SEED)
        n_overlap = count_overlap(self.data.X, X)
        self.cache.save_model("pretrained", key, network)
        self.cache.save_arrays(
            "pretrained", key, {"n_source": np.array(len(y)), "n_overlap": np.array(n_overlap)}
        )
        return _SourceInfo(len(y), n_overlap, False, network=network)

    def _inputs(self, transfer: bool) -> np.ndarray:
        if transfer and self.config.approach == "lv":
            return np.column_stack([self.data.X, self.info.lv.values])
        return self.data.X

    def _fit_predict(
        self, transfer: bool, rows: np.ndarray, seed: int
    ) -> tuple[object, np.ndarray]:
        """Fit baseline or transfer model on `rows`; its predictions for the test rows."""
        X = self._inputs(transfer)
        y = self.data.y[rows]
        test = X[self.data.test]
        spec = self.config.network
        if self.config.approach == "ft" and transfer:
            model = finetune(self.info.network, X[rows], y, spec, seed)
        elif self.config.target_model == MLP:
            model = train_scratch(X[rows], y, spec, seed)
        else:
            model = make_target_model(self.config.target_model, seed, self.config.n_jobs)
            model.fit(X[rows], y)
        return model, model.predict(test)

    def predictions(self) -> dict[str, np.ndarray]:
        """Baseline and transfer predictions on the test rows and the transfer model's
        importances, read from the cache when this exact run was done before."""
        config = self.config
        key = cache_key(
            kind="result",
            run=[config.approach, config.target_model, config.test_size, config.seed],
            network=asdict(config.network) if config.target_model == MLP else None,
            **self.data.identity(),
            **self.data.target_identity(),
            lv=None if self.info.lv is None else _digest(self.info.lv.values),
        )
        stored = self.cache.load_arrays("result", key)
        if stored is not None:
            return stored
        train = self.data.train
        _, baseline = self._fit_predict(False, train, self.config.seed)
        model, transfer = self._fit_predict(True, train, self.config.seed)
        arrays = {"baseline": baseline, "transfer": transfer}
        if self.config.approach == "lv" and hasattr(model, "get_params"):
            X = self._inputs(True)[self.data.test]
            arrays["importances"] = feature_importances(
                model, X, self.data.y[self.data.test], self.config.seed
            )
        self.cache.save_arrays("result", key, arrays)
        return arrays

    def curve_methods(self) -> dict[str, Method]:
        """The learning curve's two methods: the baseline and the transfer model."""
        return {
            "baseline": lambda rows, seed: self._fit_predict(False, rows, seed)[1],
            self.config.approach: lambda rows, seed: self._fit_predict(True, rows, seed)[1],
        }


def _result(
    data: TransferData,
    config: TransferConfig,
    source: _SourceInfo,
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
        names += source.lv.names
        if importances is not None:
            k = len(source.lv.names)
            lv_ranks = {
                name: int(np.sum(importances > importances[-k + i])) + 1
                for i, name in enumerate(source.lv.names)
            }
    return TransferResult(
        approach=config.approach,
        model=config.target_model,
        source_column=data.source_column,
        target_column=data.target_column,
        seed=config.seed,
        test_size=config.test_size,
        n_source=source.n_source,
        n_train=len(data.train),
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
        n_overlap=source.n_overlap,
        same_dataset=data.same_dataset,
        source_cached=source.cached,
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


def _digest(values: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()[:16]

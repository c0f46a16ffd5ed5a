"""k-fold cross-validation of every method on one source/target pair: the Matbench protocol.

Matbench scores a model on each of five folds of `KFold(n_splits=5, shuffle=True,
random_state=18012019)` over its dataset's rows, trained on the other four; hyperparameters are
chosen inside the training folds (here every model chooses its own in `fit`, on a hold-out of
the rows it is given). The folds are drawn over all rows of the target table, in its order, so
a table in Matbench's order gets Matbench's folds. Optionally each method is also trained on a
share of every training fold (the learning curve at small target sizes), on the same test fold.
The predictions of each method on each fold are cached: a rerun reads them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer.cache import TransferCache, array_digest, cache_key
from dashboard.engine.transfer.data import TransferData, prepare
from dashboard.engine.transfer.lv import LatentVariable, latent_variable
from dashboard.engine.transfer.methods import METHODS, Inputs, fit_predict
from dashboard.engine.transfer.metrics import regression_metrics
from dashboard.engine.transfer.models import DEFAULT_TARGET_MODEL
from dashboard.engine.transfer.run import Progress, Reporter, feature_folder, used_rows

MATBENCH_SEED = 18012019


@dataclass(frozen=True)
class CrossValidationConfig:
    """Folds and seed of the split, the target model of baseline and LV, the methods, and the
    shares of each training fold for the learning curve (none by default)."""

    folds: int = 5
    seed: int = MATBENCH_SEED
    model: str = DEFAULT_TARGET_MODEL
    methods: tuple[str, ...] = METHODS
    curve_shares: tuple[float, ...] = ()
    n_jobs: int = 2
    descriptors: bool = True


@dataclass
class CrossValidation:
    """Test MAE and R² of each method on each fold; `curve[share][method]` the MAE per fold when
    trained on that share of the training fold."""

    config: CrossValidationConfig
    n_rows: int
    n_source: int
    n_overlap: int
    mae: dict[str, list[float]]
    r2: dict[str, list[float]]
    curve: dict[float, dict[str, list[float]]]
    source_cached: bool
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def scores(self, method: str) -> dict:
        """{"mae": [MAE per fold], "mae_mean": mean, "r2_mean": mean R²} of one method."""
        return {
            "mae": list(self.mae[method]),
            "mae_mean": float(np.mean(self.mae[method])),
            "r2_mean": float(np.mean(self.r2[method])),
        }


def kfold_test_rows(n_rows: int, folds: int, seed: int) -> list[np.ndarray]:
    """The test rows of each fold of a shuffled KFold over `n_rows` rows (Matbench's split)."""
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return [test for _, test in splitter.split(np.zeros((n_rows, 1)))]


def cross_validate(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: CrossValidationConfig | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> CrossValidation:
    """Every method of `config.methods` trained and scored on each fold of the target."""
    config = config or CrossValidationConfig()
    with threadpool_limits(limits=config.n_jobs):
        return _cross_validate(
            source, source_column, target, target_column, config, cache_dir, progress
        )


def _cross_validate(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: CrossValidationConfig,
    cache_dir: Path | None,
    progress: Progress | None,
) -> CrossValidation:
    started = time.perf_counter()
    report = Reporter(progress)
    cache = TransferCache(cache_dir)
    report(0.0, "features")
    data = prepare(
        source,
        source_column,
        target,
        target_column,
        feature_cache=None if cache_dir is None else feature_folder(cache_dir),
        feature_params={"descriptors": config.descriptors},
    )
    timings = {"features": time.perf_counter() - started}
    folds = _folds(data, len(target.frame), config)
    report(0.1, "source model")
    if data.same_dataset:  # each fold's test rows are withheld from its own source models
        lvs = [latent_variable(fold, cache, config.n_jobs) for fold in folds]
    else:
        lvs = [latent_variable(data, cache, config.n_jobs)] * len(folds)
    timings["source"] = time.perf_counter() - started - timings["features"]
    identity = {
        "config": [config.folds, config.seed, config.model],
        **data.identity(),
        **data.target_identity(),
    }
    scores = _Scores(folds, lvs, config, cache, identity)
    stored = scores.all(lambda f, m: report(0.2 + 0.8 * f, m))
    timings["folds"] = time.perf_counter() - started - sum(timings.values())
    report(1.0, "done")
    methods = list(config.methods)
    return CrossValidation(
        config=config,
        n_rows=len(data.y),
        n_source=lvs[0].n_source,
        n_overlap=lvs[0].n_overlap,
        mae={m: stored["mae"][i].tolist() for i, m in enumerate(methods)},
        r2={m: stored["r2"][i].tolist() for i, m in enumerate(methods)},
        curve={
            share: {m: stored["curve"][s, i].tolist() for i, m in enumerate(methods)}
            for s, share in enumerate(config.curve_shares)
        },
        source_cached=all(lv.cached for lv in lvs),
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def _folds(data: TransferData, n_frame_rows: int, config: CrossValidationConfig) -> list:
    """One TransferData per fold: its test rows are the usable rows of the KFold test fold."""
    position = np.full(n_frame_rows, -1)
    position[data.target_rows] = np.arange(len(data.target_rows))
    folds = []
    for frame_test in kfold_test_rows(n_frame_rows, config.folds, config.seed):
        test = np.sort(position[frame_test][position[frame_test] >= 0])
        train = np.setdiff1d(np.arange(len(data.y)), test)
        folds.append(replace(data, train=train, test=test, seed=config.seed))
    return folds


class _Scores:
    """Scores every method on every fold, each fold's predictions cached on their own, so a rerun
    with other methods or shares reuses what it can."""

    def __init__(
        self,
        folds: list[TransferData],
        lvs: list[LatentVariable],
        config: CrossValidationConfig,
        cache: TransferCache,
        identity: dict,
    ) -> None:
        self.folds, self.lvs, self.config = folds, lvs, config
        self.cache, self.identity = cache, identity

    def all(self, progress: Progress) -> dict[str, np.ndarray]:
        """MAE and R² (methods, folds) on the test folds, the curve (shares, methods, folds)."""
        methods, shares = self.config.methods, self.config.curve_shares
        mae = np.empty((len(methods), len(self.folds)))
        r2 = np.empty_like(mae)
        curve = np.empty((len(shares), len(methods), len(self.folds)))
        steps = len(self.folds) * (1 + len(shares))
        for f, fold in enumerate(self.folds):
            y_test = fold.y[fold.test]
            for s, share in enumerate((1.0, *shares)):
                progress((f * (1 + len(shares)) + s) / steps, f"fold {f + 1}: {share:.0%}")
                for i, method in enumerate(methods):
                    metrics = regression_metrics(y_test, self.predictions(f, method, share))
                    if s == 0:
                        mae[i, f], r2[i, f] = metrics.mae, metrics.r2
                    else:
                        curve[s - 1, i, f] = metrics.mae
        return {"mae": mae, "r2": r2, "curve": curve}

    def predictions(self, f: int, method: str, share: float) -> np.ndarray:
        """Test-fold predictions of `method` trained on `share` of fold f's training rows."""
        fold = self.folds[f]
        key = cache_key(
            kind="crossval",
            fold=f,
            method=method,
            share=share,
            lv=array_digest(self.lvs[f].values),
            **self.identity,
        )
        stored = self.cache.load_arrays("crossval", key)
        if stored is not None:
            return stored["predicted"]
        inputs = Inputs(fold.X, fold.y, self.lvs[f], self.config.model, self.config.n_jobs)
        rows = used_rows(fold.train, share, self.config.seed + f)
        predicted = fit_predict(method, inputs, rows, fold.test, f)[1]
        self.cache.save_arrays("crossval", key, {"predicted": predicted})
        return predicted

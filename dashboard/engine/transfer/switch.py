"""What a switch of the target model costs: the work of a run whose source is cached and whose
target models are not, timed model by model on one split, for `bench transfer --matbench`.

A switch retrains the baseline and the LV model with the new target model (and takes the LV
model's importances); features and the source's outputs come from the cache. The result cache
is neither read nor written, so a second benchmark measures the same work as the first.
"""

from __future__ import annotations

import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer.cache import TransferCache
from dashboard.engine.transfer.data import TransferData
from dashboard.engine.transfer.lv import LatentVariable, latent_variable
from dashboard.engine.transfer.methods import Inputs, fit_predict
from dashboard.engine.transfer.models import TARGET_MODELS, feature_importances
from dashboard.engine.transfer.run import TransferConfig, prepared


def switch_seconds(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    cache_dir: Path,
    config: TransferConfig | None = None,
) -> dict[str, float]:
    """Seconds a switch to each target model takes on `config`'s split (80/20, seed 42 by
    default): reading features and latent variables, then fitting both models. The source
    models are trained first if `cache_dir` does not hold them (not timed)."""
    config = config or TransferConfig()
    cache = TransferCache(cache_dir)
    with threadpool_limits(limits=config.n_jobs):
        _read(source, source_column, target, target_column, config, cache)  # fills the cache
        seconds = {}
        for model in TARGET_MODELS:
            started = time.perf_counter()
            data, lv = _read(source, source_column, target, target_column, config, cache)
            inputs = Inputs(data.X, data.y, lv, model, config.n_jobs)
            fit_predict("baseline", inputs, data.train, data.test, config.seed)
            fitted, _ = fit_predict("lv", inputs, data.train, data.test, config.seed)
            feature_importances(fitted)
            seconds[model] = time.perf_counter() - started
    return seconds


def _read(
    source: Dataset,
    source_column: str,
    target: Dataset,
    target_column: str,
    config: TransferConfig,
    cache: TransferCache,
) -> tuple[TransferData, LatentVariable]:
    """The split's data and latent variables, as a run reads them."""
    data = prepared(source, source_column, target, target_column, config, cache.folder)
    return data, latent_variable(data, cache, config.n_jobs)

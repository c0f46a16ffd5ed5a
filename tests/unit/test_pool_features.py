"""Pool features shared between GPs of a process (engine/active_learning/pool_features.py): only
for a read-only pool, identical results, never changed by a GP."""

from __future__ import annotations

import gc
import threading
import time

import numpy as np
import pytest

from dashboard.engine.active_learning import pool_features
from dashboard.engine.active_learning.gaussian_process import GaussianProcess
from dashboard.engine.active_learning.kernels import Stationary, Tanimoto


def pool(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """40 rows: 16 fingerprint bits, then 3 descriptors; y depends on both."""
    rng = np.random.default_rng(seed)
    X = np.hstack([rng.integers(0, 2, (40, 16)).astype(float), rng.normal(size=(40, 3))])
    return X, X[:, :4].sum(axis=1) + np.sin(X[:, 16])


def gp() -> GaussianProcess:
    return GaussianProcess([Tanimoto(slice(0, 16)), Stationary(slice(16, 19), 2.5)])


def test_a_read_only_pool_is_fitted_once_and_gives_the_same_answers():
    X, y = pool()
    shared = X.copy()
    shared.flags.writeable = False
    rows = np.arange(0, 40, 3)
    first = gp().fit_pool(shared, rows, y[rows])
    second = gp().fit_pool(shared, rows, y[rows])
    alone = gp().fit_pool(X, rows, y[rows])
    assert second._features[0] is first._features[0]  # the Tanimoto copy, made once
    assert alone._features[0] is not first._features[0]  # a writable pool is never kept
    for mean_sd, expected in zip(second.predict_pool(), alone.predict_pool(), strict=True):
        np.testing.assert_allclose(mean_sd, expected)
    with pytest.raises(ValueError):
        first._features[1][0, 0] = 1.0  # shared features cannot be changed by one GP


def test_parts_with_other_settings_do_not_share_and_a_freed_pool_is_forgotten():
    X, y = pool(1)
    X.flags.writeable = False
    rows = np.arange(10)
    matern = gp().fit_pool(X, rows, y[rows])
    rbf = GaussianProcess([Tanimoto(slice(0, 16)), Stationary(slice(16, 19), np.inf)])
    rbf.fit_pool(X, rows, y[rows])
    assert rbf._features[0] is matern._features[0]  # the same Tanimoto part
    assert rbf.parts[1].nu == np.inf and matern.parts[1].nu == 2.5
    held = len(pool_features._kept)
    del X, matern, rbf
    gc.collect()
    assert len(pool_features._kept) < held


def test_threads_that_ask_for_the_same_part_at_once_fit_it_once(monkeypatch):
    X, _ = pool()
    X.flags.writeable = False
    fits = []
    fit = Stationary.fit

    def slow_fit(self: Stationary, X: np.ndarray) -> None:
        fits.append(threading.get_ident())
        time.sleep(0.2)  # long enough for the other thread to ask meanwhile
        fit(self, X)

    monkeypatch.setattr(Stationary, "fit", slow_fit)
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                pool_features.fitted([Stationary(slice(16, 19), 2.5)], X)[1][0]
            )
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fits) == 1 and len(results) == 2
    assert results[0] is results[1]

"""Where a campaign starts and how its pool is drawn: initial designs and a 2-D map of features.

The space-filling design is k-means++ seeding (Arthur & Vassilvitskii 2007) on the first
principal components: each new row is drawn with probability proportional to its squared
distance from the rows already chosen, so the start covers the pool's main directions of
variation instead of its densest region, yet stays random (a different seed, a different start).
"""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA

from dashboard.engine.features.blocks import BlockMatrix, center_and_spread
from dashboard.engine.util import one_blas_thread

DESIGNS = ("random", "space-filling")
DESIGN_COMPONENTS = 10
PCA_SAMPLE_ROWS = 2000


def initial_design(X: np.ndarray, size: int, method: str, rng: np.random.Generator) -> np.ndarray:
    """`size` distinct row positions of X by `method` ("random" or "space-filling")."""
    n = X.shape[0]
    if method not in DESIGNS:
        raise ValueError(f"unknown initial design {method!r}; choose one of {list(DESIGNS)}")
    if not 0 < size <= n:
        raise ValueError(f"cannot choose {size} initial rows from {n}")
    if method == "random":
        return np.sort(rng.choice(n, size, replace=False))
    coordinates = principal_components(X, DESIGN_COMPONENTS)
    chosen = [int(rng.integers(n))]
    nearest = ((coordinates - coordinates[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(size - 1):
        total = nearest.sum()
        pick = int(rng.choice(n, p=nearest / total)) if total > 0 else _unchosen(n, chosen, rng)
        chosen.append(pick)
        np.minimum(nearest, ((coordinates - coordinates[pick]) ** 2).sum(axis=1), out=nearest)
    return np.sort(np.asarray(chosen))


@one_blas_thread
def principal_components(X: np.ndarray | BlockMatrix, n_components: int = 2) -> np.ndarray:
    """Rows of X projected on their first principal components, after standardising columns
    (constant columns dropped); deterministic. Used for the design and the pool map.

    The components are fitted on at most PCA_SAMPLE_ROWS rows (a fixed random sample): plenty
    for the main directions of variation, and several times faster on 10,000 molecules. X is
    read in row chunks, so a large pool (a BlockMatrix) is never copied whole as float64.
    """
    center, spread = center_and_spread(X)
    columns = np.flatnonzero(spread > 0)
    k = min(n_components, columns.size, X.shape[0])
    if k == 0:
        return np.zeros((X.shape[0], n_components))
    sample = np.arange(X.shape[0])
    if sample.size > PCA_SAMPLE_ROWS:
        sample = np.random.default_rng(0).choice(sample, PCA_SAMPLE_ROWS, replace=False)
    standard = (X[sample, :][:, columns] - center[columns]) / spread[columns]
    pca = PCA(k, svd_solver="randomized", random_state=0).fit(standard)
    # project every row without building its standardised copy: ((x - c) / s - m) W
    weights = np.zeros((X.shape[1], k))
    weights[columns] = pca.components_.T / spread[columns, None]
    offset = (center[columns] / spread[columns] + pca.mean_) @ pca.components_.T
    projected = X @ weights - offset
    return np.pad(projected, ((0, 0), (0, n_components - k)))


def _unchosen(n: int, chosen: list[int], rng: np.random.Generator) -> int:
    """A uniformly random row not yet chosen (when all remaining rows coincide with chosen ones)."""
    return int(rng.choice(np.setdiff1d(np.arange(n), chosen)))

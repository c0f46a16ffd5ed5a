"""Kernel parts fitted on a pool matrix and the pool's transformed features, shared between GPs.

A part's `fit` and `transform` on the pool depend on the pool matrix and the part's settings
only (not on the measured rows), yet they cost a campaign a good part of a cold step: on qm9
(10,000 x 2,271) the Tanimoto block's sparse copy alone takes 0.13 s. A web process reloads a
campaign whenever another process or host stepped it last, so the result is kept here for a
*read-only* pool matrix (the campaign data a process shares, see dashboard/warm.py, or a
BlockMatrix, read-only by design), as long as that matrix lives; a writable matrix could change
under the cache and is never kept.
"""

from __future__ import annotations

import copy
import threading
import weakref
from collections.abc import Hashable, Sequence

import numpy as np
from scipy import sparse

from dashboard.engine.active_learning.kernels import Part
from dashboard.engine.util import KeyedLocks

_lock = threading.Lock()
_kept: dict[tuple[int, Hashable], tuple[weakref.ref, Part, object]] = {}
"""(id of the pool matrix, part signature) -> (the matrix, the fitted part, its features)."""
_fitting = KeyedLocks()


def fitted(parts: Sequence[Part], X_pool: np.ndarray) -> tuple[list[Part], list]:
    """`parts` fitted on X_pool and each part's transform of X_pool; for a read-only X_pool, a
    part already fitted on it in this process is reused (as a copy; its features are shared)."""
    pairs = [_fitted(part, X_pool) for part in parts]
    return [part for part, _ in pairs], [features for _, features in pairs]


def _fitted(part: Part, X_pool: np.ndarray) -> tuple[Part, object]:
    """The part fitted on X_pool and its features; a thread that asks while another fits the
    same part on the same pool waits for that one's result (a Step that comes while the page
    prepares the campaign, see campaigns.prepare)."""
    if isinstance(X_pool, np.ndarray) and X_pool.flags.writeable:
        return _fit(part, X_pool)
    key = (id(X_pool), _signature(part))
    with _fitting.hold(key):
        with _lock:
            kept = _kept.get(key)
        if kept is not None and kept[0]() is X_pool:
            return copy.copy(kept[1]), kept[2]
        ready, features = _fit(copy.copy(part), X_pool)
        with _lock:
            if not any(k[0] == id(X_pool) for k in _kept):
                weakref.finalize(X_pool, _forget, id(X_pool))
            _kept[key] = (weakref.ref(X_pool), ready, features)
    return copy.copy(ready), features


def _fit(part: Part, X_pool: np.ndarray) -> tuple[Part, object]:
    """Fit the part on the pool and transform it; the features are made read-only, so that a
    GP that changed shared ones would fail loudly."""
    part.fit(X_pool)
    features = part.transform(X_pool)
    (features.data if sparse.issparse(features) else features).flags.writeable = False
    return part, features


def _signature(part: Part) -> Hashable:
    """Everything that decides a part's fit and transform: its class and settings."""
    block = part.block
    columns = (block.start, block.stop, block.step) if isinstance(block, slice) else tuple(block)
    settings = tuple(
        (name, value)
        for name, value in sorted(vars(part).items())
        if name != "block" and not name.startswith("_") and not isinstance(value, np.ndarray)
    )
    return (type(part).__name__, columns, settings)


def _forget(pool_id: int) -> None:
    """Drop the entries of a pool matrix that was freed (its id may be reused)."""
    with _lock:
        for key in [k for k in _kept if k[0] == pool_id]:
            del _kept[key]

"""Live campaigns kept between requests in this process, and their data shared between campaigns.

Loading a saved campaign costs far more than a step: its features are read from the disk cache
(qm9: 38 MB, a 10,000 x 2,271 matrix) and its model is rebuilt from the JSON (kernel bases of
every measured row, a full factorisation). So `campaigns.save` keeps the live campaign here under
its session and the digest of the document it wrote, and `campaigns.load` takes it back when the
saved document still has that digest: the next Step reuses the fitted model.

Rules that keep this safe:
- an entry belongs to one session of one storage folder and is never served to another;
- `take` removes the entry, so a step that fails half-way (or a save that raises) can never leave
  a changed campaign under the old digest: the next load is then simply cold;
- a background job in another process, or another server process, writes a document with a new
  digest, so the kept campaign no longer matches and the next load is cold;
- kept campaigns are bounded by count (`MI_WARM_CAMPAIGNS`) and by the bytes of the arrays they
  hold (MAX_BYTES, shared arrays counted once), least recently used out first.
Feature matrices (CampaignData) are shared read-only, keyed by where the features are cached, the
dataset's content hash, the target and the model: a cold load finds the matrix another session of
this process already holds. Their arrays are made read-only, so that a change would fail loudly.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import numpy as np

from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.util import KeyedLocks

MAX_BYTES = 1 << 30
"""Most bytes of arrays the kept campaigns may hold together, and the shared data apart."""
DATA_ENTRIES = 2
"""Feature matrices kept for sharing besides those the kept campaigns hold."""
_WALKED = ("dashboard.", "scipy.sparse.", "sklearn.")
"""Modules whose objects `held_bytes` looks inside for arrays."""
_SCALARS = (int, float, str, bytes, bool, type(None))


@dataclass(frozen=True)
class _Kept:
    digest: str
    data_key: Hashable
    campaign: Campaign


_lock = threading.Lock()
_campaigns: OrderedDict[Hashable, _Kept] = OrderedDict()
_data: OrderedDict[Hashable, CampaignData] = OrderedDict()
_building = KeyedLocks()


def _unlock_after_fork() -> None:
    """A background job forked while another thread held the lock would wait for it forever; the
    child keeps the kept entries (its own copies: a job of a session may find its campaign)."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_unlock_after_fork)


def digest(document: dict) -> str:
    """sha256 of the document's canonical JSON: the same for a dict and its JSON round trip."""
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def keep(owner: Hashable, saved: str, data_key: Hashable, campaign: Campaign, limit: int) -> None:
    """Keep `campaign` as `owner`'s (a session of a store) campaign saved with digest `saved`,
    replacing the one kept before; then trim to `limit` campaigns and MAX_BYTES (0: keep none)."""
    with _lock:
        _campaigns.pop(owner, None)
        if limit <= 0:
            return
        _campaigns[owner] = _Kept(saved, data_key, campaign)
        while _campaigns and (
            len(_campaigns) > limit
            or held_bytes(kept.campaign for kept in _campaigns.values()) > MAX_BYTES
        ):
            _campaigns.popitem(last=False)


def take(owner: Hashable, saved: str, data_key: Hashable) -> Campaign | None:
    """The campaign kept for `owner` if it was kept with digest `saved` on data `data_key`, taken
    out (the caller owns it now); None otherwise, and a stale entry is dropped."""
    with _lock:
        kept = _campaigns.pop(owner, None)
    if kept is None or kept.digest != saved or kept.data_key != data_key:
        return None
    return kept.campaign


def shared_data(key: Hashable, build: Callable[[], CampaignData], share: bool) -> CampaignData:
    """The data under `key` that this process already holds, else `build()` (outside the lock:
    it may featurise for a minute), made read-only and, with `share`, kept for the next caller.
    With `share`, threads that want the same key build it once: the others wait for it (on
    100,000 molecules each copy is 0.4 GB)."""
    if not share:
        return _read_only(build())
    with _building.hold(key):
        with _lock:
            data = _held_data(key)
        if data is None:
            data = _read_only(build())
        with _lock:
            _keep_data(key, data)
    return data


def _read_only(data: CampaignData) -> CampaignData:
    """`data` with its arrays made read-only, so that a change would fail loudly."""
    for array in (data.X, data.y, data.valid):
        if isinstance(array, np.ndarray):  # a BlockMatrix is read-only already
            array.flags.writeable = False
    return data


def clear() -> None:
    """Forget every kept campaign and shared matrix (tests, benchmarks)."""
    with _lock:
        _campaigns.clear()
        _data.clear()


def kept_count() -> int:
    """How many campaigns are kept now."""
    with _lock:
        return len(_campaigns)


def held_bytes(roots: Iterable[object]) -> int:
    """Bytes of the distinct numpy arrays reachable from `roots` through containers and the
    attributes of our, SciPy's sparse and scikit-learn's objects: what keeping them costs."""
    seen: set[int] = set()
    total = 0
    stack = list(roots)
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, np.ndarray):
            total += item.nbytes
            continue
        if isinstance(item, dict):
            children = list(item.values())  # one C call: safe against a change meanwhile
        elif isinstance(item, list | tuple | set):
            children = list(item)
        elif type(item).__module__.startswith(_WALKED) and hasattr(item, "__dict__"):
            children = list(vars(item).values())
        else:
            continue
        stack.extend(child for child in children if not isinstance(child, _SCALARS))
    return total


def _held_data(key: Hashable) -> CampaignData | None:
    """Shared data under `key`, or a kept campaign's data under it (call with the lock held)."""
    if key in _data:
        return _data[key]
    return next((k.campaign.data for k in _campaigns.values() if k.data_key == key), None)


def _keep_data(key: Hashable, data: CampaignData) -> None:
    """Keep `data` as the newest shared entry, trimmed to DATA_ENTRIES and MAX_BYTES."""
    _data[key] = data
    _data.move_to_end(key)
    while _data and (len(_data) > DATA_ENTRIES or held_bytes(_data.values()) > MAX_BYTES):
        _data.popitem(last=False)

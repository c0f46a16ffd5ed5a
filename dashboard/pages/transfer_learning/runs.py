"""A request of the page (datasets, columns, approach, model, share) run by the transfer engine,
and its JSON document as the session keeps it."""

from __future__ import annotations

import json
import math

from dashboard import catalog, runtime
from dashboard.engine.transfer import NotCached, TransferConfig, TransferResult, run_transfer
from dashboard.job_slots import openmp_threads

CURVE_SHARES = (0.05, 0.1, 0.25, 0.5, 1.0)
"""The page's learning curve: the shares of the slider, three repeats each."""
CURVE_REPEATS = 3
DATA_FIELDS = ("source_key", "source_column", "target_key", "target_column")
"""What a request's features and source outputs depend on (the model, approach and share not)."""


def run_request(
    sid, request: dict, learning_curve: bool, progress, cached_only: bool = False
) -> tuple[TransferResult, dict]:
    """run_transfer for a request of the page; the result and its JSON document."""
    source = catalog.load(sid, request["source_key"])
    target = catalog.load(sid, request["target_key"])
    config = TransferConfig(
        approach=request["approach"],
        model=request["model"],
        train_share=request["train_share"],
        learning_curve=learning_curve,
        curve_shares=CURVE_SHARES,
        curve_repeats=CURVE_REPEATS,
        openmp_threads=openmp_threads(runtime.current().settings),
    )
    result = run_transfer(
        source,
        request["source_column"],
        target,
        request["target_column"],
        config,
        cache_dir=runtime.current().cache_dir,
        progress=progress,
        cached_only=cached_only,
    )
    document = {
        **result.to_dict(),
        "source": source.title,
        "target": target.title,
        "unit": target.units.get(request["target_column"], ""),
        "request": request,
        "key": json.dumps(request, sort_keys=True),
    }
    return result, _json_safe(document)


def switch_from_cache(sid, request: dict, last: dict | None) -> tuple[TransferResult, dict] | None:
    """`request` read from the cache alone when it differs from the session's `last` run only
    in model, approach or share (its features and source outputs are cached then) and its
    target models were trained before (by the idle preparation, or an earlier run); None when
    something would have to be trained. Reading takes no job slot, so such a switch never
    waits behind the session's other job."""
    if last is None or any(last["request"].get(k) != request[k] for k in DATA_FIELDS):
        return None
    try:
        return run_request(sid, request, False, lambda *_: None, cached_only=True)
    except NotCached:
        return None


def _json_safe(value):
    """NaN (an undefined R²) as null, so the stored JSON is standard."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value

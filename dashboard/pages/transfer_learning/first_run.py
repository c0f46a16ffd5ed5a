"""The hint under the dataset pickers: what the chosen pair's first run computes and how long it
takes (engine/transfer/estimate.py), while the cache lacks it, and its learning curve's time
when the box is ticked, both for the target model chosen. qm9 as source and target took 6 min
on two cores, and nothing before Train said so: the progress bar came after the click; its curve
takes about 7 min more with the default model, 2 min with gbr."""

from __future__ import annotations

import dataclasses

from dash import Dash, Input, Output, State

from dashboard import catalog, runtime
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import DEFAULT_TARGET_MODEL, TARGET_MODELS, TransferConfig
from dashboard.engine.transfer.estimate import BUSY, FirstRun, first_run, target_seconds
from dashboard.pages.transfer_learning.layout import DEFAULT_SHARE
from dashboard.pages.transfer_learning.prefetch import prepared_models
from dashboard.pages.transfer_learning.runs import CURVE_REPEATS, CURVE_SHARES
from dashboard.store import SessionError

NOTABLE_SECONDS = 15.0
"""First runs estimated shorter get no hint (FreeSolv's demo: 1 s of features)."""
NOTABLE_CURVE_SECONDS = 60.0
"""A learning curve estimated shorter goes unmentioned: FreeSolv's (14-17 s) follows the run
soon enough, and a sentence telling to untick it would only make the hint longer."""
KIND_WORDS = {"smiles": "molecules", "composition": "compounds"}
"""What a table's structures are (a table of numbers computes no features: its runs are quick)."""


def register_first_run(app: Dash) -> None:
    """Wire `first_run_hint` to the pickers, and to each run (which fills the cache)."""
    app.callback(
        Output("tl-first-run", "children"),
        Input("tl-source", "value"),
        Input("tl-target", "value"),
        Input("tl-share", "value"),
        Input("tl-curve", "value"),
        Input("tl-model", "value"),
        Input("tl-state", "data"),
        State("session-id", "data"),
    )(first_run_hint)


def first_run_hint(source_key, target_key, share, curve, model, _state, sid) -> str:
    """The sentence for the chosen pair, or '' when its first run is short or ran already."""
    config = TransferConfig(
        model=model if model in TARGET_MODELS else DEFAULT_TARGET_MODEL,
        train_share=float(share or DEFAULT_SHARE),
        learning_curve=bool(curve),
        curve_shares=CURVE_SHARES,
        curve_repeats=CURVE_REPEATS,
    )
    try:
        source, target = catalog.load(sid, source_key), catalog.load(sid, target_key)
        run = first_run(source, target, runtime.current().cache_dir, config)
    except (KeyError, ValueError, SessionError):  # no pair yet, or one Train will explain
        return ""
    if run.curve_seconds:
        later = run.curve_seconds + preparation_seconds(target, config)
        run = dataclasses.replace(run, curve_seconds=later)
    return first_run_sentence(run) if run.seconds >= NOTABLE_SECONDS else ""


def preparation_seconds(target: Dataset, config: TransferConfig) -> float:
    """Seconds of the other target models, which the page trains after a run, on its rows, so
    that a switch reads its result (prefetch.py); the curve starts when they are done."""
    others = prepared_models(config.model)
    return sum(target_seconds(target, dataclasses.replace(config, model=m)) for m in others)


def first_run_sentence(run: FirstRun) -> str:
    """'This pair's first run computes the features of 10,642 molecules and trains a source
    model: about 2–3 min on two cores; later runs read the features and source models from the
    cache.'"""
    parts = []
    if run.featurised:
        kind = KIND_WORDS[run.featurised[0].structure_kind]
        parts.append(f"computes the features of {run.structures:,} {kind}")
    if run.models == 1:
        parts.append("trains a source model")
    elif run.models > 1:
        parts.append(f"trains {run.models} source models (the table is source and target)")
    what = " and ".join(parts)
    seconds = run.seconds + run.target_seconds
    if run.target_seconds >= NOTABLE_SECONDS:
        what += ", then its two target models"
    sentence = (
        f"This pair's first run {what}: about {_span(seconds)} on two cores; "
        "later runs read the features and source models from the cache."
    )
    if run.curve_seconds >= NOTABLE_CURVE_SECONDS:
        sentence += (
            f" The learning curve then takes about {_span(run.curve_seconds)} more; untick it "
            "to see the run alone."
        )
    return sentence


def _span(seconds: float) -> str:
    """'20–40 s' or '2–3 min': from a quiet server's time to a busy one's."""
    high = seconds * BUSY
    if high < 90:
        return f"{round(seconds, -1):.0f}–{round(high, -1):.0f} s"
    low_minutes = max(1, round(seconds / 60))
    return f"{low_minutes}–{max(low_minutes + 1, round(high / 60))} min"

"""A session's active-learning campaign in the store: start, load, change, save, and its view.

The campaign itself is saved as its JSON (`Campaign.to_dict`); beside it an .npz keeps what the
plots of the current step need (predictions, the pool map, the random-search baseline), so that
showing the page again never refits a model. Callers hold the session lock while they change it.

One commit: the .npz is written first under a new name, then the JSON, which names it
("plot_arrays"), replaces the old JSON in one rename; older .npz files go last. A crash at any
point leaves a JSON and the arrays it names, so the previous step keeps showing.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dashboard import catalog, runtime, warm
from dashboard.engine.active_learning.campaign import FORMAT, Campaign, Snapshot
from dashboard.engine.active_learning.config import SIMULATED, CampaignConfig
from dashboard.engine.active_learning.goals import best_value, utility
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.util import KeyedLocks

KIND = "campaigns"
NAME = "current"
ARRAYS_KEY = "plot_arrays"
PARAMS_KEY = "acquisition_params"
"""The acquisition's parameters as the campaign used them (data-dependent defaults filled in)."""
BASELINE_SEEDS = 10
_preparing = KeyedLocks()
"""Held by `prepare` for a session's campaign while it readies it."""


@dataclass
class View:
    """What the page draws for one step: its snapshot and the campaign around it, per pool row."""

    config: CampaignConfig
    history: list[dict]
    snapshot: Snapshot
    pool_rows: np.ndarray
    coords: np.ndarray
    random_best: np.ndarray | None
    random_recall: np.ndarray | None
    acquisition_params: dict[str, float]

    @property
    def steps(self) -> int:
        return len(self.history) - 1

    @property
    def picked(self) -> np.ndarray:
        """Per pool row: whether it is one of the snapshot's next picks."""
        return np.isin(self.pool_rows, self.snapshot.picks)

    @property
    def utility(self) -> np.ndarray:
        """Predicted means mapped so that higher is better for the goal."""
        return utility(self.snapshot.mean, self.config.goal)

    @property
    def true_best(self) -> float | None:
        truth = self.snapshot.truth
        known = truth[np.isfinite(truth)]
        if self.config.mode != SIMULATED or known.size == 0:
            return None
        return float(best_value(known, self.config.goal))


def campaign_data(
    dataset: Dataset, target: str, model: str, progress: Callable[[float], None] | None = None
) -> CampaignData:
    """Features (cached on disk by content) and target values of a dataset, shared read-only
    with this process's other campaigns on them (warm.py); `progress` hears how far a first
    featurisation has come."""
    return _shared_data(_data_key(dataset, target, model), dataset, target, model, progress)


def _data_key(dataset: Dataset, target: str, model: str) -> tuple:
    """What a campaign's data depend on: the feature cache, the content hash its data will
    carry (`CampaignData.data_hash`: the dataset without the target as an input), target, model."""
    return _key(dataset.without_target_inputs(target).content_hash(), target, model)


def _key(data_hash: str, target: str, model: str) -> tuple:
    return (str(runtime.current().cache_dir), data_hash, target, model)


def _shared_data(
    key: tuple,
    dataset: Dataset,
    target: str,
    model: str,
    progress: Callable[[float], None] | None = None,
) -> CampaignData:
    """The data under `key`: this process's shared copy, else read (or computed) from `dataset`."""

    def build() -> CampaignData:
        return CampaignData.from_dataset(
            dataset, target, model, runtime.current().cache_dir, progress
        )

    return warm.shared_data(key, build, share=_warm_limit() > 0)


def _warm_limit() -> int:
    return runtime.current().settings.warm_campaigns


def _owner(sid: str) -> tuple[str, str]:
    """The warm cache's name for a session: its store folder and id."""
    return (str(runtime.current().store.root), sid)


def start(
    sid: str, config: CampaignConfig, progress: Callable[[float], None] | None = None
) -> Campaign:
    """A new campaign on the session's dataset `config.dataset_id` (a catalog key), saved;
    `progress` as in `campaign_data`."""
    dataset = catalog.load(sid, config.dataset_id)
    data = campaign_data(dataset, config.target, config.model, progress)
    campaign = Campaign(config, data)
    save(sid, campaign, new=True)
    return campaign


def saved(sid: str) -> dict | None:
    """The session's saved campaign as JSON, or None."""
    return runtime.current().store.load_json(sid, KIND, NAME)


def load(sid: str, document: dict | None = None) -> Campaign:
    """The session's campaign (or `document`) bound to its dataset; ValueError when impossible.

    The session's own saved campaign comes from the warm cache when this process saved it last
    and nothing changed since (the caller then owns that live object), else from the disk; if
    this process is preparing it (`prepare`), that is awaited and its result taken."""
    if document is None:
        with _preparing.hold(_owner(sid)):
            pass
    return _load(sid, document)


def _load(sid: str, document: dict | None) -> Campaign:
    """`load` without waiting for a preparation."""
    own = document is None
    document = saved(sid) if own else document
    if document is None:
        raise ValueError("There is no campaign yet: choose the settings and press Start.")
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("this is not a saved MI Dashboard campaign")
    try:
        config = document["config"]
        dataset = catalog.load(sid, config["dataset_id"])
        key = _data_key(dataset, config["target"], config["model"])
        kept = _warm(sid, document, key) if own else None
        if kept is not None:
            return kept
        data = _shared_data(key, dataset, config["target"], config["model"])
    except (KeyError, TypeError) as err:
        raise ValueError(
            f"this campaign cannot be loaded: its dataset is not available ({err})"
        ) from err
    return Campaign.from_dict(document, data)


def prepare(sid: str) -> None:
    """Make the session's saved campaign warm in this process and do its next step's model work
    that needs no new value (`Campaign.prepare`), so that the first Step this process serves
    does only the rest. A campaign started or imported in a background job is warm in that
    job's process only: a web process's first Step on 100,000 molecules then read the features,
    fitted the kernel parts and factorised first (2.0 s).

    It takes no session lock: a Step holds that lock while it loads, and `load` waits for a
    preparation under way in this process, then takes its campaign. The campaign is kept only
    if it is still what is saved, and a Step that takes it computes what a cold load would."""
    if _warm_limit() <= 0:
        return
    with _preparing.hold(_owner(sid)):
        document = saved(sid)
        if document is None:
            return
        campaign = _load(sid, None)  # the one this process keeps, if it does
        campaign.prepare()
        config = campaign.config
        key = _key(campaign.data.data_hash, config.target, config.model)
        if saved(sid) == document:
            warm.keep(_owner(sid), warm.digest(document), key, campaign, _warm_limit())


def _warm(sid: str, document: dict, key: tuple) -> Campaign | None:
    """The campaign kept when `document` was saved, if it still is exactly that document."""
    digest = warm.digest(document)
    campaign = warm.take(_owner(sid), digest, key)
    if (
        campaign is None
        or warm.digest(saved_document(campaign, document.get(ARRAYS_KEY))) != digest
    ):
        return None  # also when it changed after its save: then it is not what is saved
    return campaign


def saved_document(campaign: Campaign, arrays: object) -> dict:
    """The JSON document `save` writes for `campaign` with its plot arrays named `arrays`."""
    return {
        **campaign.to_dict(),
        ARRAYS_KEY: arrays,
        PARAMS_KEY: campaign.acquisition_params,
    }


def save(sid: str, campaign: Campaign, new: bool = False) -> None:
    """Write the campaign and the plot arrays of its current step."""
    store = runtime.current().store
    arrays = _snapshot_arrays(campaign.snapshot(), campaign.pool_rows)
    old = None if new else _saved_arrays(sid, saved(sid))
    arrays["coords"] = old["coords"] if old is not None and "coords" in old else campaign.pool_map()
    if campaign.config.mode == SIMULATED:
        baseline = campaign.random_baseline(BASELINE_SEEDS)
        arrays["random_best"], arrays["random_recall"] = (
            baseline["best_so_far"],
            baseline["top_k_recall"],
        )
    name = f"{NAME}-{secrets.token_hex(6)}"
    document = saved_document(campaign, name)
    store.save_arrays(sid, KIND, name, arrays)
    store.save_json(sid, KIND, NAME, document)
    store.delete_arrays(sid, KIND, keep={name})
    config = campaign.config
    key = _key(campaign.data.data_hash, config.target, config.model)
    warm.keep(_owner(sid), warm.digest(document), key, campaign, _warm_limit())


def _saved_arrays(sid: str, document: dict | None) -> dict[str, np.ndarray] | None:
    """The plot arrays the saved campaign names, when they are there and fit its pool."""
    name = (document or {}).get(ARRAYS_KEY)
    if not isinstance(name, str):
        return None
    try:
        arrays = runtime.current().store.load_arrays(sid, KIND, name)
    except ValueError:
        return None
    if arrays is None or arrays["pool_rows"].size != arrays["mean"].size:
        return None
    return arrays


def view(sid: str, step: int | None = None) -> View:
    """The plots' data for `step` (default: the current one) of the session's campaign."""
    document = saved(sid)
    if document is None:
        raise ValueError("There is no campaign yet: choose the settings and press Start.")
    arrays = _saved_arrays(sid, document)
    current = len(document["history"]) - 1
    step = current if step is None else max(0, min(int(step), current))
    if arrays is None or step != int(arrays["step"]):
        campaign = load(sid, document)
        arrays = {**(arrays or {}), **_snapshot_arrays(campaign.snapshot(step), campaign.pool_rows)}
        arrays.setdefault("coords", campaign.pool_map())
    return View(
        config=CampaignConfig.from_dict(document["config"]),
        history=document["history"],
        snapshot=_snapshot_from_arrays(arrays),
        pool_rows=arrays["pool_rows"],
        coords=arrays["coords"],
        random_best=arrays.get("random_best"),
        random_recall=arrays.get("random_recall"),
        acquisition_params=document.get(PARAMS_KEY) or {},
    )


def _snapshot_arrays(snapshot: Snapshot, pool_rows: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "step": np.asarray(snapshot.step),
        "mean": snapshot.mean,
        "std": snapshot.std,
        "score": snapshot.score,
        "measured": snapshot.measured,
        "truth": snapshot.truth,
        "picks": np.isin(pool_rows, snapshot.picks),
        "acquisition": np.asarray(snapshot.acquisition),
        "pool_rows": pool_rows,
    }


def _snapshot_from_arrays(arrays: dict[str, np.ndarray]) -> Snapshot:
    """The snapshot saved by `_snapshot_arrays` (its picks back as dataset rows)."""
    return Snapshot(
        step=int(arrays["step"]),
        mean=arrays["mean"],
        std=arrays["std"],
        score=arrays["score"],
        measured=arrays["measured"],
        truth=arrays["truth"],
        picks=arrays["pool_rows"][arrays["picks"]].tolist(),
        acquisition=str(arrays["acquisition"]),
    )

"""An active-learning campaign: a pool of candidates, what has been measured, a history of steps.

A step fits the surrogate on the measured rows, scores the other candidates with the acquisition
and proposes the next batch ("picks"). In a *simulated* campaign the dataset's known values are
revealed when `step()` measures the picks (teaching, backtesting); in a *real* one the candidates
have no values yet: `suggest(q)` proposes rows, `add_measurements({row: value})` enters what was
measured and `step()` takes it in.

Step 0 is the initial design. The history holds one JSON-safe record per step (rows added, their
values, model metrics on the unmeasured pool, best so far, top-k recall, hyperparameters, picks,
seconds), and `to_dict()` is that history plus the configuration: no features, no predictions.
Per-candidate predictions for plots come from `snapshot(step)`: kept in memory for the steps
computed in this process, recomputed for others by refitting on that step's measured rows with
that step's stored hyperparameters (no optimisation, so it reproduces the step).
Every public method either succeeds or raises ValueError leaving the campaign as it was.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.engine import acquisition
from dashboard.engine.campaign_config import (
    AUTO,
    REAL,
    SIMULATED,
    CampaignConfig,
    default_batch_method,
)
from dashboard.engine.campaign_data import CampaignData
from dashboard.engine.campaign_metrics import model_metrics, recall, top_k
from dashboard.engine.design import initial_design, principal_components
from dashboard.engine.export import to_safe_csv
from dashboard.engine.goals import best_value, goal_text, utility
from dashboard.engine.surrogates import Surrogate, make_surrogate

FORMAT = "mi-dashboard-campaign"
VERSION = 1
MIN_MODEL_ROWS = 3
INITIAL_DESIGN = "initial design"
_NUMBER = (int, float)
_OPTIONAL = (int, float, type(None))
_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "step": (int,),
    "added": (list,),
    "values": (list,),
    "hyperparameters": (dict,),
    "r2": _OPTIONAL,
    "mae": _OPTIONAL,
    "within_1sigma": _OPTIONAL,
    "within_2sigma": _OPTIONAL,
    "best_so_far": _OPTIONAL,
    "top_k_recall": _OPTIONAL,
    "found_best": (bool, type(None)),
    "picks": (list,),
    "pick_mean": (list,),
    "pick_std": (list,),
    "acquisition": (str,),
    "seconds": _NUMBER,
}
"""The fields of every step record and their JSON types (None where a step has no model or no
known values)."""
_NO_METRICS = {"r2": None, "mae": None, "within_1sigma": None, "within_2sigma": None}


@dataclass
class Snapshot:
    """Everything the plots of one step need, one entry per pool row (see `Campaign.pool_rows`).

    `mean`/`std` are NaN before a model exists; `score` is the acquisition score of candidates
    (NaN for measured rows); `truth` holds the known values (all of them in a simulated campaign,
    the measured ones in a real one, NaN elsewhere); `picks` are the dataset rows chosen next.
    """

    step: int
    mean: np.ndarray
    std: np.ndarray
    score: np.ndarray
    measured: np.ndarray
    truth: np.ndarray
    picks: list[int]
    acquisition: str


class Campaign:
    """An active-learning campaign on `data` (features and target values) run by `config`."""

    def __init__(self, config: CampaignConfig, data: CampaignData) -> None:
        self._bind(config, data)
        self._check_sizes()
        self._entered: dict[int, float] = {}
        self._history: list[dict] = []
        self._commit(*self._advance(*self._start()))

    # reading the state -------------------------------------------------------------------------

    @property
    def step_index(self) -> int:
        """The current step (0 after the initial design)."""
        return len(self._history) - 1

    @property
    def history(self) -> list[dict]:
        """One JSON-safe record per step (a copy)."""
        return copy.deepcopy(self._history)

    @property
    def pending(self) -> list[int]:
        """Dataset rows proposed for the next measurement."""
        return list(self._history[-1]["picks"])

    @property
    def pool_rows(self) -> np.ndarray:
        """Dataset row of each pool position (the order of every Snapshot array)."""
        return self._pool.copy()

    @property
    def measured_rows(self) -> list[int]:
        """Dataset rows measured so far, in the order they were measured."""
        return [row for record in self._history for row in record["added"]]

    @property
    def entered(self) -> dict[int, float]:
        """Real campaigns: values entered since the last step, not yet taken in by `step()`."""
        return dict(self._entered)

    @property
    def model_name(self) -> str:
        """The surrogate actually used ("auto" resolved)."""
        return self._surrogate.name

    @property
    def batch_method(self) -> str:
        """The batch method actually used ("auto" resolved for the model)."""
        if self.config.batch_method == AUTO:
            return default_batch_method(self.model_name, self.config.acquisition)
        return self.config.batch_method

    # moving ------------------------------------------------------------------------------------

    def step(self) -> dict:
        """Measure the picks (simulated) or take in the entered values (real), refit, pick again.

        Returns the new step's record.
        """
        if self.config.mode == SIMULATED:
            positions = self._positions(self.pending)
            if not positions:
                raise ValueError(self._no_picks_message())
            values = [float(self._truth[p]) for p in positions]
        else:
            if not self._entered:
                raise ValueError("enter at least one measured value before taking a step")
            ordered = sorted(self._entered, key=lambda row: (row not in self.pending, row))
            positions, values = self._positions(ordered), [self._entered[r] for r in ordered]
        self._commit(*self._advance(positions, values))
        self._entered = {}
        return copy.deepcopy(self._history[-1])

    def run(self, n: int) -> list[dict]:
        """Take n simulated steps (checked first: enough candidates must be left for all)."""
        if self.config.mode != SIMULATED:
            raise ValueError("run() needs a simulated campaign; a real one steps on entered values")
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"the number of steps must be a positive whole number, got {n!r}")
        needed = len(self.pending) + (n - 1) * self.config.batch_size
        if not self.pending or self._candidates().size < needed:
            raise ValueError(
                f"{n} steps need {needed} candidates but {self._candidates().size} are left"
                + ("" if self.pending else "; " + self._no_picks_message())
            )
        return [self.step() for _ in range(n)]

    def back(self) -> dict:
        """Undo the last step; a real campaign keeps its values as entered. Returns the record now
        current."""
        if self.step_index == 0:
            raise ValueError("already at step 0: there is no step to take back")
        undone = self._history.pop()
        self._snapshots.pop(undone["step"], None)
        if self.config.mode == REAL:
            undone_values = dict(zip(undone["added"], undone["values"], strict=True))
            self._entered = {**undone_values, **self._entered}
        self._restore_surrogate()
        return copy.deepcopy(self._history[-1])

    def reset(self) -> None:
        """Back to step 0 (a simulated campaign is then as new; a real one keeps later values
        as entered)."""
        while self.step_index > 0:
            self.back()

    # real campaigns ----------------------------------------------------------------------------

    def suggest(self, q: int | None = None) -> list[int]:
        """The rows to measure next; with q, choose q of them afresh from the current model."""
        if q is None:
            return self.pending
        candidates = self._candidates()
        if not isinstance(q, int) or not 0 < q <= candidates.size:
            raise ValueError(f"can suggest between 1 and {candidates.size} rows, not {q!r}")
        snapshot = self.snapshot()
        record = self._history[-1]
        positions, mean, std = self._choose(snapshot, candidates, record["acquisition"], q)
        record.update(picks=self._rows(positions), pick_mean=mean, pick_std=std)
        snapshot.picks = list(record["picks"])
        return self.pending

    def add_measurements(self, values: Mapping[int, float]) -> None:
        """Enter measured values {dataset row: value} for candidates (real campaigns only)."""
        if self.config.mode != REAL:
            raise ValueError("a simulated campaign reveals values itself; use step()")
        checked = {}
        measured = set(self.measured_rows)
        for row, value in values.items():
            position = self._position_of(row)
            if position < 0 or row in measured:
                raise ValueError(f"row {row} is not a candidate (unknown, unusable or measured)")
            number = _finite_number(value)
            if number is None:
                raise ValueError(f"row {row}: {value!r} is not a finite number")
            checked[int(row)] = number
        self._entered.update(checked)

    def to_table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The dataset's frame with columns `campaign_status` (measured / pending / entered /
        candidate / unusable), `campaign_step` and `campaign_value`, for export."""
        if len(frame) != self.data.y.size:
            raise ValueError(
                f"the frame has {len(frame)} rows, the campaign's data {self.data.y.size}"
            )
        status = np.where(self._position_lookup >= 0, "candidate", "unusable").astype(object)
        step = np.full(len(frame), np.nan)
        value = np.full(len(frame), np.nan)
        for record in self._history:
            status[record["added"]] = "measured"
            step[record["added"]] = record["step"]
            value[record["added"]] = record["values"]
        status[self.pending] = "pending"
        for row, entered in self._entered.items():
            status[row], value[row] = "entered", entered
        return frame.assign(campaign_status=status, campaign_step=step, campaign_value=value)

    def to_csv(self, frame: pd.DataFrame) -> str:
        """`to_table` as spreadsheet-safe CSV text."""
        return to_safe_csv(self.to_table(frame))

    # plots -------------------------------------------------------------------------------------

    def snapshot(self, step: int | None = None) -> Snapshot:
        """Per-pool-row mean, σ, acquisition score and the picks of a step (default: current)."""
        step = self.step_index if step is None else step
        if not isinstance(step, int) or not 0 <= step <= self.step_index:
            raise ValueError(f"step must be between 0 and {self.step_index}, got {step!r}")
        if step not in self._snapshots:
            self._snapshots[step] = self._recompute(step)
        return self._snapshots[step]

    def pool_map(self) -> np.ndarray:
        """2-D coordinates of the pool rows (first two principal components), computed once."""
        if self._map is None:
            self._map = principal_components(self._X, 2)
        return self._map

    def random_baseline(self, seeds: int = 10) -> dict[str, np.ndarray]:
        """Best so far and top-k recall of random search per step, (seeds, steps + 1) arrays,
        with this campaign's initial size and batch size, over the current number of steps."""
        if self.config.mode != SIMULATED:
            raise ValueError(
                "a random-search baseline needs the known values of a simulated campaign"
            )
        steps = max(self.step_index, 1)
        sizes = self.config.initial_size + self.config.batch_size * np.arange(steps + 1)
        sizes = np.minimum(sizes, self._pool.size)
        best = np.empty((seeds, steps + 1))
        found = np.empty((seeds, steps + 1))
        for seed in range(seeds):
            order = np.random.default_rng(seed).permutation(self._pool.size)
            best[seed] = [best_value(self._truth[order[:size]], self.config.goal) for size in sizes]
            found[seed] = [recall(order[:size], self._top) for size in sizes]
        return {"best_so_far": best, "top_k_recall": found}

    def summary(self) -> dict:
        """The figures `python -m dashboard campaign --json` prints (JSON-safe)."""
        found = [r["step"] for r in self._history if r.get("found_best")]
        return {
            "dataset": self.config.dataset_id,
            "target": self.config.target,
            "goal": goal_text(self.config.goal),
            "model": self.model_name,
            "acquisition": self.config.acquisition,
            "batch_method": self.batch_method,
            "pool": int(self._pool.size),
            "steps": self.step_index,
            "best_so_far": [r["best_so_far"] for r in self._history],
            "top_k": int(self._top.size) if self.config.mode == SIMULATED else None,
            "top_k_recall": [r["top_k_recall"] for r in self._history],
            "found_best_at": found[0] if found else None,
            "step_seconds": [r["seconds"] for r in self._history[1:]],
        }

    # saving ------------------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """JSON-safe state: configuration, data fingerprint, history and entered values."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "config": self.config.to_dict(),
            "data_hash": self.data.data_hash,
            "rows": int(self.data.y.size),
            "history": copy.deepcopy(self._history),
            "entered": [[row, value] for row, value in sorted(self._entered.items())],
        }

    @classmethod
    def from_dict(cls, saved: object, data: CampaignData) -> Campaign:
        """Rebuild a campaign saved by `to_dict` on the same data; ValueError if the dict is
        damaged or was saved for other data."""
        if not isinstance(saved, dict) or saved.get("format") != FORMAT:
            raise ValueError("this is not a saved MI Dashboard campaign")
        if saved.get("version") != VERSION:
            raise ValueError(
                f"campaign files of version {saved.get('version')!r} are not supported"
            )
        if saved.get("data_hash") != data.data_hash or saved.get("rows") != data.y.size:
            raise ValueError(
                "this campaign was saved for other data (its fingerprint does not match): load "
                "the dataset it was made with"
            )
        try:
            config = CampaignConfig.from_dict(saved["config"])
            campaign = cls.__new__(cls)
            campaign._bind(config, data)
            campaign._history, campaign._entered = [], {}
            for step, record in enumerate(saved["history"]):
                campaign._history.append(campaign._checked_record(record, step))
            if not campaign._history:
                raise ValueError("it has no steps")
            if saved["entered"]:
                campaign.add_measurements({row: value for row, value in saved["entered"]})
            campaign._restore_surrogate()
        except (KeyError, TypeError, ValueError, IndexError) as err:
            raise ValueError(f"this campaign file is damaged: {err}") from err
        return campaign

    # internals: setting up ---------------------------------------------------------------------

    def _bind(self, config: CampaignConfig, data: CampaignData) -> None:
        """Attach config and data, work out the pool and, if simulated, its known values."""
        self.config, self.data = config, data
        usable = data.valid & (np.isfinite(data.y) if config.mode == SIMULATED else True)
        if config.mode == SIMULATED and not np.isfinite(data.y).any():
            raise ValueError(f"the target {config.target!r} has no values to simulate with")
        self._pool = np.flatnonzero(usable)
        self._position_lookup = np.full(data.y.size, -1)
        self._position_lookup[self._pool] = np.arange(self._pool.size)
        all_rows = self._pool.size == data.y.size
        self._X = data.X if all_rows else data.X[self._pool]
        self._truth = data.y[self._pool].astype(float)
        self._top = top_k(self._truth, config.goal, config.top_k)
        known = np.isfinite(self._truth)
        self._best_utility = utility(self._truth[known], config.goal).max() if known.any() else None
        self._surrogate: Surrogate = make_surrogate(config.model, data.blocks, config.seed)
        self._snapshots: dict[int, Snapshot] = {}
        self._map: np.ndarray | None = None
        self._live_step: int | None = None
        self._review_surrogate: Surrogate | None = None

    def _check_sizes(self) -> None:
        config, pool = self.config, self._pool.size
        if config.mode == SIMULATED and pool < config.initial_size + config.batch_size:
            raise ValueError(
                f"the pool has {pool} usable rows, fewer than the initial design plus one batch "
                f"({config.initial_size} + {config.batch_size}); lower one of them"
            )
        unmeasured = int((~np.isfinite(self._truth)).sum()) if config.mode == REAL else pool
        if config.mode == REAL and unmeasured < config.batch_size:
            raise ValueError(
                f"only {unmeasured} candidates have no value yet, fewer than a batch of "
                f"{config.batch_size}; lower the batch size"
            )

    def _start(self) -> tuple[list[int], list[float]]:
        """Step 0's rows: the initial design (simulated) or the rows that already have values."""
        if self.config.mode == REAL:
            positions = np.flatnonzero(np.isfinite(self._truth)).tolist()
            return positions, [float(self._truth[p]) for p in positions]
        rng = np.random.default_rng(self.config.seed)
        design = initial_design(self._X, self.config.initial_size, self.config.initial_design, rng)
        return design.tolist(), [float(self._truth[p]) for p in design]

    # internals: one step -----------------------------------------------------------------------

    def _advance(self, positions: list[int], values: list[float]) -> tuple[dict, Snapshot]:
        """Compute (without changing the campaign) the record and snapshot of the next step."""
        started = time.perf_counter()
        step = len(self._history)
        before, values_before = self._measured_until(step - 1)
        measured, all_values = before + list(positions), values_before + list(values)
        record = {
            "step": step,
            "added": self._rows(positions),
            "values": list(map(float, values)),
            "hyperparameters": {},
            **_NO_METRICS,
        }
        candidates = np.setdiff1d(np.arange(self._pool.size), measured)
        if len(measured) < MIN_MODEL_ROWS:
            snapshot = self._design_snapshot(step, measured, all_values)
        else:
            self._surrogate.fit_pool(self._X, np.asarray(measured), np.asarray(all_values))
            self._live_step = step
            mean, std = self._surrogate.predict_pool()
            name = self._acquisition_name(mean[candidates], candidates)
            snapshot = self._model_snapshot(step, measured, all_values, mean, std, name)
            record["hyperparameters"] = dict(self._surrogate.hyperparameters)
            record.update(model_metrics(*self._pool_truth(candidates, mean, std)))
        record.update(self._progress(measured, all_values))
        positions_next, pick_mean, pick_std = self._choose(
            snapshot, candidates, snapshot.acquisition, self._batch(candidates)
        )
        snapshot.picks = self._rows(positions_next)
        record.update(
            picks=snapshot.picks,
            pick_mean=pick_mean,
            pick_std=pick_std,
            acquisition=snapshot.acquisition,
            seconds=time.perf_counter() - started,
        )
        return record, snapshot

    def _commit(self, record: dict, snapshot: Snapshot) -> None:
        self._history.append(record)
        self._snapshots[record["step"]] = snapshot

    def _acquisition_name(self, candidate_mean: np.ndarray, candidates: np.ndarray) -> str:
        """The configured acquisition, or for the seed-switch rule the one it says now."""
        name = self.config.acquisition
        if name != acquisition.SEED_SWITCH:
            return name
        truth = self._truth[candidates]
        current = model_metrics(truth, candidate_mean, np.zeros_like(truth))["r2"]
        threshold = self.config.params.get("threshold", acquisition.SEED_SWITCH_R2)
        return acquisition.seed_switch([r.get("r2") for r in self._history] + [current], threshold)

    def _choose(
        self, snapshot: Snapshot, candidates: np.ndarray, name: str, q: int
    ) -> tuple[list[int], list[float | None], list[float | None]]:
        """q pool positions to measure next (design rows before a model exists), with their
        predicted means and σ."""
        if q == 0:
            return [], [], []
        if name == INITIAL_DESIGN:
            rng = np.random.default_rng([self.config.seed, snapshot.step])
            design = initial_design(self._X[candidates], q, self.config.initial_design, rng)
            return candidates[design].tolist(), [None] * q, [None] * q
        mean, std = snapshot.mean[candidates], snapshot.std[candidates]
        best = best_value(snapshot.truth[snapshot.measured], self.config.goal)
        params = self._params(name, snapshot.step)
        goal = self.config.goal

        def scorer(m: np.ndarray, s: np.ndarray, b: float) -> np.ndarray:
            return acquisition.score(name, m, s, b, goal, **params)

        promise = utility(mean, goal)
        if self.batch_method == "believer" and q > 1:
            if self._live_step != snapshot.step:
                self._refit(self._surrogate, snapshot.step)
            believe = self._surrogate.believer(candidates)
            chosen = acquisition.kriging_believer(
                mean, std, best, goal, q, scorer, believe, tie_break=promise
            )
        else:
            chosen = acquisition.top_q(snapshot.score[candidates], q, tie_break=promise)
        return (
            candidates[chosen].tolist(),
            [float(v) for v in mean[chosen]],
            [float(v) for v in std[chosen]],
        )

    def _model_snapshot(
        self,
        step: int,
        measured: list[int],
        values: list[float],
        mean: np.ndarray,
        std: np.ndarray,
        name: str,
    ) -> Snapshot:
        is_measured = np.zeros(self._pool.size, dtype=bool)
        is_measured[measured] = True
        truth = self._known_truth(measured, values)
        best = best_value(np.asarray(values), self.config.goal)
        scores = np.full(self._pool.size, np.nan)
        candidates = np.flatnonzero(~is_measured)
        params = self._params(name, step)
        scores[candidates] = acquisition.score(
            name, mean[candidates], std[candidates], best, self.config.goal, **params
        )
        return Snapshot(step, mean, std, scores, is_measured, truth, [], name)

    def _design_snapshot(self, step: int, measured: list[int], values: list[float]) -> Snapshot:
        """Before a model exists (a real campaign with fewer than MIN_MODEL_ROWS values)."""
        is_measured = np.zeros(self._pool.size, dtype=bool)
        is_measured[measured] = True
        empty = np.full(self._pool.size, np.nan)
        truth = self._known_truth(measured, values)
        return Snapshot(
            step, empty, empty.copy(), empty.copy(), is_measured, truth, [], INITIAL_DESIGN
        )

    def _progress(self, measured: list[int], values: list[float]) -> dict:
        """Best so far, top-k recall and whether the dataset's best has been found."""
        best = best_value(np.asarray(values), self.config.goal) if values else None
        if self.config.mode == REAL:
            return {"best_so_far": best, "top_k_recall": None, "found_best": None}
        found = bool(utility(np.asarray(values), self.config.goal).max() >= self._best_utility)
        return {
            "best_so_far": best,
            "top_k_recall": recall(np.asarray(measured), self._top),
            "found_best": found,
        }

    def _pool_truth(
        self, candidates: np.ndarray, mean: np.ndarray, std: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known values and predictions of the unmeasured candidates (none in a real campaign)."""
        known = candidates if self.config.mode == SIMULATED else candidates[:0]
        return self._truth[known], mean[known], std[known]

    def _known_truth(self, measured: list[int], values: list[float]) -> np.ndarray:
        if self.config.mode == SIMULATED:
            return self._truth.copy()
        truth = np.full(self._pool.size, np.nan)
        truth[measured] = values
        return truth

    def _params(self, name: str, step: int) -> dict[str, float]:
        """Parameters of the acquisition `name` at `step`: defaults, then the configured ones."""
        if name == "random":
            return {"seed": self.config.seed * 1_000_003 + step}
        defaults = acquisition.PARAMETERS.get(name, {})
        return {**defaults, **{k: v for k, v in self.config.params.items() if k in defaults}}

    def _batch(self, candidates: np.ndarray) -> int:
        """The batch size, or 0 when fewer candidates are left than a batch."""
        return self.config.batch_size if candidates.size >= self.config.batch_size else 0

    def _no_picks_message(self) -> str:
        left = self._candidates().size
        return (
            f"only {left} candidates are left, fewer than the batch size "
            f"{self.config.batch_size}: call suggest(q) with q <= {left}, or start again with a "
            "smaller batch"
        )

    # internals: rows, positions, restoring -----------------------------------------------------

    def _recompute(self, step: int) -> Snapshot:
        """Refit on step `step`'s measured rows with its stored hyperparameters."""
        record = self._history[step]
        measured, values = self._measured_until(step)
        if record["acquisition"] == INITIAL_DESIGN:
            snapshot = self._design_snapshot(step, measured, values)
        else:
            surrogate = self._surrogate if step == self.step_index else self._reviewer()
            mean, std = self._refit(surrogate, step)
            name = record["acquisition"]
            snapshot = self._model_snapshot(step, measured, values, mean, std, name)
        snapshot.picks = list(record["picks"])
        return snapshot

    def _refit(self, surrogate: Surrogate, step: int) -> tuple[np.ndarray, np.ndarray]:
        """Fit `surrogate` as it was at `step` (its measured rows, its hyperparameters)."""
        measured, values = self._measured_until(step)
        surrogate.hyperparameters = self._history[step]["hyperparameters"]
        surrogate.fit_pool(self._X, np.asarray(measured), np.asarray(values), optimize=False)
        if surrogate is self._surrogate:
            self._live_step = step
        return surrogate.predict_pool()

    def _reviewer(self) -> Surrogate:
        """A second model for past steps, so that the live one keeps its warm start and caches."""
        if self._review_surrogate is None:
            self._review_surrogate = make_surrogate(
                self.config.model, self.data.blocks, self.config.seed
            )
        return self._review_surrogate

    def _restore_surrogate(self) -> None:
        """Warm-start the live model from the current step's hyperparameters."""
        self._surrogate.hyperparameters = self._history[-1].get("hyperparameters") or {}
        self._live_step = None

    def _checked_record(self, record: object, step: int) -> dict:
        """A saved record, checked against the data and the steps before it."""
        if not isinstance(record, dict) or set(record) != set(_RECORD_TYPES):
            raise ValueError(f"step {step} does not have the fields of a campaign step")
        for key, kinds in _RECORD_TYPES.items():
            value = record[key]
            if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
                raise ValueError(f"step {step}: {key!r} has the wrong type")
        if record["step"] != step or len(record["added"]) != len(record["values"]):
            raise ValueError(f"step {step}: the step number or the added rows do not add up")
        if not len(record["picks"]) == len(record["pick_mean"]) == len(record["pick_std"]):
            raise ValueError(f"step {step}: the picks and their predictions do not add up")
        measured = set(self.measured_rows)
        for row, value in zip(record["added"], record["values"], strict=True):
            position = self._position_of(row)
            if position < 0 or row in measured or _finite_number(value) is None:
                raise ValueError(
                    f"step {step}: row {row!r} with value {value!r} cannot be measured"
                )
            if self.config.mode == SIMULATED and value != self._truth[position]:
                raise ValueError(f"step {step}: row {row} has value {value}, the data another")
            measured.add(row)
        if any(self._position_of(row) < 0 or row in measured for row in record["picks"]):
            raise ValueError(f"step {step}: a pick is not a candidate")
        if record["hyperparameters"]:
            self._reviewer().hyperparameters = record["hyperparameters"]
        return copy.deepcopy(record)

    def _position_of(self, row: object) -> int:
        """Pool position of a dataset row, -1 when it is not in the pool."""
        if isinstance(row, bool) or not isinstance(row, int | np.integer):
            return -1
        return int(self._position_lookup[row]) if 0 <= row < self._position_lookup.size else -1

    def _positions(self, rows: list[int]) -> list[int]:
        return [int(self._position_lookup[row]) for row in rows]

    def _rows(self, positions: list[int] | np.ndarray) -> list[int]:
        return [int(self._pool[p]) for p in positions]

    def _measured_until(self, step: int) -> tuple[list[int], list[float]]:
        """Pool positions and values measured up to and including `step` (none for -1)."""
        records = self._history[: step + 1]
        rows = [row for record in records for row in record["added"]]
        return self._positions(rows), [value for record in records for value in record["values"]]

    def _candidates(self) -> np.ndarray:
        measured, _ = self._measured_until(self.step_index)
        return np.setdiff1d(np.arange(self._pool.size), measured)


def _finite_number(value: object) -> float | None:
    """The value as a finite float, or None (bools and text are not numbers here)."""
    if isinstance(value, bool | str) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None

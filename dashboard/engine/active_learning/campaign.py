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

import numpy as np
import pandas as pd

from dashboard.engine.active_learning import acquisition
from dashboard.engine.active_learning.config import (
    MIN_MODEL_ROWS,
    REAL,
    SIMULATED,
    CampaignConfig,
)
from dashboard.engine.active_learning.design import initial_design
from dashboard.engine.active_learning.goals import best_value, utility
from dashboard.engine.active_learning.metrics import model_metrics, recall
from dashboard.engine.active_learning.pool import CampaignData, Pool
from dashboard.engine.active_learning.review import Review
from dashboard.engine.active_learning.saved import (
    FORMAT,
    VERSION,
    check_header,
    check_record,
    finite_number,
)
from dashboard.engine.active_learning.snapshot import INITIAL_DESIGN, Snapshot
from dashboard.engine.active_learning.surrogates import Surrogate, make_surrogate
from dashboard.engine.active_learning.table import campaign_table
from dashboard.engine.data.export import to_safe_csv, whole_numbers
from dashboard.engine.wording import counted, verb

_NO_METRICS = {"r2": None, "mae": None, "within_1sigma": None, "within_2sigma": None}


class Campaign(Review):
    """An active-learning campaign on `data` (features and target values) run by `config`."""

    fit_seconds: float = 0.0
    """Seconds the last computed step spent fitting the model (0 without one); not saved."""

    def __init__(self, config: CampaignConfig, data: CampaignData) -> None:
        self._bind(config, data)
        self._check_sizes()
        self._entered: dict[int, float] = {}
        self._history: list[dict] = []
        self._commit(*self._advance(*self._start()))

    # moving ------------------------------------------------------------------------------------

    def step(self) -> dict:
        """Measure the picks (simulated) or take in the entered values (real), refit, pick again.

        Returns the new step's record.
        """
        if self.config.mode == SIMULATED:
            positions = self._pool.positions(self.pending)
            if not positions:
                raise ValueError(self._no_picks_message())
            values = [float(self._pool.truth[p]) for p in positions]
        else:
            if not self._entered:
                raise ValueError("enter at least one measured value before taking a step")
            ordered = sorted(self._entered, key=lambda row: (row not in self.pending, row))
            positions, values = self._pool.positions(ordered), [self._entered[r] for r in ordered]
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
        record.update(picks=self._pool.rows_of(positions), pick_mean=mean, pick_std=std)
        snapshot.picks = list(record["picks"])
        return self.pending

    def add_measurements(self, values: Mapping[int, float]) -> None:
        """Enter measured values {dataset row: value} for candidates (real campaigns only)."""
        if self.config.mode != REAL:
            raise ValueError("a simulated campaign reveals values itself; use step()")
        checked = {}
        measured = set(self.measured_rows)
        for row, value in values.items():
            position = self._pool.position_of(row)
            if position < 0 or row in measured:
                raise ValueError(f"row {row} is not a candidate (unknown, unusable or measured)")
            number = finite_number(value)
            if number is None:
                raise ValueError(f"row {row}: {value!r} is not a finite number")
            checked[int(row)] = number
        self._entered.update(checked)

    def to_table(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The dataset's frame with columns `campaign_status` (measured / pending / entered /
        candidate / unusable), `campaign_step` and `campaign_value`, for export."""
        return campaign_table(
            frame, self._pool.lookup >= 0, self._history, self.pending, self._entered
        )

    def to_csv(self, frame: pd.DataFrame) -> str:
        """`to_table` as spreadsheet-safe CSV text, whole numbers as integers (a step 3, not 3.0;
        221, not 221.0) like the page's downloads."""
        return to_safe_csv(whole_numbers(self.to_table(frame)))

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
        saved = check_header(saved, data.data_hash, int(data.y.size))
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
        if config.mode == SIMULATED and not np.isfinite(data.y).any():
            raise ValueError(f"the target {config.target!r} has no values to simulate with")
        self._pool = Pool(data, config.mode == SIMULATED, config.goal, config.top_k)
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
                + _sizes_that_fit(pool, config.initial_size, config.batch_size)
            )
        unmeasured = int((~np.isfinite(self._pool.truth)).sum()) if config.mode == REAL else pool
        if config.mode == REAL and unmeasured == 0:
            raise ValueError(
                f"every row has a value of '{config.target}', so there is nothing left to "
                "suggest; add the candidates to measure as rows whose target is empty or PENDING"
            )

    def _start(self) -> tuple[list[int], list[float]]:
        """Step 0's rows: the initial design (simulated) or the rows that already have values."""
        if self.config.mode == REAL:
            positions = np.flatnonzero(np.isfinite(self._pool.truth)).tolist()
            return positions, [float(self._pool.truth[p]) for p in positions]
        rng = np.random.default_rng(self.config.seed)
        design = initial_design(
            self._pool.X, self.config.initial_size, self.config.initial_design, rng
        )
        return design.tolist(), [float(self._pool.truth[p]) for p in design]

    # internals: one step -----------------------------------------------------------------------

    def _advance(self, positions: list[int], values: list[float]) -> tuple[dict, Snapshot]:
        """Compute (without changing the campaign) the record and snapshot of the next step."""
        started = time.perf_counter()
        step = len(self._history)
        before, values_before = self._measured_until(step - 1)
        measured, all_values = before + list(positions), values_before + list(values)
        record = {
            "step": step,
            "added": self._pool.rows_of(positions),
            "values": list(map(float, values)),
            "hyperparameters": {},
            **_NO_METRICS,
        }
        candidates = np.setdiff1d(np.arange(self._pool.size), measured)
        self.fit_seconds = 0.0
        if len(measured) < MIN_MODEL_ROWS:
            snapshot = self._design_snapshot(step, measured, all_values)
        else:
            fitting = time.perf_counter()
            self._surrogate.fit_pool(self._pool.X, np.asarray(measured), np.asarray(all_values))
            self.fit_seconds = time.perf_counter() - fitting
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
        snapshot.picks = self._pool.rows_of(positions_next)
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
        truth = self._pool.truth[candidates]
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
            design = initial_design(self._pool.X[candidates], q, self.config.initial_design, rng)
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

    def _progress(self, measured: list[int], values: list[float]) -> dict:
        """Best so far, top-k recall and whether the dataset's best has been found."""
        best = best_value(np.asarray(values), self.config.goal) if values else None
        if self.config.mode == REAL:
            return {"best_so_far": best, "top_k_recall": None, "found_best": None}
        found = bool(utility(np.asarray(values), self.config.goal).max() >= self._pool.best_utility)
        return {
            "best_so_far": best,
            "top_k_recall": recall(np.asarray(measured), self._pool.top),
            "found_best": found,
        }

    def _pool_truth(
        self, candidates: np.ndarray, mean: np.ndarray, std: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Known values and predictions of the unmeasured candidates (none in a real campaign)."""
        known = candidates if self.config.mode == SIMULATED else candidates[:0]
        return self._pool.truth[known], mean[known], std[known]

    def _batch(self, candidates: np.ndarray) -> int:
        """The batch size; when fewer candidates are left, all of them in a real campaign (the
        last experiments to run) and none in a simulated one (whose steps are all one size)."""
        if candidates.size >= self.config.batch_size:
            return self.config.batch_size
        return int(candidates.size) if self.config.mode == REAL else 0

    def _no_picks_message(self) -> str:
        left = self._candidates().size
        return (
            f"only {counted(left, 'candidate')} {verb(left, 'is', 'are')} left, fewer than the "
            f"batch size {self.config.batch_size}: call suggest(q) with q <= {left}, or start "
            "again with a smaller batch"
        )

    # internals: rows, positions, restoring -----------------------------------------------------

    def _checked_record(self, record: object, step: int) -> dict:
        """A saved record, checked against the data and the steps before it."""
        simulated = self.config.mode == SIMULATED
        truth = self._pool.truth if simulated else None
        record = check_record(record, step, self.measured_rows, self._pool.position_of, truth)
        if record["hyperparameters"]:
            self._reviewer().hyperparameters = record["hyperparameters"]
        return copy.deepcopy(record)


def _sizes_that_fit(pool: int, initial: int, batch: int) -> str:
    """', e.g. ...': an initial design and batch size that leave a pool of `pool` rows a few
    steps (a third of the pool to start, at most the sizes asked for), or '' for no pool."""
    if pool < 2:
        return ""
    first = max(1, min(initial, pool // 3))
    size = max(1, min(batch, (pool - first) // 4))
    steps = (pool - first) // size
    return (
        f", e.g. an initial design of {first} and batches of {size} "
        f"({counted(steps, 'step')} fit then)"
    )

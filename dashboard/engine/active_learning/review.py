"""Looking back at a campaign: the snapshot of any step, the pool map, random search, a summary.

`Review` is the half of `Campaign` that reads its state and never changes its history; it refits
past steps on a second model (`_reviewer`) so the live one keeps its warm start and caches.
"""

from __future__ import annotations

import copy

import numpy as np

from dashboard.engine.active_learning import acquisition
from dashboard.engine.active_learning.config import (
    AUTO,
    MIN_MODEL_ROWS,
    SIMULATED,
    CampaignConfig,
    default_batch_method,
    default_params,
)
from dashboard.engine.active_learning.design import principal_components
from dashboard.engine.active_learning.goals import best_value, goal_text
from dashboard.engine.active_learning.metrics import random_search
from dashboard.engine.active_learning.pool import CampaignData, Pool
from dashboard.engine.active_learning.snapshot import INITIAL_DESIGN, Snapshot
from dashboard.engine.active_learning.surrogates import Surrogate, default_model, make_surrogate


class Review:
    """Read-only views of a campaign's steps; mixed into `Campaign`, which owns the state."""

    config: CampaignConfig
    data: CampaignData
    _pool: Pool
    _history: list[dict]
    _snapshots: dict[int, Snapshot]
    _map: np.ndarray | None
    _surrogate: Surrogate
    _review_surrogate: Surrogate | None
    _live_step: int | None

    # the state -------------------------------------------------------------------------

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
        return self._pool.rows.copy()

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

    @property
    def acquisition_params(self) -> dict[str, float]:
        """The configured acquisition's parameters as used (defaults for the data filled in; the
        seed-switch rule's PI margin and threshold as configured)."""
        if self.config.acquisition == acquisition.SEED_SWITCH:
            return dict(self.config.params)
        if self.config.acquisition == "random":
            return {}
        return self._params(self.config.acquisition, self.step_index)

    # plots and reports ---------------------------------------------------------------------

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
            self._map = principal_components(self._pool.X, 2)
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
        return random_search(self._pool.truth, self.config.goal, self._pool.top, sizes, seeds)

    def summary(self) -> dict:
        """The figures `python -m dashboard campaign --json` prints (JSON-safe)."""
        found = [r["step"] for r in self._history if r.get("found_best")]
        return {
            "dataset": self.config.dataset_id,
            "target": self.config.target,
            "goal": goal_text(self.config.goal),
            "model": self.model_name,
            # the mixture's weights by member, for "auto" on numeric inputs (auto.py)
            "model_weights": dict(getattr(self._surrogate, "weights", {})) or None,
            "acquisition": self.config.acquisition,
            "acquisition_params": self.acquisition_params,
            "batch_method": self.batch_method,
            "pool": int(self._pool.size),
            "steps": self.step_index,
            "best_so_far": [r["best_so_far"] for r in self._history],
            "top_k": int(self._pool.top.size) if self.config.mode == SIMULATED else None,
            "top_k_recall": [r["top_k_recall"] for r in self._history],
            "found_best_at": found[0] if found else None,
            "step_seconds": [r["seconds"] for r in self._history[1:]],
        }

    # saving ------------------------------------------------------------------------------------

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
        surrogate.fit_pool(self._pool.X, np.asarray(measured), np.asarray(values), optimize=False)
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

    def prepare(self) -> None:
        """Do the next step's model work that needs no new value ahead (Surrogate.bind_pool):
        bind the live model to the pool and ready it for the rows that step will fit, those
        measured and then the picks; a loaded campaign's first step then does only its own work.
        On 100,000 candidates a GP's bases and factor of 60 rows take 0.6 s of a cold step."""
        measured, _ = self._measured_until(len(self._history) - 1)
        rows = measured + self._pool.positions(self.pending)
        enough = len(rows) >= MIN_MODEL_ROWS
        self._surrogate.bind_pool(self._pool.X, np.asarray(rows, dtype=int) if enough else None)

    def _restore_surrogate(self) -> None:
        """Warm-start the live model from the current step's hyperparameters."""
        self._surrogate.hyperparameters = self._history[-1].get("hyperparameters") or {}
        self._live_step = None

    # snapshots ----------------------------------------------------------------------------

    def _model_snapshot(
        self,
        step: int,
        measured: list[int],
        values: list[float],
        mean: np.ndarray,
        std: np.ndarray,
        name: str,
    ) -> Snapshot:
        snapshot = self._design_snapshot(step, measured, values)
        candidates = np.flatnonzero(~snapshot.measured)
        best = best_value(np.asarray(values), self.config.goal)
        params = self._params(name, step)
        snapshot.score[candidates] = acquisition.score(
            name, mean[candidates], std[candidates], best, self.config.goal, **params
        )
        snapshot.mean, snapshot.std, snapshot.acquisition = mean, std, name
        return snapshot

    def _design_snapshot(self, step: int, measured: list[int], values: list[float]) -> Snapshot:
        """Before a model exists (a real campaign with fewer than MIN_MODEL_ROWS values)."""
        truth = self._known_truth(measured, values)
        return Snapshot.empty(step, self._pool.size, measured, truth, INITIAL_DESIGN)

    def _known_truth(self, measured: list[int], values: list[float]) -> np.ndarray:
        if self.config.mode == SIMULATED:
            return self._pool.truth.copy()
        truth = np.full(self._pool.size, np.nan)
        truth[measured] = values
        return truth

    def _params(self, name: str, step: int) -> dict[str, float]:
        """Parameters of the acquisition `name` at `step`: defaults, then the configured ones."""
        if name == "random":
            return {"seed": self.config.seed * 1_000_003 + step}
        defaults = default_params(name, default_model(self.data.blocks) is None)
        return {**defaults, **{k: v for k, v in self.config.params.items() if k in defaults}}

    def _measured_until(self, step: int) -> tuple[list[int], list[float]]:
        """Pool positions and values measured up to and including `step` (none for -1)."""
        records = self._history[: step + 1]
        rows = [row for record in records for row in record["added"]]
        return self._pool.positions(rows), [
            value for record in records for value in record["values"]
        ]

    def _candidates(self) -> np.ndarray:
        measured, _ = self._measured_until(self.step_index)
        return np.setdiff1d(np.arange(self._pool.size), measured)

"""What a campaign is set to do: dataset, target, goal, model, acquisition, design, sizes, seed."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

from dashboard.engine.active_learning import acquisition
from dashboard.engine.active_learning.design import DESIGNS
from dashboard.engine.active_learning.goals import Goal, goal_to_json, parse_goal
from dashboard.engine.active_learning.surrogates import ALIASES, MODELS

SIMULATED, REAL = "simulated", "real"
MODES = (SIMULATED, REAL)
AUTO = "auto"
BATCH_METHODS = (AUTO, "top-q", "believer")
MIN_MODEL_ROWS = 3
"""Measured rows a model needs; with fewer a campaign shows its design only."""
STRATEGIES = (*acquisition.ACQUISITIONS, acquisition.SEED_SWITCH)
"""Every acquisition name a campaign accepts: the score functions plus the seed-switch rule."""
SIGMA_FREE_ACQUISITIONS = ("greedy", "random")
"""Acquisitions whose scores ignore σ, so that a kriging believer would not change a batch."""


SETTINGS_UCB_KAPPA = 1.0
"""UCB's κ, when none is set, on data of numeric settings only (see `default_params`)."""


def default_acquisition(goal: Goal) -> str:
    """What "auto" means, the winners of `bench al`: UCB to maximise or minimise (qm9 LUMO),
    expected improvement to reach a value (expt-gap, 1.4 eV). UCB's κ depends on the data: see
    `default_params`."""
    return "ucb" if goal in ("max", "min") else "ei"


def default_params(name: str, settings_only: bool) -> dict[str, float]:
    """The parameters of acquisition `name` when a campaign sets none: acquisition.PARAMETERS,
    except UCB's κ on data whose inputs are numeric settings only (`settings_only`), which is
    SETTINGS_UCB_KAPPA instead of 2.5.

    Why (`bench external`, README): on the Liang et al. process datasets (2 random, then one
    experiment a step, seeds 0-9) κ = 1 reached 80 % of the top 5 % in a median of 24 experiments
    instead of 44 on AutoAM, 34 instead of 37 on Perovskite, 28 instead of 30.5 on AgNP, the same
    62 on P3HT; on the EDBO reaction tables (choices, batches of 5) it lost (best yield in 11/20
    Suzuki and 16/20 Buchwald-Hartwig runs against 13 and 19), and on qm9 LUMO it made no
    difference (top-100 recall 0.89 against 0.88, median of seeds 0-9).
    """
    defaults = dict(acquisition.PARAMETERS.get(name, {}))
    if name == "ucb" and settings_only:
        defaults["kappa"] = SETTINGS_UCB_KAPPA
    return defaults


def default_batch_method(model: str, acquisition: str) -> str:
    """What batch method "auto" means for a model (by its resolved name) and acquisition: the
    kriging believer for Gaussian processes, whose update is exact and costs one pass over the
    candidates a pick, and which won `bench al` on qm9 (top-100 recall 0.88 median, seed 0 0.86,
    against 0.88 and 0.81 for top-q, whose batches crowd around one optimum); top-q for the
    random forest, whose believer must refit once a pick, and for scores that ignore σ, which
    the believer would leave unchanged.
    """
    if model == "rf" or acquisition in SIGMA_FREE_ACQUISITIONS:
        return "top-q"
    return "believer"


@dataclass(frozen=True)
class CampaignConfig:
    """Settings of a campaign; validated on creation (ValueError with a readable message).

    `acquisition` "auto" becomes the default for the goal (see `default_acquisition`).
    `params` are the acquisition's parameters (see acquisition.PARAMETERS; the seed-switch rule
    takes "xi" for its PI and "threshold" for the R² that switches it). `batch_method` is
    "top-q", "believer" (kriging believer) or "auto" (see `default_batch_method`);
    `initial_design` "random" or "space-filling".
    """

    dataset_id: str
    target: str
    goal: Goal = "max"
    model: str = "auto"
    acquisition: str = AUTO
    params: dict[str, float] = field(default_factory=dict)
    batch_method: str = AUTO
    initial_design: str = "random"
    initial_size: int = 50
    batch_size: int = 10
    seed: int = 0
    top_k: int = 100
    mode: str = SIMULATED

    def __post_init__(self) -> None:
        object.__setattr__(self, "goal", parse_goal(self.goal))
        if self.acquisition == AUTO:
            object.__setattr__(self, "acquisition", default_acquisition(self.goal))
        for name in ("dataset_id", "target"):
            if not isinstance(getattr(self, name), str) or not getattr(self, name):
                raise ValueError(f"{name} must be a non-empty text")
        _one_of("model", self.model, ["auto", *ALIASES, *MODELS])
        _one_of("acquisition", self.acquisition, STRATEGIES)
        _one_of("batch method", self.batch_method, BATCH_METHODS)
        _one_of("initial design", self.initial_design, DESIGNS)
        _one_of("mode", self.mode, MODES)
        for name, least in (("initial_size", 1), ("batch_size", 1), ("seed", 0), ("top_k", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(
                    f"{name} must be a whole number of at least {least}, got {value!r}"
                )
        object.__setattr__(self, "params", self._checked_params())
        if self.acquisition == "target" and not isinstance(self.goal, tuple):
            raise ValueError("the target-value acquisition needs a goal 'value:T', e.g. value:1.4")
        if self.acquisition == acquisition.SEED_SWITCH and self.mode == REAL:
            raise ValueError(
                "the seed-switch rule watches R² on the unmeasured pool, which a real campaign "
                "does not know; choose another acquisition"
            )

    def _checked_params(self) -> dict[str, float]:
        if not isinstance(self.params, dict):
            raise ValueError(f"params must be a mapping of names to numbers, got {self.params!r}")
        allowed = set(acquisition.PARAMETERS.get(self.acquisition, {}))
        if self.acquisition == acquisition.SEED_SWITCH:
            allowed = {"xi", "threshold"}
        checked = {}
        for name, value in self.params.items():
            if name not in allowed:
                raise ValueError(
                    f"acquisition {self.acquisition!r} takes {sorted(allowed) or 'no parameters'}, "
                    f"not {name!r}"
                )
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise ValueError(f"parameter {name!r} must be a finite number, got {value!r}")
            checked[name] = float(value)
        return checked

    def to_dict(self) -> dict:
        """JSON-safe values that `from_dict` reads back."""
        return {**asdict(self), "goal": goal_to_json(self.goal), "params": dict(self.params)}

    @classmethod
    def from_dict(cls, values: object) -> CampaignConfig:
        """A config from `to_dict`'s output; ValueError for unknown or missing settings."""
        if not isinstance(values, dict):
            raise ValueError("the campaign settings are not a mapping")
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown campaign settings {sorted(unknown)}")
        try:
            return cls(**values)
        except TypeError as err:
            raise ValueError(f"campaign settings are incomplete: {err}") from err


def _one_of(what: str, value: object, allowed: tuple | list) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}; choose one of {list(allowed)}")

"""What a campaign is after: the largest value, the smallest, or a value close to a target.

A goal is "max", "min" or ("value", t). Everything that ranks measured values (best so far, top-k,
acquisition) goes through `utility`, which turns a value into "higher is better".
"""

from __future__ import annotations

import math

import numpy as np

from dashboard.engine.data.upload.names import norm

Goal = str | tuple[str, float]

MINIMISED_WORDS = frozenset(
    {
        "loss",
        "cost",
        "price",
        "error",
        "rmse",
        "mae",
        "instability",
        "impurity",
        "impurities",
        "waste",
        "toxicity",
        "degradation",
        "overpotential",
        "roughness",
    }
)
"""Words of a target's name that say lower is better (AgNP's 'loss', the perovskites'
'Instability index', a reaction's 'cost')."""


def default_goal(target: str) -> str:
    """The goal a campaign gets unless one is chosen: "min" when the target's name holds a word
    of MINIMISED_WORDS, else "max" (yield, conductivity, toughness)."""
    return "min" if set(norm(str(target)).split("_")) & MINIMISED_WORDS else "max"


def parse_goal(goal: object) -> Goal:
    """Read "max", "min", "value:1.4", ("value", 1.4) or ["value", 1.4]; ValueError otherwise."""
    if isinstance(goal, str):
        text = goal.strip().lower()
        if text in ("max", "min"):
            return text
        if text.startswith("value:"):
            return ("value", _finite(text.removeprefix("value:"), goal))
    elif isinstance(goal, list | tuple) and len(goal) == 2 and goal[0] == "value":
        return ("value", _finite(goal[1], goal))
    raise ValueError(f"goal {goal!r} is not one of 'max', 'min' or 'value:T' (e.g. 'value:1.4')")


def _finite(raw: object, goal: object) -> float:
    """The target value of a 'value' goal as a finite float."""
    try:
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"goal {goal!r}: the target value must be a finite number")
    return value


def goal_text(goal: Goal) -> str:
    """The goal as the command line spells it: 'max', 'min' or 'value:1.4'."""
    return goal if isinstance(goal, str) else f"value:{goal[1]:g}"


def goal_to_json(goal: Goal) -> str | list:
    """A JSON-safe form that `parse_goal` reads back."""
    return goal if isinstance(goal, str) else ["value", float(goal[1])]


def utility(values: np.ndarray, goal: Goal) -> np.ndarray:
    """Values mapped so that higher is better: y for max, -y for min, -|y - t| for a value."""
    values = np.asarray(values, dtype=float)
    if goal == "max":
        return values
    if goal == "min":
        return -values
    return -np.abs(values - goal[1])


def best_value(values: np.ndarray, goal: Goal) -> float:
    """The best of the measured values under the goal (the value itself, not its utility)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        raise ValueError("no measured values yet")
    return float(values[int(np.argmax(utility(values, goal)))])

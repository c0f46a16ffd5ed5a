"""Reading the campaign form: options that follow the chosen dataset and acquisition, and the
CampaignConfig the form describes."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import no_update

from components.fields import labelled
from dashboard import catalog
from dashboard.engine.active_learning.acquisition import PARAMETERS
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.goals import default_goal
from dashboard.pages.active_learning.controls import ACQUISITIONS
from dashboard.store import SessionError

DEFAULT_DATASET = catalog.BUILTIN + "qm9"
GOALS = ("max", "min", "value")
PARAM_LABELS = {"xi": "ξ (margin)", "kappa": "κ (weight of σ)", "tol": "tolerance (target units)"}
# The form's controls, in the order `build_config` takes their values.
FORM_IDS = (
    "al-dataset",
    "al-target",
    "al-goal",
    "al-goal-value",
    "al-mode",
    "al-model",
    "al-acquisition",
    "al-param",
    "al-init",
    "al-batch",
    "al-seed",
    "al-batch-method",
    "al-design",
)


def dataset_options(sid: str | None, current: str | None):
    """The built-in datasets and the session's uploads; keeps the choice while it is one of them."""
    options = catalog.options(sid)
    keys = {o["value"] for o in options}
    return options, current if current in keys else DEFAULT_DATASET


def target_options(key: str | None, sid: str | None):
    """The dataset's targets with their units, and the one to preselect."""
    try:
        dataset = catalog.load(sid, key)
    except (KeyError, ValueError, SessionError):
        return [], None
    options = [
        {"label": f"{t} ({dataset.units[t]})" if t in dataset.units else t, "value": t}
        for t in dataset.target_columns
    ]
    preferred = "lumo" if "lumo" in dataset.target_columns else dataset.target_columns[0]
    return options, preferred


GOAL_MEMORY = "al-goal-remembered"
"""A store in the browser's local storage: the last goal chosen and the target it was for."""


def goal_for_target(target: str | None, remembered: dict | None):
    """The goal for a newly chosen target: the one remembered for it (chosen by the user or
    restored before this page load), else the target's default (min for 'loss', 'Instability
    index'; max for a yield)."""
    if not target:
        return no_update
    remembered = remembered or {}
    if remembered.get("target") == target and remembered.get("goal") in GOALS:
        return remembered["goal"]
    return default_goal(target)


def remember_goal(goal: str | None, target: str | None):
    """Keep the goal with its target, so that a reload or a return to this target keeps it."""
    if not target or goal not in GOALS:
        return no_update
    return {"target": target, "goal": goal}


def acquisition_help(name: str):
    """What the acquisition does, and an input for its parameter when it has one."""
    params = PARAMETERS.get(name, {})
    if name == "seed-switch":
        params = {"xi": 0.0}
    if not params:
        return ACQUISITIONS.get(name, ""), {"display": "none"}, no_update
    ((param, default),) = params.items()
    control = labelled(
        PARAM_LABELS[param],
        dbc.Input(id="al-param", type="number", size="sm", value=default, debounce=True),
        f"default {default:g}",
    )
    return ACQUISITIONS.get(name, ""), {"display": "block"}, control


def build_config(
    key,
    target,
    goal,
    goal_value,
    mode,
    model,
    acquisition,
    param,
    init,
    batch,
    seed,
    batch_method,
    design,
) -> CampaignConfig:
    """The campaign settings from the page's controls; ValueError with a sentence when wrong."""
    if not key or not target:
        raise ValueError("Choose a dataset and a target first.")
    if goal == "value":
        if goal_value is None:
            raise ValueError("Enter the target value for the goal 'reach a value'.")
        goal = f"value:{goal_value}"
    params = {}
    names = list(PARAMETERS.get(acquisition, {})) or (
        ["xi"] if acquisition == "seed-switch" else []
    )
    if names and param is not None:
        params[names[0]] = float(param)
    whole = {}
    for name, value in (("initial size", init), ("batch size", batch), ("seed", seed)):
        if value is None or float(value) != int(float(value)):
            raise ValueError(f"The {name} must be a whole number.")
        whole[name] = int(float(value))
    return CampaignConfig(
        dataset_id=key,
        target=target,
        goal=goal,
        model=model,
        acquisition=acquisition,
        params=params,
        batch_method=batch_method,
        initial_design=design,
        initial_size=whole["initial size"],
        batch_size=whole["batch size"],
        seed=whole["seed"],
        mode=mode,
    )

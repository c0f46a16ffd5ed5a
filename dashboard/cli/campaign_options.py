"""Reading the options of `campaign` and `bench al`: the dataset (with the roles the user gives),
the configuration, the number of steps (or a budget, or all), top-k as a count or a share.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np

from dashboard.cli.check import check_file, roles_from_args
from dashboard.engine.active_learning.acquisition import PARAMETERS
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.goals import default_goal
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.data import builtin as datasets
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.repeats import merge_repeats
from dashboard.engine.data.upload import UploadLimits, UploadResult
from dashboard.settings import Settings

ALL_STEPS = "all"
GOAL_HELP = (
    "max, min or value:V (default: min when the target's name says lower is better, as loss, "
    "cost, error or instability do; else max)"
)
"""The --goal option's help, for every command that has one (see `config_from_args`)."""


def config_from_args(args: argparse.Namespace, dataset_id: str, **overrides) -> CampaignConfig:
    """The campaign the command-line options say (`campaign`, `bench al`, `suggest`). An option a
    command lacks (`bench al` has no model, acquisition or design, `suggest` no top-k and no
    initial size: a real campaign starts from its measured rows, or from one batch) keeps
    CampaignConfig's default; `overrides` (a bench method's settings, the seed of a run, the
    real mode of `suggest`) win over the options."""
    options = {
        "goal": args.goal or default_goal(args.target),
        "initial_size": getattr(args, "init", None),
        "batch_size": args.batch,
        "top_k": getattr(args, "top_k", None),
        "model": getattr(args, "model", None),
        "acquisition": getattr(args, "acquisition", None),
        "params": parse_params(getattr(args, "param", [])),
        "batch_method": getattr(args, "batch_method", None),
        "initial_design": getattr(args, "design", None),
        "seed": getattr(args, "seed", None),
    }
    given = {name: value for name, value in options.items() if value is not None}
    try:
        return CampaignConfig(dataset_id=dataset_id, target=args.target, **{**given, **overrides})
    except ValueError as err:
        message = str(err)
        for field, option in OPTION_NAMES.items():
            message = message.replace(field, option)
        raise ValueError(message) from None


OPTION_NAMES = {"initial_size": "--init", "batch_size": "--batch", "initial_design": "--design"}
"""CampaignConfig's fields as the options that set them, for the messages of bad values."""


def load_dataset(id_or_file: str, roles: dict | None = None) -> Dataset:
    """A built-in dataset by id, or a data file read like an upload with the `roles` given (see
    `parse_upload`); ValueError saying why not."""
    if id_or_file in {info.id for info in datasets.list_datasets()}:
        if roles:
            raise ValueError("roles can be given for data files only, not a built-in dataset")
        return datasets.load(id_or_file)
    path = Path(id_or_file)
    if not path.exists():
        known = ", ".join(info.id for info in datasets.list_datasets())
        raise ValueError(f"{id_or_file!r} is neither a built-in dataset ({known}) nor a file")
    return load_upload(path, roles).dataset


def load_upload(path: Path, roles: dict | None = None, sheet: str | None = None) -> UploadResult:
    """A data file (a workbook's `sheet`, default the first) read and checked like an upload,
    with the `roles` given; ValueError saying why it cannot be used."""
    limits = UploadLimits.from_settings(Settings.from_env())
    result = check_file(path, limits, sheet, roles)
    if not result.ok:
        raise ValueError(f"{path} cannot be used: " + " ".join(p.message for p in result.problems))
    return result


def parse_params(items: list[str]) -> dict[str, float]:
    """['kappa=2'] -> {'kappa': 2.0}; ValueError for anything else."""
    params = {}
    known = sorted({name for names in PARAMETERS.values() for name in names} | {"threshold"})
    for item in items:
        name, _, value = item.partition("=")
        try:
            params[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"--param {item!r}: write NAME=NUMBER, NAME one of {known}") from None
    return params


def parse_seeds(text: str) -> list[int]:
    """'0-9' -> [0, ..., 9]; '0,3,5' -> [0, 3, 5]."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            seeds = list(range(first, last + 1))
        else:
            seeds = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise ValueError(f"--seeds {text!r}: write e.g. 0-9 or 0,3,5") from None
    if not seeds or min(seeds) < 0:
        raise ValueError(f"--seeds {text!r} names no seeds (they are whole numbers from 0)")
    return seeds


def dataset_from_args(args: argparse.Namespace) -> Dataset:
    """The dataset the options name, with the roles they give and repeats merged if asked."""
    return dataset_and_notes(args)[0]


def dataset_and_notes(args: argparse.Namespace) -> tuple[Dataset, list[str]]:
    """`dataset_from_args` and what the check said about a data file (rows left out, repeated
    inputs, unused columns), for a command to pass on; no notes for a built-in dataset."""
    roles = roles_from_args(args) if hasattr(args, "categorical") else {}
    builtin = args.dataset in {info.id for info in datasets.list_datasets()}
    if builtin or not Path(args.dataset).is_file():
        dataset, notes = load_dataset(args.dataset, roles), []
    else:
        upload = load_upload(Path(args.dataset), roles, getattr(args, "sheet", None))
        dataset, notes = upload.dataset, [warning.message for warning in upload.warnings]
    return (merge_repeats(dataset) if getattr(args, "merge_repeats", False) else dataset), notes


def top_k_from_text(text: str, data: CampaignData) -> int:
    """'100' -> 100; '5%' -> 5 % of the candidates with a known target, rounded up."""
    text = str(text).strip()
    try:
        if not text.endswith("%"):
            k = int(text)
        else:
            share = float(text[:-1]) / 100
            k = math.ceil(share * int((data.valid & np.isfinite(data.y)).sum()))
    except ValueError:
        raise ValueError(f"--top-k {text!r}: write a count (100) or a share (5%)") from None
    if k < 1:
        raise ValueError(f"--top-k {text!r} gives no candidates; choose at least 1 or a share")
    return k


def steps_from_args(args: argparse.Namespace, pool: int) -> int:
    """Steps to run: --steps N, --steps all (until fewer candidates than a batch are left) or
    --budget N (experiments in all, the initial design included)."""
    left = max(pool - args.init, 0) // args.batch
    if getattr(args, "budget", None) is not None:
        if args.budget <= args.init:
            raise ValueError(f"--budget {args.budget} leaves nothing after --init {args.init}")
        return min(math.ceil((args.budget - args.init) / args.batch), left)
    if str(args.steps) == ALL_STEPS:
        return left
    try:
        steps = int(args.steps)
    except ValueError:
        raise ValueError(f"--steps {args.steps!r}: write a number of steps or 'all'") from None
    if steps < 1:
        raise ValueError(f"--steps {steps}: run at least one step")
    if steps > left:
        raise ValueError(
            f"--steps {steps} needs {args.init + steps * args.batch} candidates, but the pool "
            f"has {pool}: at most {left} steps of {args.batch} after --init {args.init}; give "
            f"--steps {left}, --steps all or --budget N"
            if left
            else f"the pool has {pool} candidates, too few for --init {args.init} and one batch "
            f"of {args.batch}; lower them"
        )
    return steps

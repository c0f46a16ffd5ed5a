"""`python -m dashboard bench external [DIR]`: active learning on other groups' published
experiments, run by their papers' protocols, against random search and published figures.

Each entry of ENTRIES is a file under DIR (default ../shared/external, see its README) with the
protocol of its paper: how the pool is read from the file, the initial size, the batch size,
the top share and the recall that ends a run. A run steps one `Campaign` until that recall of
the pool's top share has been measured (or the pool or `--max-experiments` runs out); the figure
is the number of experiments it took, median over seeds. The EDBO reaction tables follow their
own protocol (reaction_bench.py) and print a second table.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.cli.campaign import parse_seeds
from dashboard.cli.reaction_bench import (
    REACTIONS,
    ReactionEntry,
    reaction_header,
    reaction_line,
    reaction_pool,
    run_reaction,
)
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.engine.active_learning.goals import Goal
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.active_learning.surrogates import MODELS

EXTERNAL_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "external"
METHODS = {"default": {}, "random": {"acquisition": "random", "model": "gp-matern52"}}
"""Methods by name: changes to the default campaign settings; any model of MODELS is one too.
Random search needs some model to run a campaign; the isotropic GP is the cheapest here."""
DEFAULT_METHODS = "default,random"


def last_column_objective(path: Path) -> CampaignData:
    """The pool of a CSV file of numbers: every column but the last an input, the last the
    objective."""
    frame = pd.read_csv(path, encoding="utf-8-sig")
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if frame.shape[1] < 2 or not np.isfinite(values).all():
        raise ValueError(f"{path.name}: expected numeric columns, the objective last")
    return CampaignData.from_arrays(values[:, :-1], values[:, -1])


@dataclass(frozen=True)
class Protocol:
    """How a paper ran its benchmark: the pool read from a file (features and objective), the
    initial design size, the experiments per step and the end of a run (`recall` of the pool's
    best `top_share`)."""

    name: str
    read: Callable[[Path], CampaignData]
    initial_size: int
    batch_size: int
    top_share: float
    recall: float

    def top_k(self, pool_size: int) -> int:
        return math.ceil(pool_size * self.top_share)


LIANG_2021 = Protocol("Liang et al. 2021", last_column_objective, 2, 1, 0.05, 0.8)
"""npj Comput. Mater. 7, 188: the unique-input rows as pool, 2 random initial experiments,
then one per step, until 80 % of the top 5 % are measured."""


@dataclass(frozen=True)
class Entry:
    """A benchmark file (relative to DIR), its goal, its protocol and published figures
    (experiments by model name)."""

    file: str
    goal: Goal
    protocol: Protocol
    published: dict[str, float] = field(default_factory=dict)


ENTRIES = (
    Entry(
        "liang2021/unique-inputs/Crossed_barrel_dataset.csv",
        "max",
        LIANG_2021,
        {"gp-ard": 33, "rf": 38, "gp-matern52": 164.5},
    ),
    Entry("liang2021/unique-inputs/Perovskite_dataset.csv", "min", LIANG_2021),
    Entry("liang2021/unique-inputs/AgNP_dataset.csv", "min", LIANG_2021),
    Entry("liang2021/unique-inputs/P3HT_dataset.csv", "max", LIANG_2021),
    Entry("liang2021/unique-inputs/AutoAM_dataset.csv", "max", LIANG_2021),
)
"""The benchmark table; the published figures are the authors' own runs (README of DIR)."""


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `bench external` benchmark."""
    parser = bench.add_parser("external", help="published experiments by their papers' protocols")
    parser.add_argument("dir", nargs="?", type=Path, default=EXTERNAL_DATA, metavar="DIR")
    parser.add_argument("--seeds", default="0-9", help="e.g. 0-9 or 0,3,5 (default 0-9)")
    parser.add_argument(
        "--models",
        default=DEFAULT_METHODS,
        help=f"comma-separated methods: {', '.join(METHODS)} or a model ({', '.join(MODELS)})",
    )
    parser.add_argument("--only", default="", help="comma-separated parts of file names to run")
    parser.add_argument(
        "--max-experiments", type=int, metavar="N", help="stop a run after N experiments"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.set_defaults(func=run_bench_external)


def run_bench_external(args: argparse.Namespace) -> int:
    """Run every method on every chosen file for every seed; 2 for bad arguments or files."""
    try:
        seeds = parse_seeds(args.seeds)
        methods = _methods(args.models)
        entries, reactions = _chosen(args.only)
        pools = {entry.file: _pool(args.dir, entry) for entry in entries}
    except ValueError as err:
        print(f"bench external: {err}", file=sys.stderr)
        return 2
    figures = []
    if not args.json and entries:
        print(_header(args.seeds))
    for entry in entries:
        for method in methods:
            runs = [
                _run(entry, pools[entry.file], method, seed, args.max_experiments) for seed in seeds
            ]
            figure = _figure(entry, pools[entry.file], method, runs)
            figures.append(figure)
            if not args.json:
                print(_line(figure), flush=True)
    try:
        figures += _reactions(args, reactions, methods, seeds)
    except ValueError as err:
        print(f"bench external: {err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(figures))
    return 0


def _methods(text: str) -> list[str]:
    methods = [m.strip() for m in text.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS and m not in MODELS]
    if unknown or not methods:
        raise ValueError(f"unknown method(s) {unknown}; choose from {[*METHODS, *MODELS]}")
    return methods


def _chosen(only: str) -> tuple[list[Entry], list[ReactionEntry]]:
    """The Liang et al. entries and the reaction tables whose file names contain a part of
    `only` (all when empty)."""
    parts = [p.strip().lower() for p in only.split(",") if p.strip()]

    def wanted(file: str) -> bool:
        return not parts or any(p in file.lower() for p in parts)

    chosen = [e for e in ENTRIES if wanted(e.file)], [r for r in REACTIONS if wanted(r.file)]
    if not any(chosen):
        files = [e.file for e in (*ENTRIES, *REACTIONS)]
        raise ValueError(f"--only {only!r} matches none of {files}")
    return chosen


def _reactions(
    args: argparse.Namespace, reactions: list[ReactionEntry], methods: list[str], seeds: list[int]
) -> list[dict]:
    """The EDBO protocol on each reaction table for each method (printed unless --json)."""
    figures = []
    if reactions and not args.json:
        print(reaction_header(args.seeds))
    for entry in reactions:
        pools: dict[str, CampaignData] = {}
        for method in methods:
            settings = METHODS.get(method, {"model": method})
            model = settings.get("model", "auto")
            if model not in pools:
                pools[model] = reaction_pool(args.dir, entry, model)
            figure = run_reaction(entry, pools[model], method, settings, seeds)
            figures.append(figure)
            if not args.json:
                print(reaction_line(figure), flush=True)
    return figures


def _pool(folder: Path, entry: Entry) -> CampaignData:
    path = folder / entry.file
    if not path.is_file():
        raise ValueError(f"{path} is missing; give the folder of the external data as DIR")
    return entry.protocol.read(path)


def _run(
    entry: Entry, data: CampaignData, method: str, seed: int, cap: int | None
) -> dict[str, object]:
    """One campaign by the entry's protocol: experiments until the recall was reached (None if
    never), the model used at the end and the seconds taken."""
    protocol = entry.protocol
    settings = METHODS.get(method, {"model": method})
    config = CampaignConfig(
        dataset_id=Path(entry.file).stem,
        target="objective",
        goal=entry.goal,
        initial_size=protocol.initial_size,
        batch_size=protocol.batch_size,
        top_k=protocol.top_k(data.y.size),
        seed=seed,
        **settings,
    )
    started = time.perf_counter()
    campaign = Campaign(config, data)
    limit = cap or data.y.size
    experiments = len(campaign.measured_rows)
    while campaign.history[-1]["top_k_recall"] < protocol.recall:
        if not campaign.pending or experiments >= limit:
            experiments = None
            break
        campaign.step()
        experiments = len(campaign.measured_rows)
    return {
        "experiments": experiments,
        "model": campaign.model_name,
        "seconds": time.perf_counter() - started,
    }


def _figure(entry: Entry, data: CampaignData, method: str, runs: list[dict]) -> dict:
    """JSON-safe figures of one method on one file over its seeds."""
    reached = [r["experiments"] for r in runs if r["experiments"] is not None]
    never = len(runs) - len(reached)
    median = statistics.median([*reached, *[math.inf] * never])
    models: dict[str, int] = {}
    for run in runs:
        models[run["model"]] = models.get(run["model"], 0) + 1
    return {
        "file": Path(entry.file).name,
        "protocol": entry.protocol.name,
        "method": method,
        "models": models,
        "pool": int(data.y.size),
        "top_k": entry.protocol.top_k(data.y.size),
        "experiments": [r["experiments"] for r in runs],
        "median": median if math.isfinite(median) else None,
        "min": min(reached) if reached else None,
        "max": max(reached) if reached else None,
        "never": never,
        "published": dict(entry.published),
        "seconds_per_run": statistics.mean(r["seconds"] for r in runs),
    }


def _header(seeds: str) -> str:
    title = (
        "experiments until the protocol's share of the pool's top candidates was measured "
        f"(Liang et al. 2021: 80 % of the top 5 %), median [min-max] over seeds {seeds}"
    )
    columns = _row(
        "file", "method", "model(s)", "pool", "top", "experiments", "never", "s/run", "published"
    )
    return f"{title}\n{columns}"


def _line(figure: dict) -> str:
    median = "-" if figure["median"] is None else f"{figure['median']:g}"
    spread = f" [{figure['min']}-{figure['max']}]" if figure["min"] is not None else ""
    models = ", ".join(f"{name} {count}" for name, count in sorted(figure["models"].items()))
    published = ", ".join(f"{name} {value:g}" for name, value in figure["published"].items())
    return _row(
        figure["file"].removesuffix("_dataset.csv"),
        figure["method"],
        models,
        str(figure["pool"]),
        str(figure["top_k"]),
        median + spread,
        str(figure["never"]),
        f"{figure['seconds_per_run']:.1f}",
        published,
    )


def _row(*cells: str) -> str:
    widths = (15, 12, 22, 5, 4, 16, 6, 6, 30)
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

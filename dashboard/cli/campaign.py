"""`python -m dashboard campaign ...`: a simulated active-learning campaign from the command line;
`python -m dashboard bench al`: several methods over several seeds, with random search.

A dataset is a built-in id (`python -m dashboard datasets`) or a data file, read by the same
parser as the Data page's upload. Features are cached under MI_STORAGE_DIR/cache/features.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from dashboard.cli.campaign_options import (
    ALL_STEPS,
    GOAL_HELP,
    config_from_args,
    dataset_and_notes,
    load_dataset,
    parse_seeds,
    steps_from_args,
    top_k_from_text,
)
from dashboard.cli.check import add_role_arguments
from dashboard.engine.active_learning.campaign import Campaign
from dashboard.engine.active_learning.config import AUTO, BATCH_METHODS, MIN_MODEL_ROWS, STRATEGIES
from dashboard.engine.active_learning.design import DESIGNS
from dashboard.engine.active_learning.goals import default_goal
from dashboard.engine.active_learning.pool import CampaignData
from dashboard.engine.active_learning.surrogates import ALIASES, MODELS
from dashboard.engine.data.dataset import Dataset
from dashboard.settings import Settings

BENCH_METHODS = {
    "default": {},
    "default+top-q": {"batch_method": "top-q"},
    "gp-tanimoto-rbf+ei": {"model": "gp-tanimoto-rbf", "acquisition": "ei"},
    "gp-tanimoto+ucb": {"model": "gp-tanimoto", "acquisition": "ucb"},
    "gp-tanimoto+ei": {"model": "gp-tanimoto", "acquisition": "ei"},
    "gp-matern52+ucb": {"model": "gp-matern52", "acquisition": "ucb"},
    "gp-matern32+ei": {"model": "gp-matern32", "acquisition": "ei"},
    "gp-matern12+ei": {"model": "gp-matern12", "acquisition": "ei"},
    "rf+ei": {"model": "rf", "acquisition": "ei"},
    "rf+ucb": {"model": "rf", "acquisition": "ucb"},
    "seed-study": {"model": "gp-matern12", "acquisition": "seed-switch", "batch_method": "top-q"},
    "random": {"acquisition": "random"},
}
"""Methods of `bench al` by name: changes to the default campaign settings (auto model and
acquisition). "seed-study" is the seed study's GP Matern-½ (on ECFP bits for molecules) with
its switch rule and top-q batches; rf+ucb takes about 1.5 s a step on qm9, so it is not in the
default list."""
DEFAULT_BENCH = (
    "default",
    "default+top-q",
    "gp-tanimoto-rbf+ei",
    "gp-tanimoto+ei",
    "seed-study",
    "random",
)
SPEED_STEPS = 10


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `campaign` command and the `bench al` benchmark."""
    parser = commands.add_parser("campaign", help="run a simulated active-learning campaign")
    _data_arguments(parser)
    parser.set_defaults(steps="50", top_k="100")
    parser.add_argument("--steps", help="steps to run, or 'all' until the pool is used up (50)")
    parser.add_argument("--top-k", help="k of top-k recall: a count or a share, 5%% (100)")
    parser.add_argument("--budget", type=int, help="experiments in all, instead of --steps")
    parser.add_argument(
        "--merge-repeats", action="store_true", help="one row per distinct input (targets averaged)"
    )
    add_role_arguments(parser)
    parser.add_argument(
        "--goal",
        help=GOAL_HELP,
    )
    parser.add_argument("--model", default="auto", choices=["auto", *ALIASES, *MODELS])
    parser.add_argument(
        "--acquisition",
        default=AUTO,
        choices=[AUTO, *STRATEGIES],
        help="auto: ucb to maximise or minimise (kappa 1 when every input is a numeric "
        "setting, else 2.5, unless --param sets it), ei for a target value",
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an acquisition parameter, e.g. kappa=2 (ucb), xi=0.01 (ei, pi), tol=0.1 (target)",
    )
    parser.add_argument(
        "--batch-method",
        default=AUTO,
        choices=BATCH_METHODS,
        help="auto: the kriging believer for GPs with a σ-aware acquisition, else top-q",
    )
    parser.add_argument("--sheet", help="the Excel sheet to read (default: the first)")
    parser.add_argument("--design", default="random", choices=DESIGNS, help="initial design")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run_campaign)

    bench_parser = bench.add_parser("al", help="active learning: methods x seeds, with random")
    _data_arguments(bench_parser, dataset="qm9", target="lumo")
    bench_parser.add_argument("--steps", type=int, default=50, help="steps to run (default 50)")
    bench_parser.add_argument(
        "--top-k", type=int, default=100, help="k of top-k recall (default 100)"
    )
    bench_parser.add_argument(
        "--goal",
        help=GOAL_HELP,
    )
    bench_parser.add_argument("--seeds", default="0-9", help="e.g. 0-9 or 0,3,5 (default 0-9)")
    bench_parser.add_argument(
        "--methods",
        default=",".join(DEFAULT_BENCH),
        help=f"comma-separated, from {', '.join(BENCH_METHODS)}",
    )
    bench_parser.add_argument(
        "--speed-measured",
        type=int,
        default=1000,
        metavar="N",
        help="also time the default model with N rows measured (0: skip; default 1000)",
    )
    bench_parser.set_defaults(func=run_bench)


def _data_arguments(
    parser: argparse.ArgumentParser, dataset: str | None = None, target: str | None = None
) -> None:
    parser.add_argument(
        "--dataset", default=dataset, required=dataset is None, help="built-in id or data file"
    )
    parser.add_argument("--target", default=target, required=target is None, help="target column")
    parser.add_argument("--init", type=int, default=50, help="initial design size (default 50)")
    parser.add_argument("--batch", type=int, default=10, help="rows measured per step (default 10)")
    parser.add_argument("--cache-dir", type=Path, help="feature cache (default: under storage)")


def run_campaign(args: argparse.Namespace) -> int:
    """Run the campaign and print its summary; 2 with a message for bad input."""
    try:
        dataset, file_notes = dataset_and_notes(args)
        data = CampaignData.from_dataset(dataset, args.target, args.model, _cache(args))
        top_k = top_k_from_text(args.top_k, data)
        config = config_from_args(args, dataset.id, top_k=top_k)
        campaign = Campaign(config, data)
        steps = steps_from_args(args, campaign.pool_rows.size)
        if steps:
            campaign.run(steps)
    except ValueError as err:
        print(f"campaign: {err}", file=sys.stderr)
        return 2
    summary = {**campaign.summary()}
    summary["notes"] = file_notes + _notes(args, summary["pool"], summary["top_k"] or top_k)
    measured = args.init + summary["steps"] * args.batch
    if args.budget is not None and measured != args.budget:
        summary["notes"].append(
            f"--budget {args.budget}: {measured} experiments were run, "
            + ("all the pool allows." if measured < args.budget else "in whole batches.")
        )
    print(json.dumps(summary) if args.json else in_words(summary))
    return 0


def _notes(args: argparse.Namespace, pool: int, top_k: int) -> list[str]:
    """What a user should know about the options they chose."""
    notes = []
    if top_k * 2 > pool:
        notes.append(
            f"top-{top_k} recall on a pool of {pool} candidates says little more than how much "
            "of the pool was measured; give a share, e.g. --top-k 5%."
        )
    if args.init < MIN_MODEL_ROWS:
        notes.append(
            f"--init {args.init} is fewer than the {MIN_MODEL_ROWS} measured rows a model needs: "
            "the first picks come from the initial design too, until a model can be fitted."
        )
    if str(args.steps) == ALL_STEPS:
        notes.append("--steps all: the campaign ran until fewer candidates than a batch were left.")
    return notes


def run_bench(args: argparse.Namespace) -> int:
    """Run each method for each seed and print a table of medians; 2 for bad arguments."""
    try:
        seeds = parse_seeds(args.seeds)
        methods = [m.strip() for m in args.methods.split(",") if m.strip()]
        unknown = [m for m in methods if m not in BENCH_METHODS]
        if unknown:
            raise ValueError(f"unknown method(s) {unknown}; choose from {list(BENCH_METHODS)}")
        dataset = load_dataset(args.dataset)
    except ValueError as err:
        print(f"bench al: {err}", file=sys.stderr)
        return 2
    data: dict[str, CampaignData] = {}
    goal = args.goal or default_goal(args.target)
    print(
        f"active learning on {dataset.id}, target {args.target}, goal {goal}: "
        f"{args.init} initial, {args.batch} per step, {args.steps} steps, top-{args.top_k} "
        f"recall; seeds {args.seeds}; wall-clock seconds (shared machines make them noisy)"
    )
    print(
        _row(
            "method",
            "model",
            "recall@25",
            "recall@50 median [min-max]",
            f"seed {seeds[0]}",
            "best found",
            "s/step",
        )
    )
    for method in methods:
        settings = {"model": "auto", **BENCH_METHODS[method]}
        try:
            if settings["model"] not in data:
                data[settings["model"]] = _data(dataset, args, settings["model"])
            runs = [
                _bench_run(dataset.id, args, settings, seed, data[settings["model"]])
                for seed in seeds
            ]
        except ValueError as err:
            print(f"{method}: cannot run here: {err}", flush=True)
            continue
        print(_bench_line(method, runs, args.steps), flush=True)
    if args.speed_measured:
        print(_speed_line(dataset.id, args, data.get("auto") or _data(dataset, args, "auto")))
    return 0


def _speed_line(dataset_id: str, args: argparse.Namespace, data: CampaignData) -> str:
    """Seconds per step of the default method with `--speed-measured` rows already measured."""
    config = config_from_args(args, dataset_id, initial_size=args.speed_measured, seed=0)
    campaign = Campaign(config, data)
    campaign.run(SPEED_STEPS)
    seconds = campaign.summary()["step_seconds"]
    candidates = campaign.pool_rows.size - args.speed_measured
    return (
        f"speed of the default model with {args.speed_measured:,} measured and {candidates:,} "
        f"candidates: first fit {campaign.history[0]['seconds']:.2f} s, then "
        f"{statistics.mean(seconds):.3f} s per step (max {max(seconds):.3f}, {SPEED_STEPS} steps)"
    )


def _data(dataset: Dataset, args: argparse.Namespace, model: str) -> CampaignData:
    return CampaignData.from_dataset(dataset, args.target, model, _cache(args))


def _bench_run(
    dataset_id: str, args: argparse.Namespace, settings: dict, seed: int, data: CampaignData
) -> dict:
    config = config_from_args(args, dataset_id, seed=seed, **settings)
    campaign = Campaign(config, data)
    campaign.run(args.steps)
    return campaign.summary()


def _bench_line(method: str, runs: list[dict], steps: int) -> str:
    """One table row: medians over seeds, recall@50 of the first seed, the median step that found
    the dataset's best (steps + 1 for a seed that never found it, counted in brackets), and the
    mean seconds per step (model fit, predictions, acquisition and metrics)."""
    at_25 = [r["top_k_recall"][min(25, steps)] for r in runs]
    at_50 = [r["top_k_recall"][min(50, steps)] for r in runs]
    found = [r["found_best_at"] for r in runs]
    never = sum(f is None for f in found)
    found_text = f"{statistics.median([steps + 1 if f is None else f for f in found]):g}"
    found_text += f" ({never} never)" if never else ""
    seconds = statistics.mean(s for r in runs for s in r["step_seconds"])
    return _row(
        method,
        runs[0]["model"],
        f"{statistics.median(at_25):.2f}",
        f"{statistics.median(at_50):.2f} [{min(at_50):.2f}-{max(at_50):.2f}]",
        f"{at_50[0]:.2f}",
        found_text,
        f"{seconds:.3f}",
    )


def _row(*cells: str) -> str:
    widths = (20, 16, 10, 27, 7, 14, 7)
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()


def in_words(summary: dict) -> str:
    """The summary as a few lines for a terminal."""
    steps, recall = summary["steps"], summary["top_k_recall"]
    found = summary["found_best_at"]
    lines = [
        f"{summary['dataset']}: {summary['target']} ({summary['goal']}), model {summary['model']}, "
        f"acquisition {summary['acquisition']}{_params_text(summary['acquisition_params'])} "
        f"({summary['batch_method']} batches), "
        f"pool {summary['pool']:,}",
        f"best so far after {steps} steps: {summary['best_so_far'][-1]:g}",
        f"top-{summary['top_k']} recall: {recall[0]:.2f} at step 0, {recall[-1]:.2f} at step {steps}",
        "dataset's best: " + (f"found at step {found}" if found is not None else "not found"),
        f"seconds per step: {statistics.mean(summary['step_seconds'] or [0.0]):.3f} on average",
        *(f"note: {note}" for note in summary.get("notes", [])),
    ]
    return "\n".join(lines)


def _params_text(params: dict[str, float]) -> str:
    """' kappa=1' for {'kappa': 1.0}; empty without parameters."""
    return "".join(f" {name}={value:g}" for name, value in params.items())


def _cache(args: argparse.Namespace) -> Path:
    return args.cache_dir or Settings.from_env().cache_dir

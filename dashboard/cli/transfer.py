"""`python -m dashboard transfer ...`: one transfer run (latent variable or fine-tuning) against
its baseline; `python -m dashboard bench transfer`: baseline, LV and FT over five splits, per
target model, with the time of a first (cold cache) and a cached run; `bench transfer
--matbench`: the matbench_expt_gap protocol (five KFold folds, seed 18012019) for baseline, LV,
FT and FT from scratch, beside the published figures.

A dataset is a built-in id (`python -m dashboard datasets`) or a data file, read by the same
parser as the Data page's upload. Features, source models and results are cached under
MI_STORAGE_DIR/cache/transfer unless --cache-dir says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboard.cli.campaign_options import load_dataset, parse_seeds
from dashboard.engine.transfer import (
    APPROACHES,
    AUTO_GROUPS,
    DEFAULT_TARGET_MODEL,
    METHODS,
    TARGET_MODELS,
    CrossValidation,
    CrossValidationConfig,
    TransferConfig,
    TransferResult,
    cross_validate,
    run_transfer,
    switch_seconds,
)
from dashboard.settings import Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
BENCH_SOURCE = SHARED_DATA / "matbench_mp_gap.csv"
BENCH_TARGET = SHARED_DATA / "matbench_expt_gap.csv"
BENCH_SEEDS = "42-46"
MATBENCH_SHARES = (0.1, 0.25)
PUBLISHED = (
    "published MAE on matbench_expt_gap (eV): Darwin 0.2865 (the leaderboard record, no DFT "
    "input), MODNet 0.333, RF on Magpie 0.446;\n  with DFT help, composition only: "
    "multi-fidelity transfer 0.258 (Li et al. 2026, not Matbench's folds), cross-property "
    "deep transfer 0.355 (Gupta et al. 2021)"
)


def register(commands: argparse._SubParsersAction, bench: argparse._SubParsersAction) -> None:
    """Add the `transfer` command and the `bench transfer` benchmark."""
    parser = commands.add_parser("transfer", help="transfer learning from a source to a target")
    parser.add_argument("--source", required=True, metavar="ID_OR_FILE")
    parser.add_argument("--source-column", required=True, metavar="COL")
    parser.add_argument("--target", required=True, metavar="ID_OR_FILE")
    parser.add_argument("--target-column", required=True, metavar="COL")
    parser.add_argument("--approach", default="lv", choices=list(APPROACHES))
    parser.add_argument(
        "--model",
        default=DEFAULT_TARGET_MODEL,
        choices=list(TARGET_MODELS),
        help=f"target model of the baseline and of lv (default: {DEFAULT_TARGET_MODEL})",
    )
    parser.add_argument("--test-size", type=float, default=0.2, metavar="SHARE")
    parser.add_argument(
        "--train-share",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="share of the target's training rows used (default: all)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--group-by",
        default=AUTO_GROUPS,
        metavar="COLUMN",
        help="per-group metrics by this target column (default: target = 0 against the rest "
        "when it has enough zeros, as metals among band gaps)",
    )
    parser.add_argument("--learning-curve", action="store_true", help="also the learning curve")
    _common_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(func=run_command)

    bench_parser = bench.add_parser("transfer", help="transfer: baseline, LV and FT over splits")
    bench_parser.add_argument("--source", default=str(BENCH_SOURCE), metavar="ID_OR_FILE")
    bench_parser.add_argument("--source-column", default="target", metavar="COL")
    bench_parser.add_argument("--target", default=str(BENCH_TARGET), metavar="ID_OR_FILE")
    bench_parser.add_argument("--target-column", default="target", metavar="COL")
    bench_parser.add_argument("--seeds", default=BENCH_SEEDS, help="split seeds (default 42-46)")
    bench_parser.add_argument(
        "--models",
        default=",".join(TARGET_MODELS),
        help=f"comma-separated target models for LV, from {', '.join(TARGET_MODELS)} "
        "(--matbench: the first one)",
    )
    bench_parser.add_argument("--no-ft", action="store_true", help="skip fine-tuning")
    bench_parser.add_argument(
        "--matbench",
        action="store_true",
        help="the matbench_expt_gap protocol: five KFold folds (seed 18012019) of the target, "
        "baseline, lv, ft and ft_scratch (cached in MI_STORAGE_DIR/cache/transfer unless "
        "--cache-dir says otherwise)",
    )
    bench_parser.add_argument(
        "--learning-curve",
        action="store_true",
        help="--matbench: also train on 10 %% and 25 %% of each training fold",
    )
    bench_parser.add_argument("--json", action="store_true", help="--matbench: print JSON")
    _common_arguments(bench_parser, cold_default=True)
    bench_parser.set_defaults(func=run_bench)


def _common_arguments(parser: argparse.ArgumentParser, cold_default: bool = False) -> None:
    where = (
        "a new temporary folder (a cold start)" if cold_default else "MI_STORAGE_DIR/cache/transfer"
    )
    parser.add_argument(
        "--cache-dir", type=Path, metavar="DIR", help=f"cache folder (default: {where})"
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        metavar="N",
        help="threads the models may use (default: the cores not busy when it starts)",
    )


def free_cores() -> int:
    """Cores not busy now by the one-minute load average, at least 1. More OpenMP threads than
    free cores spin on each other: boosting then runs several times slower than on one."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, round(cores - os.getloadavg()[0])))


def default_cache_dir() -> Path:
    """Where the command line caches features, source models and results."""
    return Settings.from_env().storage_dir / "cache" / "transfer"


def run_command(args: argparse.Namespace) -> int:
    """Run one transfer and print it; exit code 2 with a message for bad input."""
    try:
        source = load_dataset(args.source)
        target = source if args.target == args.source else load_dataset(args.target)
        config = TransferConfig(
            approach=args.approach,
            model=args.model,
            test_size=args.test_size,
            seed=args.seed,
            n_jobs=args.n_jobs or free_cores(),
            train_share=args.train_share,
            group_by=None if args.group_by in ("", "none") else args.group_by,
            learning_curve=args.learning_curve,
        )
        result = run_transfer(
            source,
            args.source_column,
            target,
            args.target_column,
            config,
            cache_dir=args.cache_dir or default_cache_dir(),
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result.summary(), indent=1) if args.json else in_words(result))
    return 0


def in_words(result: TransferResult) -> str:
    """A run as a few lines for a terminal."""
    name = "fine-tuning" if result.approach == "ft" else "latent variable"
    lines = [
        f"{name} transfer, target model {result.model}: {result.n_source:,} source rows, "
        f"{result.n_train:,} of {result.n_train_all:,} training and {result.n_test:,} test rows "
        "of the target "
        f"({result.n_overlap:,} target rows also in the source"
        + (
            "; one table: its test rows were withheld from the source)"
            if result.same_dataset
            else ")"
        ),
        f"  {'':10}{'R²':>8}{'MAE':>10}{'RMSE':>10}",
    ]
    for label, metrics in (("baseline", result.baseline), ("transfer", result.transfer)):
        lines.append(f"  {label:10}{metrics.r2:8.3f}{metrics.mae:10.4f}{metrics.rmse:10.4f}")
    for row in result.group_metrics:
        m = row.metrics
        lines.append(
            f"  {result.group_by} {row.group} ({m.n}), {row.model}: "
            f"R² {m.r2:.3f}, MAE {m.mae:.4f}, RMSE {m.rmse:.4f}"
        )
    if result.lv_ranks:
        ranks = ", ".join(f"{k} #{v}" for k, v in result.lv_ranks.items())
        lines.append(f"  rank among {len(result.feature_names)} features: {ranks}")
    if result.learning_curve is not None:
        curve = result.learning_curve
        lines.append("  learning curve, test MAE (mean ± sd over repeats):")
        for i, share in enumerate(curve.shares):
            cells = ", ".join(
                f"{m} {curve.mean(m)[i]:.4f} ± {curve.sd(m)[i]:.4f}" for m in curve.mae
            )
            lines.append(f"    {share:4.0%} ({curve.n_train[i]:,} rows): {cells}")
    lines.append(
        f"  {result.seconds:.1f} s" + (" (source from cache)" if result.source_cached else "")
    )
    return "\n".join(lines)


def run_bench(args: argparse.Namespace) -> int:
    """Baseline and transfer over several splits and target models; timings of cold and cached
    runs. Returns 2 with a message when the data cannot be read."""
    if args.matbench:
        return run_matbench(args)
    try:
        seeds = parse_seeds(args.seeds)
        models = [m.strip() for m in args.models.split(",") if m.strip()]
        source = load_dataset(args.source)
        target = load_dataset(args.target)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mi-transfer-bench-") as temporary:
        cache = args.cache_dir or Path(temporary)
        print(
            f"transfer benchmark: {args.source} [{args.source_column}] -> {args.target} "
            f"[{args.target_column}], 80/20 splits with seeds {seeds}, cache {cache}"
        )
        print(
            "timings are wall-clock on this machine; other work running at the same time slows them"
        )

        def run(approach: str, model: str, seed: int) -> TransferResult:
            config = TransferConfig(
                approach=approach, model=model, seed=seed, n_jobs=args.n_jobs or free_cores()
            )
            return run_transfer(
                source, args.source_column, target, args.target_column, config, cache_dir=cache
            )

        first = run("lv", models[0], seeds[0])
        again = run("lv", models[0], seeds[0])
        print(
            f"first run ({models[0]}, seed {seeds[0]}): {first.seconds:.1f} s "
            f"(features {first.timings['features']:.1f} s, source {first.timings['source']:.1f} s, "
            f"target models {first.timings['target']:.1f} s); "
            f"the same again: {again.seconds:.2f} s"
        )
        print(f"source rows {first.n_source:,}, target rows also in the source {first.n_overlap:,}")
        print(
            f"\n{'model':18}{'baseline MAE':>18}{'transfer MAE':>18}{'baseline R²':>16}{'transfer R²':>16}"
        )
        runs = [("lv", model) for model in models] + ([] if args.no_ft else [("ft", models[0])])
        for approach, model in runs:
            started = time.perf_counter()
            results = [run(approach, model, seed) for seed in seeds]
            label = f"{approach}: {model}" if approach == "lv" else "ft: boosting"
            print(_bench_line(label, results, time.perf_counter() - started), flush=True)
    return 0


def _bench_line(label: str, results: list[TransferResult], seconds: float) -> str:
    def spread(values: list[float]) -> str:
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.mean(values):.4f} ± {sd:.4f}"

    cells = [
        spread([r.baseline.mae for r in results]),
        spread([r.transfer.mae for r in results]),
        spread([r.baseline.r2 for r in results]),
        spread([r.transfer.r2 for r in results]),
    ]
    first = results[0]
    return (
        f"{label:18}{cells[0]:>18}{cells[1]:>18}{cells[2]:>16}{cells[3]:>16}"
        f"   seed {first.seed}: MAE {first.baseline.mae:.4f} -> {first.transfer.mae:.4f}, "
        f"R² {first.baseline.r2:.3f} -> {first.transfer.r2:.3f}; {seconds:.0f} s"
    )


def run_matbench(args: argparse.Namespace) -> int:
    """The matbench_expt_gap protocol for the four methods; text or (--json) one object."""
    started = time.perf_counter()
    cache_dir = args.cache_dir or default_cache_dir()
    n_jobs = args.n_jobs or free_cores()
    try:
        source = load_dataset(args.source)
        target = load_dataset(args.target)
        models = [m.strip() for m in args.models.split(",") if m.strip()]
        config = CrossValidationConfig(
            model=models[0],
            curve_shares=MATBENCH_SHARES if args.learning_curve else (),
            n_jobs=n_jobs,
        )
        columns = (source, args.source_column, target, args.target_column)
        result = cross_validate(*columns, config, cache_dir=cache_dir)
        seconds = time.perf_counter() - started
        switches = (
            {} if args.json else switch_seconds(*columns, cache_dir, TransferConfig(n_jobs=n_jobs))
        )
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.json:
        answer = {"protocol": "matbench_expt_gap"}
        answer |= {method: result.scores(method) for method in METHODS}
        answer["seconds"] = round(seconds, 2)
        if result.curve:
            answer["learning_curve"] = {
                str(share): {m: _spread(maes) for m, maes in methods.items()}
                for share, methods in result.curve.items()
            }
        print(json.dumps(answer, indent=1))
    else:
        print(matbench_in_words(result, seconds))
        print(switch_in_words(switches))
    return 0


def switch_in_words(switches: dict[str, float]) -> str:
    """The time of a switch to each target model, as a line for a terminal."""
    cells = ", ".join(f"{model} {seconds:.2f} s" for model, seconds in switches.items())
    return (
        "  switching the target model with the source cached (one 80/20 split, seed 42; the "
        f"baseline and LV models fitted anew): {cells}"
    )


def matbench_in_words(result: CrossValidation, seconds: float) -> str:
    """The protocol's figures as a table for a terminal, with the published marks."""
    config = result.config
    lines = [
        f"matbench_expt_gap protocol: KFold(n_splits={config.folds}, shuffle=True, "
        f"random_state={config.seed}) over {result.n_rows:,} target rows; target model "
        f"{config.model}; source {result.n_source:,} rows ({result.n_overlap:,} target "
        "materials also in the source, their source value is a feature)",
        f"  {'method':12}{'MAE per fold (eV)':40}{'mean ± sd':>18}{'R² mean':>9}",
    ]
    for method in METHODS:
        folds = " ".join(f"{mae:.4f}" for mae in result.mae[method])
        spread = _spread(result.mae[method])
        lines.append(
            f"  {method:12}{folds:40}{spread['mae_mean']:>10.4f} ± {spread['sd']:.4f}"
            f"{statistics.mean(result.r2[method]):>9.3f}"
        )
    for share, methods in result.curve.items():
        cells = ", ".join(
            f"{m} {_spread(maes)['mae_mean']:.4f} ± {_spread(maes)['sd']:.4f}"
            for m, maes in methods.items()
        )
        lines.append(f"  trained on {share:.0%} of each training fold: {cells}")
    lines.append("  " + PUBLISHED)
    timings = result.timings
    lines.append(
        f"  {seconds:.1f} s in all (features {timings['features']:.1f} s, source "
        f"{timings['source']:.1f} s"
        + (" from the cache" if result.source_cached else "")
        + f", folds {timings['folds']:.1f} s); wall-clock on this machine, other work running at "
        "the same time slows it"
    )
    return "\n".join(lines)


def _spread(values: list[float]) -> dict:
    """{"mae": values, "mae_mean": mean, "sd": sample standard deviation}."""
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return {"mae": list(values), "mae_mean": statistics.mean(values), "sd": sd}

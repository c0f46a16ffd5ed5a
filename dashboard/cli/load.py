"""`bench load`: concurrent sessions stepping active-learning campaigns against a real server."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dashboard.loadtest import CAMPAIGNS, QM9_CAMPAIGN, figures, run_load, served


def register(commands, bench) -> None:
    load = bench.add_parser(
        "load", help="concurrent sessions through the HTTP callbacks of a real server"
    )
    load.add_argument("--sessions", type=int, default=20, help="simultaneous users (default 20)")
    load.add_argument(
        "--steps", type=int, default=20, help="active-learning steps each (default 20)"
    )
    load.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    load.add_argument(
        "--campaign",
        choices=sorted(CAMPAIGNS),
        default="small",
        help="small: freesolv, 20 initial, 5 a step (default); qm9: the page's defaults on qm9 "
        "(its first start computes RDKit descriptors, about a minute)",
    )
    load.add_argument(
        "--dataset",
        type=Path,
        help="a data file each user uploads on the Data page, then runs the qm9 campaign's "
        "settings on, instead of a built-in dataset: e.g. a 100,000-row pool",
    )
    load.add_argument("--target", help="the target column of --dataset")
    load.add_argument("--json", action="store_true", help="print the figures as JSON")
    load.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = CAMPAIGNS[args.campaign]
    if args.dataset is not None:
        if not args.target or not args.dataset.is_file():
            print("bench load: --dataset needs an existing file and --target its target column")
            return 2
        settings = {**QM9_CAMPAIGN, "al-target": args.target}
    with (
        tempfile.TemporaryDirectory(prefix="mi-load-") as folder,
        served(Path(folder), args.workers) as base,
    ):
        reports = run_load(base, args.sessions, args.steps, settings, args.dataset)
    result = figures(reports)
    result["errors_seen"] = sorted({e for r in reports for e in r.errors})[:10]
    if args.json:
        print(json.dumps(result))
    else:
        campaign = args.dataset.name if args.dataset else f"{args.campaign} campaign"
        print(
            f"load test: {result['sessions']} sessions x {args.steps} steps of the "
            f"{campaign}, {args.workers} gunicorn workers"
        )
        print(f"  steps done   {result['steps']} of {args.sessions * args.steps}")
        print(f"  errors       {result['errors']}")
        if args.dataset is not None:
            print(f"  upload       {result['upload_seconds_max']} s at most (drop to stored)")
        print(
            f"  start        {result['start_seconds_max']} s at most (Start to its first plots;"
            " then a 1 s look before the first Step)"
        )
        print(f"  step latency p50 {result['p50_seconds']} s, p95 {result['p95_seconds']} s")
        phases = ", ".join(f"{k} {v:.3f} s" for k, v in result["median_phase_seconds"].items())
        print(f"  where a step's time goes (medians): {phases}")
        for error in result["errors_seen"]:
            print(f"  error: {error}")
    return 0 if result["errors"] == 0 and result["steps"] == args.sessions * args.steps else 1

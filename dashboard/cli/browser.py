"""`bench browser`: the Active Learning page on qm9 in headless Chromium, timed as a user sees it."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dashboard.browser_bench import chrome, measure
from dashboard.loadtest import served


def register(commands, bench) -> None:
    browser = bench.add_parser(
        "browser", help="Start and Step on qm9 in headless Chromium against a real server"
    )
    browser.add_argument("--steps", type=int, default=20, help="Steps to time (default 20)")
    browser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    browser.add_argument("--json", action="store_true", help="print the figures as JSON")
    browser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.steps < 1:
        print("bench browser: --steps must be at least 1")
        return 2
    driver = chrome()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mi-browser-") as folder,
            served(Path(folder), args.workers) as base,
        ):
            result = measure(driver, base, args.steps).figures()
    finally:
        driver.quit()
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"headless Chromium, qm9 with the page's defaults, {args.workers} gunicorn workers, "
        f"{result['steps']} Steps"
    )
    print(f"  Start         {result['start_first_seconds']} s on a fresh server (features "
          f"computed), {result['start_warm_seconds']} s with them cached")  # fmt: skip
    print(
        f"  Step          median {result['step_median_seconds']} s, "
        f"p95 {result['step_p95_seconds']} s, max {result['step_max_seconds']} s "
        "(click to the last of the five plots redrawn)"
    )
    print(f"  on the wire   {result['step_kb_median']} KB a Step (median), "
          f"{result['step_kb_max']} KB at most")  # fmt: skip
    return 0

"""Audit every page as issue 14 measures it: axe-core in both themes, and Lighthouse's scores.

    .venv/bin/python scripts/audit_pages.py                      # axe, light and dark
    .venv/bin/python scripts/audit_pages.py --lighthouse DIR     # and Lighthouse from DIR

DIR is a folder where `npm install lighthouse` was run (Lighthouse comes from the npm registry;
it drives Debian's /usr/bin/chromium). Without --url the script serves the dashboard itself
(`python -m dashboard serve`, gunicorn) on a free loopback port, on a fresh storage folder that
reuses the project's feature cache. Exit 1 when a target is missed: axe 0 critical and 0 serious,
Lighthouse desktop performance >= 90, mobile >= 70, accessibility >= 95, best practices 100.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.browser_bench import chrome  # noqa: E402
from tests.browser import axe  # noqa: E402

PAGES = ("/", "/data", "/transfer-learning", "/active-learning", "/about")
THEMES = ("light", "dark")
TARGETS = {
    "desktop": {"performance": 90, "accessibility": 95, "best-practices": 100},
    "mobile": {"performance": 70, "accessibility": 95, "best-practices": 100},
}
LIGHTHOUSE_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic "
    "--disable-background-networking --disable-component-update --disable-sync --no-first-run"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="audit this running server instead of starting one")
    parser.add_argument("--lighthouse", type=Path, help="folder with node_modules/lighthouse")
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    args = parser.parse_args(argv)
    server = None if args.url else start_server()
    base = args.url or server[1]
    try:
        failures = audit_axe(base, args.pages)
        if args.lighthouse:
            failures += audit_lighthouse(base, args.pages, args.lighthouse)
    finally:
        if server:
            server[0].terminate()
            server[0].wait(timeout=30)
    print("all targets met" if not failures else f"{failures} target(s) missed")
    return 1 if failures else 0


def start_server() -> tuple[subprocess.Popen, str]:
    """`python -m dashboard serve` on a free port and a fresh storage folder; waits until up."""
    storage = Path(tempfile.mkdtemp(prefix="mi-audit-")) / "storage"
    storage.mkdir()
    cache = ROOT / "var" / "storage" / "cache"
    if cache.is_dir():
        (storage / "cache").symlink_to(cache)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MI_STORAGE_DIR": str(storage), "MI_WARM_CACHE": "0"}
    command = [sys.executable, "-m", "dashboard", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url, timeout=2)
            return process, url
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"the server on {url} did not answer within a minute")


def audit_axe(base: str, pages: list[str]) -> int:
    """axe on each page in both themes; prints the counts and the blocking violations."""
    driver = chrome()
    failures = 0
    try:
        print(f"{'page':22s} {'theme':6s} critical serious moderate minor")
        for path in pages:
            driver.get(base + path)
            for theme in THEMES:
                axe.set_theme(driver, theme)
                if not settle(driver):
                    failures += 1
                    print(f"{path:22s} {theme:6s} the page did not render")
                    continue
                found = axe.violations(driver)
                counts = [sum(v["impact"] == i for v in found) for i in axe.BLOCKING]
                counts += [sum(v["impact"] == i for v in found) for i in ("moderate", "minor")]
                print(f"{path:22s} {theme:6s} " + " ".join(f"{c:8d}" for c in counts))
                blocking = axe.blocking(found)
                if blocking:
                    failures += 1
                    print(axe.describe(blocking))
    finally:
        driver.quit()
    return failures


def settle(driver, timeout: float = 20.0) -> bool:
    """Wait until the page has its heading and Dash has no callback in flight; False when the
    page never got there (a broken layout)."""
    deadline = time.time() + timeout
    script = (
        "return !!document.querySelector('#page-body h1') && "
        "!document.querySelector('._dash-loading') && document.readyState === 'complete'"
    )
    while time.time() < deadline and not driver.execute_script(script):
        time.sleep(0.2)
    time.sleep(1.5)
    return bool(driver.execute_script(script))


def audit_lighthouse(base: str, pages: list[str], folder: Path) -> int:
    """Lighthouse's four scores per page, desktop and mobile presets, light and dark."""
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        raise SystemExit(f"no Lighthouse in {folder}: run `npm install lighthouse` there")
    failures = 0
    print(f"\n{'page':22s} {'preset':8s} {'theme':6s} perf a11y best-practices")
    for path in pages:
        for preset, theme in ((p, t) for p in TARGETS for t in THEMES):
            scores = lighthouse(cli, base + path, preset, theme)
            missed = [k for k, v in TARGETS[preset].items() if scores.get(k, 0) < v]
            failures += bool(missed)
            row = " ".join(f"{scores.get(k, 0):4d}" for k in TARGETS[preset])
            print(
                f"{path:22s} {preset:8s} {theme:6s} {row}" + (f"  missed {missed}" * bool(missed))
            )
    return failures


def lighthouse(cli: Path, url: str, preset: str, theme: str) -> dict[str, int]:
    """One Lighthouse run: category id -> score 0-100."""
    flags = LIGHTHOUSE_FLAGS + (" --force-dark-mode" if theme == "dark" else "")
    with tempfile.TemporaryDirectory() as profile:
        command = [
            "node",
            str(cli),
            url,
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance,accessibility,best-practices",
            f"--chrome-flags={flags} --user-data-dir={profile}",
            *(["--preset=desktop"] if preset == "desktop" else []),
        ]
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if done.returncode != 0:
        print(done.stderr[-2000:])
        return {}
    report = json.loads(done.stdout)
    return {k: round(100 * (c["score"] or 0)) for k, c in report["categories"].items()}


if __name__ == "__main__":
    raise SystemExit(main())

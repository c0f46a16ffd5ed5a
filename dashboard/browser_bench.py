"""The browser benchmark behind `bench browser`: the Active Learning page's defaults on qm9 in
headless Chromium against a real server, timed as a user sees them.

A Step is timed from the click to the last of the five plots redrawn (Plotly's
`plotly_afterplot` event of each) with the Step button usable again; its bytes are what the
browser received for the step's requests (compressed, as sent). Start is timed from the click
to the first plots drawn with the buttons usable, once on a fresh server (features computed,
unless the storage folder has them) and once more when they are cached (a warm server).
Needs the test requirements (selenium, from dash[testing]) and Debian's chromium and
chromium-driver.
"""

from __future__ import annotations

import shutil
import statistics
import time
from dataclasses import dataclass, field

PLOTS = ("al-parity", "al-ranked", "al-map", "al-best", "al-quality")
CHROME_ARGUMENTS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,900",
)
"""Debian's Chromium headless, without the network chatter this machine's closed network
refuses; the browser tests (conftest.py) use the same options."""
CLICK_START = "window.__drawn = {}; document.querySelector('#al-start').click();"
STARTED = (
    "const q = (s) => document.querySelector(s);"
    "return Object.keys(window.__drawn).length >= arguments[0] && !q('#al-step').disabled"
    " && !q('#al-start').disabled && q('#al-start-job').style.display == 'none';"
)
"""True once every plot was drawn after Start was clicked and the buttons can be used."""
PLOTS_DRAWN = (
    "return arguments[0].every((id) => {"
    "  const plot = document.querySelector('#' + id + ' .js-plotly-plot');"
    "  return plot && typeof plot.on === 'function';"
    "});"
)
"""True once every plot has been drawn once (Plotly has given it its event methods)."""
LISTEN = (
    "window.__drawn = {};"
    "for (const id of arguments[0]) {"
    "  document.querySelector('#' + id + ' .js-plotly-plot')"
    "    .on('plotly_afterplot', () => { window.__drawn[id] = performance.now(); });"
    "}"
)
CLICK_STEP = (
    "performance.clearResourceTimings(); window.__drawn = {};"
    "window.__clicked = performance.now(); document.querySelector('#al-step').click();"
)
STEP_DONE = (
    "const drawn = Object.values(window.__drawn);"
    "if (drawn.length < arguments[0] || document.querySelector('#al-step').disabled) return null;"
    "const bytes = performance.getEntriesByType('resource')"
    "  .filter((e) => e.name.includes('_dash-update-component'))"
    "  .reduce((sum, e) => sum + e.transferSize, 0);"
    "return [Math.max(...drawn) - window.__clicked, bytes];"
)
"""The step's milliseconds (click to last plot drawn) and bytes, once every plot has drawn."""
PAUSE_S = 0.6
"""Between steps, as a user would pause, so that one step's requests do not overlap the next."""


@dataclass
class BrowserTimings:
    """Seconds of the first and the warm Start, and of each Step with its bytes."""

    start_first: float
    start_warm: float
    steps: list[float] = field(default_factory=list)
    step_bytes: list[int] = field(default_factory=list)

    def figures(self) -> dict:
        """Medians, 95th percentiles (nearest rank) and maxima, rounded for printing."""
        ordered = sorted(self.steps)
        rank = max(0, round(0.95 * len(ordered)) - 1)
        return {
            "start_first_seconds": round(self.start_first, 2),
            "start_warm_seconds": round(self.start_warm, 2),
            "steps": len(self.steps),
            "step_median_seconds": round(statistics.median(ordered), 3),
            "step_p95_seconds": round(ordered[rank], 3),
            "step_max_seconds": round(ordered[-1], 3),
            "step_kb_median": round(statistics.median(self.step_bytes) / 1000, 1),
            "step_kb_max": round(max(self.step_bytes) / 1000, 1),
        }


def measure(driver, base: str, steps: int, timeout: float = 300.0) -> BrowserTimings:
    """With a selenium `driver`, open the Active Learning page at `base`, Start twice (the
    second time on cached features), then take `steps` Steps; see the module's docstring."""
    driver.get(base + "/active-learning")
    _wait(driver, "return !!document.querySelector('#al-start') && "
          "!document.querySelector('#al-start').disabled", timeout)  # fmt: skip
    _wait(driver, PLOTS_DRAWN, timeout, list(PLOTS))
    driver.execute_script(LISTEN, list(PLOTS))
    timings = BrowserTimings(_start(driver, timeout), _start(driver, timeout))
    for _ in range(steps):
        driver.execute_script(CLICK_STEP)
        milliseconds, received = _wait(driver, STEP_DONE, 60.0, len(PLOTS))
        timings.steps.append(milliseconds / 1000)
        timings.step_bytes.append(int(received))
        time.sleep(PAUSE_S)
    return timings


def chrome():
    """Headless Debian Chromium through selenium (imported here: a test requirement only)."""
    try:
        from selenium import webdriver
    except ImportError as err:
        raise RuntimeError(
            "bench browser needs selenium: install requirements-dev.txt (make install-dev)"
        ) from err
    return webdriver.Chrome(options=chrome_options())


def chrome_options():
    """selenium's Chrome options for CHROME_ARGUMENTS and Debian's chromium binary."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for argument in CHROME_ARGUMENTS:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    return options


def _start(driver, timeout: float) -> float:
    """Click Start and wait until the campaign's plots are drawn: the seconds it took."""
    started = time.monotonic()
    driver.execute_script(CLICK_START)
    _wait(driver, STARTED, timeout, len(PLOTS))
    return time.monotonic() - started


def _wait(driver, script: str, timeout: float, *arguments):
    """Run `script` every 20 ms until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script, *arguments)
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"the page did not get there within {timeout:.0f} s")

"""axe-core in a Selenium-driven page: inject the vendored script, run it, keep the violations.

Shared by the browser tests and `scripts/audit_pages.py`. The script is vendored (see
vendor/axe-core/README.md) so that CI needs no network.
"""

from __future__ import annotations

from pathlib import Path

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary)}))))
  .catch(err => done([{id: 'axe-error', impact: 'critical', help: String(err), nodes: []}]));
"""


def violations(driver) -> list[dict]:
    """axe's violations on the page the driver shows: id, impact, help and up to 5 nodes."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE_JS.read_text())
    driver.set_script_timeout(60)
    return driver.execute_async_script(_RUN)


def blocking(found: list[dict]) -> list[dict]:
    """The critical and serious ones: what issue 14 asks to be zero."""
    return [v for v in found if v["impact"] in BLOCKING]


def describe(found: list[dict]) -> str:
    """One paragraph per violation, for an assertion message or a report."""
    return "\n".join(
        f"[{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found
    )


def set_theme(driver, theme: str) -> None:
    """Remember `theme` ('light' or 'dark') as the shell does, then reload the page."""
    driver.execute_script(f"window.localStorage.setItem('theme', '\"{theme}\"')")
    driver.refresh()

"""How far a results panel's plots reach past their cards in the first frames that show it.

Shared by the Transfer and Active Learning page tests: plots laid out while their panel was
hidden took Plotly's default 700 px and reached past their cards until a later resize.
"""

from __future__ import annotations

import time

FRAMES = 30
"""Frames recorded from the first that shows the panel: half a second."""

_RECORD = """
const panelId = arguments[0], frames = arguments[1];
window.__overflow = [];
const record = () => {
  const panel = document.getElementById(panelId);
  const style = panel && getComputedStyle(panel);
  if (style && style.display !== 'none' && style.visibility !== 'hidden' && panel.offsetHeight) {
    const widths = [...panel.querySelectorAll('.js-plotly-plot')].map(plot => {
      const svg = plot.querySelector('.main-svg');
      return svg ? svg.getBoundingClientRect().width - plot.parentElement.clientWidth : 0;
    });
    window.__overflow.push(Math.max(...widths));
  }
  if (window.__overflow.length < frames) requestAnimationFrame(record);
};
requestAnimationFrame(record);
"""


def start_recording(driver, panel_id: str) -> None:
    """Record, from the next frame that shows `panel_id`, its widest plot's reach past its card."""
    driver.execute_script(_RECORD, panel_id, FRAMES)


def recorded(driver, timeout: float = 20) -> list[float]:
    """The px each of the FRAMES recorded frames' widest plot reached past its card."""
    until = time.monotonic() + timeout
    while len(overflow := driver.execute_script("return window.__overflow")) < FRAMES:
        assert time.monotonic() < until, f"the panel was not shown for {FRAMES} frames"
        time.sleep(0.2)
    return overflow

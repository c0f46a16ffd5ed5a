"""The progress block of a background job in a browser: the moment it appears, before the job's
first report, its bar is full and says 'Starting…' (it was empty and silent for about a second,
which looked broken), on the Transfer Learning and the Active Learning page."""

from __future__ import annotations

import pytest
from dash.testing.wait import until

from components.job_progress import STARTING

pytestmark = pytest.mark.browser

WATCH = """
const [name] = arguments;
const block = document.getElementById(name + '-job');
window.firstShown = null;
new MutationObserver(() => {
  if (block.style.display === 'block' && window.firstShown === null) {
    const bar = block.querySelector('.progress-bar');
    const text = document.getElementById(name + '-job-text');
    window.firstShown = {width: bar.style.width, label: (text || bar).textContent};
  }
}).observe(block, {attributes: true, attributeFilter: ['style']});
"""
"""Records the bar's width and label (or the line under it) when the block is first shown."""


def label(dash_duo, name: str) -> str:
    """The sentence of the block `name`: its bar's label, or the line under the bar."""
    return dash_duo.driver.execute_script(
        "const text = document.getElementById(arguments[0] + '-job-text');"
        "return (text || document.querySelector('#' + arguments[0] + '-job .progress-bar'))"
        ".textContent",
        name,
    )


def first_shown(dash_duo, name: str, button: str) -> dict:
    """What the block `name` shows as it appears after a click on `button`; then, once the job's
    first report has replaced it (a Cancel before the job has started is lost), cancels the job
    and waits until the block is hidden again."""
    dash_duo.driver.execute_script(WATCH, name)
    dash_duo.driver.execute_script("arguments[0].click()", dash_duo.find_element(button))
    until(lambda: dash_duo.driver.execute_script("return window.firstShown"), timeout=20)
    shown = dash_duo.driver.execute_script("return window.firstShown")
    until(lambda: label(dash_duo, name) not in ("", STARTING), timeout=20)
    dash_duo.driver.execute_script(
        "arguments[0].click()", dash_duo.find_element(f"#{name}-job-cancel")
    )
    dash_duo.wait_for_style_to_equal(f"#{name}-job", "display", "none", timeout=20)
    return shown


def test_train_shows_a_full_bar_that_says_starting(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
    assert first_shown(dash_duo, "tl-train", "#tl-train") == {
        "width": "100%",
        "label": STARTING,
    }


def test_start_shows_a_full_bar_that_says_starting(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    assert first_shown(dash_duo, "al-start", "#al-start") == {
        "width": "100%",
        "label": STARTING,
    }

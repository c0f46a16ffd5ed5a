"""The progress block of a background job in a browser: the moment it appears, before the job's
first report, its bar is full and says 'Starting…' (it was empty and silent for about a second,
which looked broken), on the Transfer Learning and the Active Learning page; what the job does
is readable however little of the bar is filled."""

from __future__ import annotations

import time

import pytest
from dash.testing.wait import until

from components.job_progress import STARTING

pytestmark = pytest.mark.browser

SENTENCE = """
const block = document.getElementById(arguments[0] + '-job');
const holder = [...block.querySelectorAll(':not(button)')].find(
  (e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
const bar = block.querySelector('.progress-bar');
return holder === undefined ? {text: '', width: bar.style.width, shown: 0, needed: 0}
  : {text: holder.textContent, width: bar.style.width, shown: holder.clientWidth,
     needed: holder.scrollWidth};
"""
"""The block's sentence (in the bar or under it), the bar's width, and the width the sentence is
given and needs."""
WATCH = f"""
window.firstShown = null;
const block = document.getElementById(arguments[0] + '-job');
const read = () => {{ {SENTENCE} }};
new MutationObserver(() => {{
  if (block.style.display === 'block' && window.firstShown === null) {{
    window.firstShown = read();
  }}
}}).observe(block, {{attributes: true, attributeFilter: ['style']}});
"""
"""Records the block's sentence and bar width when it is first shown."""


def sentence(dash_duo, name: str) -> dict:
    return dash_duo.driver.execute_script(SENTENCE, name)


def click(dash_duo, selector: str) -> None:
    dash_duo.driver.execute_script("arguments[0].click()", dash_duo.find_element(selector))


def click_and_watch(dash_duo, name: str, button: str) -> dict:
    """What the block `name` shows as it appears after a click on `button`; returns once the
    job's first report has replaced it (a Cancel before the job has started is lost)."""
    dash_duo.driver.execute_script(WATCH, name)
    click(dash_duo, button)
    until(lambda: dash_duo.driver.execute_script("return window.firstShown"), timeout=20)
    until(lambda: sentence(dash_duo, name)["text"] not in ("", STARTING), timeout=20)
    return dash_duo.driver.execute_script("return window.firstShown")


def cancel(dash_duo, name: str) -> None:
    click(dash_duo, f"#{name}-job-cancel")
    dash_duo.wait_for_style_to_equal(f"#{name}-job", "display", "none", timeout=20)


def open_transfer_page(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)


def test_train_shows_a_full_bar_that_says_starting(dash_duo, app):
    open_transfer_page(dash_duo, app)
    shown = click_and_watch(dash_duo, "tl-train", "#tl-train")
    assert (shown["width"], shown["text"]) == ("100%", STARTING)
    bar = dash_duo.find_element("#tl-train-job [role=progressbar]")
    assert bar.get_attribute("aria-label") == "Training"  # named for screen readers
    cancel(dash_duo, "tl-train")


def test_start_shows_a_full_bar_that_says_starting(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    shown = click_and_watch(dash_duo, "al-start", "#al-start")
    assert (shown["width"], shown["text"]) == ("100%", STARTING)
    cancel(dash_duo, "al-start")


def test_what_train_does_is_readable_while_its_bar_is_nearly_empty(dash_duo, app):
    """Train spends its first seconds at 0 and 10 % (the target's features, then the source
    model); as the bar's label, the sentence was cut to the filled part and nothing showed."""
    open_transfer_page(dash_duo, app)
    click_and_watch(dash_duo, "tl-train", "#tl-train")
    time.sleep(1)  # the bar eases to its share in 0.6 s
    now = sentence(dash_duo, "tl-train")
    assert now["width"] in ("0%", "10%"), now
    assert 0 < now["needed"] <= now["shown"], now
    cancel(dash_duo, "tl-train")

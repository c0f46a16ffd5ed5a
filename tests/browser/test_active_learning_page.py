"""The Active Learning page in a browser: actions wait for a campaign, start, Step three times,
Back, the slider over past steps, export and import, the guided demo's stages, Start and Step
within ten Tab stops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.keys import Keys

from dashboard import browser_bench, catalog
from dashboard.pages.active_learning import guide
from dashboard.pages.active_learning.layout import ACTIONS
from tests.browser.overflow import recorded, start_recording

pytestmark = pytest.mark.browser


def status(dash_duo) -> str:
    return dash_duo.find_element("#al-status").text


def click(dash_duo, selector: str) -> None:
    """Click a button even while plots above it are still changing the page's height."""
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element
    )


def choose(dash_duo, dropdown_id: str, text: str) -> None:
    """Open a dcc.Dropdown and click the first option whose label contains `text` (scrolled
    into view first: on a phone the form runs below the screen)."""
    click(dash_duo, f"#{dropdown_id}")
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    option = next(o for o in dash_duo.find_elements(".dash-dropdown-option") if text in o.text)
    option.click()


def start_small_campaign(dash_duo, app, before_start=lambda: None) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    choose(dash_duo, "al-dataset", "FreeSolv")
    dash_duo.wait_for_contains_text("#al-target", "expt", timeout=10)
    for field, value in (("#al-init", "20"), ("#al-batch", "5")):
        box = dash_duo.find_element(field)
        box.clear()
        box.send_keys(value + Keys.TAB)  # debounced inputs commit on blur
    before_start()
    click(dash_duo, "#al-start")
    dash_duo.wait_for_contains_text("#al-status", "20 measured", timeout=120)
    assert "step 0 of 0" in status(dash_duo)
    assert "acquisition: ucb, κ = 2.5" in status(dash_duo)  # molecules keep UCB's usual κ


def test_step_three_times_back_once_and_the_plots_follow(dash_duo, app, screenshot):
    start_small_campaign(dash_duo, app)
    before = dash_duo.find_element("#al-parity").get_attribute("innerHTML")
    for expected in (1, 2, 3):
        click(dash_duo, "#al-step")
        dash_duo.wait_for_contains_text("#al-status", f"step {expected} of {expected}", timeout=30)
    assert "35 measured" in status(dash_duo)
    after = dash_duo.find_element("#al-parity").get_attribute("innerHTML")
    assert after != before
    click(dash_duo, "#al-back")
    dash_duo.wait_for_contains_text("#al-status", "step 2 of 2", timeout=30)
    assert "30 measured" in status(dash_duo)
    picks = "#al-suggestions-grid .ag-center-cols-container .ag-row"  # one a row, pinned aside
    until(lambda: len(dash_duo.find_elements(picks)) == 5, timeout=10)
    screenshot("active-learning")
    assert dash_duo.get_logs() == []


def measured_on_map(dash_duo) -> int:
    """Points of the pool map's "measured" trace in the browser (float32 typed-array data)."""
    return dash_duo.driver.execute_script(
        "const x = document.querySelector('#al-map .js-plotly-plot')"
        ".data.find(t => t.name === 'measured').x;"
        "return x.bdata === undefined ? x.length : atob(x.bdata).length / 4;"
    )


def test_the_slider_shows_a_past_step_and_the_map_follows(dash_duo, app):
    start_small_campaign(dash_duo, app)
    for expected in (1, 2):
        click(dash_duo, "#al-step")
        dash_duo.wait_for_contains_text("#al-status", f"step {expected} of {expected}", timeout=30)
    until(lambda: measured_on_map(dash_duo) == 30, timeout=10)
    handle = dash_duo.find_element("#al-slider [role=slider]")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", handle)
    handle.send_keys(Keys.ARROW_LEFT)
    dash_duo.wait_for_contains_text("#al-status", "step 1 of 2", timeout=30)
    until(lambda: measured_on_map(dash_duo) == 25, timeout=10)  # patched to the past step
    assert "30 measured" not in status(dash_duo) and "25 measured" in status(dash_duo)
    assert dash_duo.get_logs() == []


def test_back_at_step_zero_explains_and_keeps_the_campaign(dash_duo, app):
    start_small_campaign(dash_duo, app)
    click(dash_duo, "#al-back")
    dash_duo.wait_for_contains_text("#al-message", "Already at step 0", timeout=20)
    assert "step 0 of 0" in status(dash_duo)


def test_export_and_import_restore_the_same_step(dash_duo, app, tmp_path):
    start_small_campaign(dash_duo, app)
    for expected in (1, 2):
        click(dash_duo, "#al-step")
        dash_duo.wait_for_contains_text("#al-status", f"step {expected} of {expected}", timeout=30)
    from dashboard import campaigns, runtime

    sid = json.loads(
        dash_duo.driver.execute_script("return window.localStorage.getItem('session-id')")
    )
    exported = tmp_path / "campaign.json"
    exported.write_text(json.dumps(campaigns.saved(sid)))
    assert runtime.current().store.exists(sid)
    click(dash_duo, "#al-reset")
    dash_duo.wait_for_contains_text("#al-status", "step 0 of 0", timeout=30)
    dash_duo.find_element("#al-import input[type=file]").send_keys(str(exported))
    dash_duo.wait_for_contains_text("#al-status", "step 2 of 2", timeout=30)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "something else"}')
    dash_duo.find_element("#al-import input[type=file]").send_keys(str(broken))
    dash_duo.wait_for_contains_text("#al-message", "not a saved MI Dashboard campaign", timeout=20)
    assert "step 2 of 2" in status(dash_duo)


def disabled(dash_duo) -> dict[str, bool]:
    return {name: not dash_duo.find_element(f"#{name}").is_enabled() for name in ACTIONS}


def test_actions_wait_for_a_campaign_and_start_sits_beside_step(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_contains_text("#al-status", "no campaign yet", timeout=20)
    assert all(disabled(dash_duo).values()), disabled(dash_duo)
    start = dash_duo.find_element("#al-start").rect
    step = dash_duo.find_element("#al-step").rect
    assert abs(start["y"] - step["y"]) < 5 and 0 < step["x"] - start["x"] < 120
    choose(dash_duo, "al-dataset", "FreeSolv")
    dash_duo.wait_for_contains_text("#al-target", "expt", timeout=10)
    for field, value in (("#al-init", "20"), ("#al-batch", "5")):
        box = dash_duo.find_element(field)
        box.clear()
        box.send_keys(value + Keys.TAB)
    click(dash_duo, "#al-start")
    dash_duo.wait_for_contains_text("#al-status", "20 measured", timeout=120)
    until(lambda: not any(disabled(dash_duo).values()), timeout=10)


def tab_stops(dash_duo, count: int) -> list[str]:
    """The ids focused by the next `count` presses of Tab ('' for elements without one)."""
    reached = []
    for _ in range(count):
        dash_duo.driver.switch_to.active_element.send_keys(Keys.TAB)
        reached.append(dash_duo.driver.execute_script("return document.activeElement.id"))
    return reached


def test_start_is_within_ten_tab_stops_and_two_after_the_skip_link(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_contains_text("#al-status", "no campaign yet", timeout=20)
    assert "al-start" in tab_stops(dash_duo, 10)
    dash_duo.driver.refresh()
    dash_duo.wait_for_contains_text("#al-status", "no campaign yet", timeout=20)
    tab_stops(dash_duo, 1)
    skip = dash_duo.driver.switch_to.active_element
    assert skip.text == "Skip to the page"
    skip.send_keys(Keys.ENTER)
    # Step follows Start once a campaign exists (until then it is disabled, so Tab skips it)
    assert tab_stops(dash_duo, 2) == ["al-guide-start", "al-start"]


def test_the_guided_campaign_runs_its_stages_and_the_summary_moves_on(
    dash_duo, app, monkeypatch, screenshot
):
    monkeypatch.setattr(
        guide,
        "DEMO",
        {**guide.DEMO, "al-dataset": catalog.BUILTIN + "freesolv", "al-target": "expt"}
        | {"al-init": 20, "al-batch": 5},
    )
    monkeypatch.setattr(guide, "STAGES", (0, 1, 3))
    # long enough that the summary of stage 1 shows before stage 2 starts on a busy CI machine
    monkeypatch.setattr(guide, "PAUSE_MS", 2500)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-guide-start", timeout=20)
    click(dash_duo, "#al-guide-start")
    dash_duo.wait_for_contains_text("#al-guide-text", "Stage 1 of 3", timeout=120)
    summary = "Start: the best of the 20 first measurements"
    dash_duo.wait_for_contains_text("#al-summary", summary, timeout=30)  # its own callback
    first = dash_duo.find_element("#al-summary").text
    dash_duo.wait_for_contains_text("#al-guide-text", "Stage 2 of 3", timeout=60)
    dash_duo.wait_for_contains_text("#al-guide-text", "Stage 3 of 3", timeout=60)
    dash_duo.wait_for_contains_text("#al-status", "step 3 of 3", timeout=30)
    dash_duo.wait_for_contains_text("#al-summary", "in 3 steps", timeout=30)
    last = dash_duo.find_element("#al-summary").text
    assert last != first and "random search would need" in last
    assert "calibration" in dash_duo.find_element("#al-guide-text").text
    screenshot("active-learning-guided")
    assert dash_duo.get_logs() == []


def test_the_browser_benchmark_times_start_and_steps_on_the_page(dash_duo, app):
    """`bench browser`'s measurement on this page: two Starts on qm9 (features computed, then
    cached), then Steps timed to the last plot drawn, with the bytes received."""
    dash_duo.start_server(app)
    timings = browser_bench.measure(dash_duo.driver, dash_duo.server_url, steps=2)
    assert len(timings.steps) == 2 and all(0 < s < 30 for s in timings.steps)
    assert all(1_000 < b < 1_000_000 for b in timings.step_bytes)
    assert 0 < timings.start_warm < timings.start_first
    assert "step 2 of 2" in status(dash_duo) and "70 measured" in status(dash_duo)
    assert dash_duo.get_logs() == []


ROUND1 = "run,catalyst,temperature,yield\n" + "".join(
    f"{i},{'AB'[i % 2]},{'rt' if i == 4 else 40 + 5 * i},"
    f"{20 + i if i in (1, 2, 3, 6, 9) else 'PENDING'}\n"
    for i in range(1, 25)
)


def start_real_round1(dash_duo, app, folder, text: str = ROUND1) -> None:
    """Upload ROUND1 (a campaign file with PENDING rows) and start a real campaign on it,
    three picks a step; downloads go to `folder`/downloads."""
    path, downloads = folder / "round1.csv", folder / "downloads"
    path.write_text(text)
    downloads.mkdir()
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data")
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(path))
    dash_duo.wait_for_contains_text("#data-upload-message", "Added round1.csv", timeout=30)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    choose(dash_duo, "al-dataset", "round1.csv")
    dash_duo.wait_for_contains_text("#al-target", "yield", timeout=10)
    real = next(e for e in dash_duo.find_elements("#al-mode label") if e.text == "real")
    dash_duo.driver.execute_script("arguments[0].click()", real)
    box = dash_duo.find_element("#al-batch")
    box.clear()
    box.send_keys("3" + Keys.TAB)
    click(dash_duo, "#al-start")
    dash_duo.wait_for_contains_text("#al-message", "Started", timeout=120)
    dash_duo.wait_for_element(measured_cell(0), timeout=30)


def measured_cell(index: int) -> str:
    return f"#al-suggestions-grid .ag-row[row-index='{index}'] .ag-cell[col-id='measured']"


def editing(dash_duo) -> list[int]:
    """The rows of the suggestions table whose cell is being edited."""
    return dash_duo.driver.execute_script(
        "return dash_ag_grid.getApi('al-suggestions-grid').getEditingCells().map(c => c.rowIndex)"
    )


def type_measured(dash_duo, index: int, text: str) -> int:
    """Type `text` into the measured cell of the table's row `index`; its row in the file."""
    first = dash_duo.find_element(
        f"#al-suggestions-grid .ag-row[row-index='{index}'] [col-id='row in file']"
    )
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", first)
    dash_duo.driver.execute_script(  # as a double-click does, whatever moved the page since
        "const api = dash_ag_grid.getApi('al-suggestions-grid');"
        "api.setFocusedCell(arguments[0], 'measured');"
        "api.startEditingCell({rowIndex: arguments[0], colKey: 'measured'});",
        index,
    )
    until(lambda: editing(dash_duo) == [index], timeout=10)
    editor = dash_duo.driver.switch_to.active_element
    editor.send_keys(Keys.CONTROL, "a")  # what was there is replaced (Ctrl lasts one call)
    editor.send_keys(Keys.DELETE, text + Keys.ENTER)
    until(lambda: editing(dash_duo) == [], timeout=10)
    return int(first.text)  # the data row in the user's file: 1 under the column names


def test_a_campaign_file_goes_round_the_page_and_comes_back_as_it_came(
    dash_duo, app, tmp_path, screenshot
):
    """Upload a campaign file (PENDING rows), start a real campaign, type a measured value,
    step, and download the file: every row as written, the value in, the next batch marked."""
    start_real_round1(dash_duo, app, tmp_path)
    downloads = tmp_path / "downloads"
    headers = [h.text for h in dash_duo.find_elements("#al-suggestions-grid .ag-header-cell-text")]
    assert {"row in file", "catalyst", "temperature", "measured (type here)"} <= set(headers)
    number = type_measured(dash_duo, 0, "55.5")
    click(dash_duo, "#al-enter")
    dash_duo.wait_for_contains_text("#al-message", "1 value taken in", timeout=60)
    dash_duo.wait_for_contains_text("#al-quality", "In a real campaign the true", timeout=30)
    assert "recall" not in dash_duo.find_element("#al-best").text  # no true values to find
    dash_duo.wait_for_contains_text("#al-parity", "Predicted vs measured", timeout=30)
    dash_duo.driver.execute_script(
        "document.querySelector('#al-real-actions').scrollIntoView({block: 'center'})"
    )
    screenshot("active-learning-real-mode")
    click(dash_duo, "#al-campaign-file")
    written = downloads / "round1-next.csv"
    until(written.is_file, timeout=20)
    lines = written.read_text().splitlines()
    original = ROUND1.splitlines()
    assert len(lines) == len(original) and lines[0] == original[0] + ",priority"
    assert lines[4] == original[4] + ","  # 'rt': left out by the check, kept as written
    entered = lines[number].split(",")
    assert entered[3] == "55.5" and entered[4] == "-1"
    assert sum(line.endswith(",1") for line in lines[1:]) == 3
    assert dash_duo.get_logs() == []


def test_typed_values_that_are_not_numbers_are_refused_naming_their_row(dash_duo, app, tmp_path):
    """A decimal comma is refused with its fix (never read as 132), a word with its row; both
    stay in the table to correct, and nothing is entered until they are numbers."""
    start_real_round1(dash_duo, app, tmp_path)
    until(lambda: not dash_duo.find_element("#al-step").is_enabled(), timeout=10)  # real mode
    comma = type_measured(dash_duo, 0, "13,2")
    word = type_measured(dash_duo, 1, "n.d.")
    assert dash_duo.find_element(measured_cell(0)).text == "13,2"
    click(dash_duo, "#al-enter")
    dash_duo.wait_for_contains_text("#al-message", "write it as 13.2", timeout=30)
    message = dash_duo.find_element("#al-message").text
    assert f"Row {comma} in the file: yield '13,2'" in message
    assert f"Row {word} in the file: yield 'n.d.' is not a number" in message
    assert "step 0 of 0" in status(dash_duo)
    type_measured(dash_duo, 0, "13.2")
    type_measured(dash_duo, 1, "")
    click(dash_duo, "#al-enter")
    dash_duo.wait_for_contains_text("#al-message", "1 value taken in", timeout=60)
    dash_duo.wait_for_contains_text("#al-status", "step 1 of 1", timeout=30)
    assert dash_duo.get_logs() == []


AGNP = (
    Path(__file__).resolve().parents[3] / "shared" / "external" / "liang2021" / "AgNP_dataset.csv"
)


def goal(dash_duo) -> str:
    """The label of the goal checked in the form."""
    return dash_duo.driver.execute_script(
        "const box = document.querySelector('#al-goal input:checked');"
        "return box ? document.querySelector(`label[for='${box.id}']`).textContent : '';"
    )


def test_the_goal_follows_the_target_and_a_goal_chosen_for_it_survives_a_reload(dash_duo, app):
    if not AGNP.is_file():
        pytest.skip(f"needs {AGNP} (the shared reference data)")
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data")
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(AGNP))
    dash_duo.wait_for_contains_text("#data-upload-message", "Added AgNP_dataset.csv", timeout=30)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    assert goal(dash_duo) == "maximise"  # qm9's lumo
    choose(dash_duo, "al-dataset", "AgNP_dataset.csv")
    dash_duo.wait_for_contains_text("#al-target", "loss", timeout=10)
    until(lambda: goal(dash_duo) == "minimise", timeout=10)  # lower loss is better
    maximise = next(e for e in dash_duo.find_elements("#al-goal label") if e.text == "maximise")
    dash_duo.driver.execute_script("arguments[0].click()", maximise)
    until(lambda: goal(dash_duo) == "maximise", timeout=10)
    dash_duo.driver.refresh()  # the dataset and the goal chosen for its target come back
    dash_duo.wait_for_contains_text("#al-target", "loss", timeout=20)
    until(lambda: goal(dash_duo) == "maximise", timeout=10)
    choose(dash_duo, "al-dataset", "FreeSolv")
    dash_duo.wait_for_contains_text("#al-target", "expt", timeout=10)
    until(lambda: goal(dash_duo) == "maximise", timeout=10)
    assert dash_duo.get_logs() == []


def test_a_campaign_with_nothing_measured_yet_draws_valid_plots_and_says_why_they_are_empty(
    dash_duo, app, tmp_path, screenshot
):
    """Nothing measured: the picks come from the initial design, there is no model, and the
    plots say so instead of drawing NaN shapes (plotly logged '<rect> attribute height: NaN')."""
    pending = (
        ROUND1.split("\n", 1)[0]
        + "\n"
        + "".join(line.rsplit(",", 1)[0] + ",PENDING\n" for line in ROUND1.splitlines()[1:])
    )
    start_real_round1(dash_duo, app, tmp_path, pending)
    dash_duo.wait_for_contains_text("#al-summary", "No value measured yet", timeout=30)
    dash_duo.wait_for_contains_text("#al-map", "No model yet", timeout=30)
    dash_duo.wait_for_contains_text("#al-best", "Nothing measured yet", timeout=30)
    assert not dash_duo.find_elements("#al-map .colorbar")
    screenshot("active-learning-nothing-measured")
    assert dash_duo.get_logs() == []


def test_the_plots_fit_their_cards_from_the_first_frame_that_shows_them(dash_duo, app):
    """Laid out while their panel was hidden, they reached 349 px past their cards on a phone
    (296 px on a desktop) for the first 12 frames."""
    dash_duo.driver.set_window_size(390, 844)  # a phone; a desktop overflowed alike (296 px)
    try:
        start_small_campaign(
            dash_duo, app, before_start=lambda: start_recording(dash_duo.driver, "al-results")
        )
        overflow = recorded(dash_duo.driver)
        assert max(overflow) <= 0.5, f"a plot reached past its card by {max(overflow)} px"
    finally:
        dash_duo.driver.set_window_size(1366, 900)

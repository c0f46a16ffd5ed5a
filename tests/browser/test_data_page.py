"""The Data page in a real browser: uploads, problems, earlier data kept, progress and Cancel,
role edits of a reaction table and a campaign on it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from dash.testing.wait import until
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.keys import Keys

from dashboard.pages.data import upload as data_page
from tests.browser import axe
from tests.browser.test_active_learning_page import choose, click
from tests.callbacks.test_data_download import TRACE_CSV
from tests.callbacks.test_data_sheets import WORKBOOK

pytestmark = pytest.mark.browser
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
ARYLATION = SHARED.parent / "external" / "edbo" / "direct_arylation_names.csv"
MAX_INDEX = (
    "return Math.max(-1, ...Array.from(document.querySelectorAll('.ag-row[row-index]'))"
    ".map(r => Number(r.getAttribute('row-index'))))"
)
SCROLL_TO = "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})"
GOOD = "formula,gap\nNaCl,8.5\nKBr,7.4\nMgO,7.8\nGaAs,1.42\nSi,1.12\nZnO,3.3\n"


def upload(dash_duo, path: Path) -> None:
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(path))


def open_data_page(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data")
    dash_duo.wait_for_contains_text("#data-headline", "rows", timeout=30)


def upload_reactions(dash_duo, app) -> None:
    """Open the Data page and upload the direct arylation reactions (1,728 rows)."""
    if not ARYLATION.is_file():
        pytest.skip(f"needs {ARYLATION} (the shared reaction data)")
    open_data_page(dash_duo, app)
    upload(dash_duo, ARYLATION)
    dash_duo.wait_for_contains_text("#data-headline", "1,728 rows", timeout=60)


def badges(dash_duo) -> list[str]:
    """The headline's badges: rows, columns, inputs, targets, missing cells."""
    return [badge.text for badge in dash_duo.find_elements("#data-headline .badge")]


def open_tab(dash_duo, label: str) -> None:
    next(t for t in dash_duo.find_elements("#data-tabs .nav-link") if t.text == label).click()


def chosen(dash_duo, role: str) -> list[str]:
    """The values a role dropdown shows, e.g. ['base', 'ligand', 'solvent']."""
    items = dash_duo.find_elements(f"#data-role-{role}-value .dash-dropdown-value-item")
    return [item.text for item in items]


def toggle(dash_duo, role: str, label: str) -> None:
    """Tick or untick one option of a multi-select role dropdown, then close it."""
    dropdown = dash_duo.find_element(f"#data-role-{role}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", dropdown)
    time.sleep(0.3)  # let the smooth scroll settle before clicking
    dropdown.click()
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    option = next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text == label)
    option.click()
    dash_duo.find_element("body").send_keys(Keys.ESCAPE)


def test_the_built_in_table_scrolls_in_the_grid(dash_duo, app):
    open_data_page(dash_duo, app)
    dash_duo.wait_for_element(".ag-row", timeout=20)
    assert "4,895 rows" in dash_duo.find_element("#data-headline").text
    viewport = dash_duo.find_element(".ag-body-viewport")
    dash_duo.driver.execute_script("arguments[0].scrollTop = 60000", viewport)
    until(lambda: dash_duo.driver.execute_script(MAX_INDEX) > 1000, timeout=15)
    dash_duo.wait_for_contains_text(".ag-center-cols-container", ".", timeout=15)
    assert len(dash_duo.find_elements(".ag-center-cols-container .ag-row")) < 200  # virtualised


def test_a_good_upload_shows_its_table(dash_duo, app, tmp_path, screenshot):
    open_data_page(dash_duo, app)
    path = tmp_path / "my gaps.csv"
    path.write_text(GOOD)
    upload(dash_duo, path)
    dash_duo.wait_for_contains_text("#data-upload-message", "Added my gaps.csv: 6 rows", timeout=30)
    dash_duo.wait_for_contains_text("#data-headline", "6 rows", timeout=20)
    dash_duo.wait_for_contains_text(".ag-center-cols-container", "GaAs", timeout=20)
    screenshot("data-upload-good")
    dash_duo.driver.refresh()  # the choice survives a reload, even before the options arrive
    dash_duo.wait_for_contains_text("#data-picker", "6 rows, yours", timeout=30)
    dash_duo.wait_for_contains_text("#data-headline", "6 rows", timeout=20)
    assert dash_duo.get_logs() == []


def test_another_sheet_of_a_workbook_is_chosen_on_the_page(dash_duo, app, tmp_path, screenshot):
    open_data_page(dash_duo, app)
    path = tmp_path / "campaign.xlsx"
    path.write_bytes(WORKBOOK)
    upload(dash_duo, path)
    dash_duo.wait_for_contains_text(
        "#data-upload-message", "Added campaign.xlsx: 6 rows", timeout=30
    )
    dash_duo.wait_for_style_to_equal("#data-sheet-row", "display", "block", timeout=20)
    dash_duo.find_element("#data-sheet").click()
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    offered = dash_duo.find_elements(".dash-dropdown-option")
    assert [o.text for o in offered] == ["gaps", "round 2", "notes"]  # no empty first one
    next(o for o in offered if o.text == "round 2").click()
    dash_duo.wait_for_contains_text(
        "#data-upload-message", "Added sheet 'round 2' of campaign.xlsx: 8 rows", timeout=30
    )
    dash_duo.wait_for_contains_text("#data-headline", "8 rows", timeout=20)
    dash_duo.wait_for_contains_text(".ag-center-cols-container", "S7", timeout=20)
    screenshot("data-sheet-picked")
    assert dash_duo.get_logs() == []


def test_a_long_file_name_and_many_inputs_wrap_at_phone_width(dash_duo, app, screenshot):
    campaign = ARYLATION.with_name("edboplus_campaign_round1_pending.csv")
    if not campaign.is_file():
        pytest.skip(f"needs {campaign} (the shared reaction data)")
    open_data_page(dash_duo, app)
    upload(dash_duo, campaign)
    dash_duo.wait_for_contains_text("#data-headline", "categorical: Ligand", timeout=60)
    dash_duo.driver.set_window_size(390, 844)
    time.sleep(0.5)
    wide = dash_duo.driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    screenshot("data-phone-long-name")
    assert wide[0] <= wide[1], f"the page scrolls sideways: {wide}"


def test_a_bad_upload_lists_problems_and_keeps_the_earlier_data(
    dash_duo, app, tmp_path, screenshot
):
    open_data_page(dash_duo, app)
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    upload(dash_duo, good)
    dash_duo.wait_for_contains_text("#data-headline", "6 rows", timeout=30)
    bad = tmp_path / "ragged.csv"
    bad.write_text("formula,gap\nNaCl,8.5,extra\nKBr\n")
    upload(dash_duo, bad)
    dash_duo.wait_for_contains_text("#data-upload-message", "ragged.csv was not added", timeout=30)
    screenshot("data-upload-bad")
    assert "6 rows" in dash_duo.find_element("#data-headline").text
    dash_duo.find_element("#data-picker").click()
    assert "good.csv" in dash_duo.find_element("#data-picker").text


def test_an_oversized_file_is_refused_in_the_browser(dash_duo, app, tmp_path):
    open_data_page(dash_duo, app)
    big = tmp_path / "big.csv"
    big.write_bytes(b"formula,gap\n" + b"NaCl,8.5\n" * 700_000)  # 6.3 MB, over the 5 MB test limit
    upload(dash_duo, big)
    dash_duo.wait_for_contains_text("#data-upload-message", "over the 5.0 MB limit", timeout=10)
    assert "4,895 rows" in dash_duo.find_element("#data-headline").text


def test_a_slow_upload_shows_progress_and_can_be_cancelled(dash_duo, app, tmp_path, monkeypatch):
    real_parse = data_page.parse_upload

    def slow_parse(*args, **kwargs):
        time.sleep(20)  # the job runs in a forked process, which inherits this patch
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(data_page, "parse_upload", slow_parse)
    open_data_page(dash_duo, app)
    path = tmp_path / "slow.csv"
    path.write_text(GOOD)
    upload(dash_duo, path)
    dash_duo.wait_for_style_to_equal("#data-upload-job", "display", "block", timeout=20)
    dash_duo.wait_for_contains_text("#data-upload-job-text", "reading the file", timeout=10)
    dash_duo.find_element("#data-upload-job-cancel").click()
    dash_duo.wait_for_style_to_equal("#data-upload-job", "display", "none", timeout=10)
    time.sleep(1)
    assert "Added" not in dash_duo.find_element("#data-upload-message").text
    assert "4,895 rows" in dash_duo.find_element("#data-headline").text


def test_a_100k_row_upload_scrolls_without_freezing(dash_duo, app, tmp_path):
    source = SHARED / "matbench_mp_gap.csv"
    if not source.is_file():
        pytest.skip(f"needs {source} (the shared reference data)")
    open_data_page(dash_duo, app)
    upload(dash_duo, source)
    dash_duo.wait_for_contains_text("#data-headline", "106,113 rows", timeout=90)
    viewport = dash_duo.find_element(".ag-body-viewport")
    for top in (400_000, 2_000_000, 4_000_000):
        started = time.perf_counter()
        dash_duo.driver.execute_script("arguments[0].scrollTop = arguments[1]", viewport, top)
        until(lambda t=top: dash_duo.driver.execute_script(MAX_INDEX) > t // 50, timeout=15)
        assert time.perf_counter() - started < 5
    assert len(dash_duo.find_elements(".ag-center-cols-container .ag-row")) < 200


def test_the_role_editor_shows_and_saves_categorical_inputs(dash_duo, app, screenshot):
    upload_reactions(dash_duo, app)
    assert "categorical: base, ligand, solvent" in badges(dash_duo)
    assert "targets: yield, cost" in badges(dash_duo)
    open_tab(dash_duo, "Column roles")
    until(lambda: chosen(dash_duo, "categorical_columns") == ["base", "ligand", "solvent"], 10)
    assert chosen(dash_duo, "feature_columns") == ["concentration", "temperature"]
    assert chosen(dash_duo, "target_columns") == ["yield", "cost"]
    screenshot("data-roles-reactions")
    toggle(dash_duo, "target_columns", "cost")
    until(lambda: chosen(dash_duo, "target_columns") == ["yield"], timeout=10)
    click(dash_duo, "#data-roles-apply")
    dash_duo.wait_for_contains_text("#data-roles-message", "Roles saved: 1,728 rows", timeout=30)
    dash_duo.wait_for_contains_text("#data-roles-notes", "Column 'cost' is not used", timeout=20)
    until(lambda: "targets: yield" in badges(dash_duo), timeout=20)
    screenshot("data-roles-saved")
    assert dash_duo.get_logs() == []


def test_roles_saved_stays_on_the_saved_copy_and_goes_with_another_dataset(dash_duo, app):
    open_data_page(dash_duo, app)
    open_tab(dash_duo, "Column roles")
    until(lambda: chosen(dash_duo, "target_columns") != [], timeout=10)
    click(dash_duo, "#data-roles-apply")
    dash_duo.wait_for_contains_text("#data-roles-message", "Roles saved", timeout=30)
    dash_duo.wait_for_contains_text("#data-picker", "(your roles)", timeout=20)
    time.sleep(1)  # the picker's refresh and the dataset's redraw have run: the message stays
    assert "Roles saved" in dash_duo.find_element("#data-roles-message").text
    picker = dash_duo.find_element("#data-picker")
    dash_duo.driver.execute_script(SCROLL_TO, picker)  # at once: a smooth scroll misplaces clicks
    choose(dash_duo, "data-picker", "FreeSolv")
    dash_duo.wait_for_contains_text("#data-headline", "642 rows", timeout=20)
    until(lambda: dash_duo.find_element("#data-roles-message").text == "", timeout=10)
    assert dash_duo.get_logs() == []


def test_an_uploaded_reaction_table_starts_a_campaign(dash_duo, app):
    upload_reactions(dash_duo, app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#al-dataset", timeout=20)
    choose(dash_duo, "al-dataset", "direct_arylation_names.csv")
    dash_duo.wait_for_contains_text("#al-target", "yield", timeout=10)
    click(dash_duo, "#al-start")
    dash_duo.wait_for_contains_text("#al-message", "Started: 1,728 rows, 1,678 not", timeout=120)
    dash_duo.wait_for_contains_text("#al-status", "50 measured", timeout=30)
    assert "step 0 of 0" in dash_duo.find_element("#al-status").text
    assert dash_duo.get_logs() == []


def test_the_grid_scrolls_on_dark_scroll_bars_in_dark_mode(dash_duo, app, screenshot):
    open_data_page(dash_duo, app)
    axe.set_theme(dash_duo.driver, "dark")
    until(lambda: dash_duo.find_element("html").get_attribute("data-bs-theme") == "dark", 10)
    dash_duo.wait_for_element(".ag-row", timeout=20)
    scheme = "return getComputedStyle(document.querySelector(arguments[0])).colorScheme"
    for scroller in (".ag-body-viewport", ".ag-body-horizontal-scroll-viewport"):
        until(lambda s=scroller: dash_duo.driver.execute_script(scheme, s) == "dark", 5)
    screenshot("data-grid-dark")


def test_remove_asks_first_then_says_what_it_removed(dash_duo, app, tmp_path):
    open_data_page(dash_duo, app)
    path = tmp_path / "my gaps.csv"
    path.write_text(GOOD)
    upload(dash_duo, path)
    dash_duo.wait_for_contains_text("#data-upload-message", "Added my gaps.csv", timeout=30)
    dash_duo.wait_for_contains_text("#data-headline", "6 rows", timeout=20)
    click(dash_duo, "#data-remove-button")
    until(lambda: _alert_text(dash_duo).startswith("Remove my gaps.csv from your session?"), 10)
    dash_duo.driver.switch_to.alert.accept()
    dash_duo.wait_for_text_to_equal(
        "#data-upload-message", "Removed my gaps.csv from your session.", timeout=20
    )
    dash_duo.wait_for_contains_text("#data-headline", "4,895 rows", timeout=20)
    assert "yours" not in dash_duo.find_element("#data-picker").text
    assert dash_duo.get_logs() == []


def _alert_text(dash_duo) -> str:
    """The text of the browser's open confirm dialog ('' while none is open)."""
    try:
        return dash_duo.driver.switch_to.alert.text
    except NoAlertPresentException:
        return ""


def test_download_csv_is_named_after_the_file_and_holds_the_rows_in_use(dash_duo, app, tmp_path):
    path, downloads = tmp_path / "yield_trace_nd.csv", tmp_path / "downloads"
    path.write_text(TRACE_CSV)
    downloads.mkdir()
    open_data_page(dash_duo, app)
    dash_duo.driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    upload(dash_duo, path)
    dash_duo.wait_for_contains_text("#data-headline", "6 rows", timeout=30)
    dash_duo.wait_for_contains_text("#data-download-note", "the 2 of the file's 8", timeout=10)
    click(dash_duo, "#data-download-button")
    written = downloads / "yield_trace_nd-checked.csv"
    until(written.is_file, timeout=15)
    lines = written.read_text().splitlines()
    assert lines[1] == "0,KOAc,DMAc,105,5.47,0.14577548199999998"
    assert len(lines) == 7 and "trace" not in written.read_text()
    assert dash_duo.get_logs() == []

"""The Transfer Learning page in a browser: the default demo teaches, the LV switch compares."""

from __future__ import annotations

import time

import pytest

from tests.browser.overflow import recorded, start_recording

pytestmark = pytest.mark.browser


def click(dash_duo, selector: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element
    )


def pick_model(dash_duo, name: str) -> None:
    model = dash_duo.find_element("#tl-model")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", model)
    model.click()
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    next(
        o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text.startswith(name)
    ).click()


def test_the_default_demo_draws_its_curve_and_the_lv_switch_changes_the_metrics(
    dash_duo, app, screenshot
):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-source-column", "calc", timeout=20)
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
    switch = dash_duo.find_element("#tl-use-transfer")
    assert not switch.is_enabled()  # nothing to switch before a model exists
    train = dash_duo.find_element("#tl-train")
    screen = dash_duo.driver.execute_script("return window.innerHeight")
    assert train.location["y"] + train.size["height"] <= screen  # Train is on the first screen
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "Trained in", timeout=240)
    dash_duo.wait_for_contains_text("#tl-verdict", "of the 513 target training rows", timeout=20)
    dash_duo.wait_for_contains_text("#tl-facts", "relies", timeout=20)
    # the learning curve is drawn without ticking anything: its legend names both models
    dash_duo.wait_for_contains_text("#tl-curve-graph", "this run", timeout=300)
    assert "latent variable" in dash_duo.find_element("#tl-curve-graph").text
    dash_duo.wait_for_contains_text("#tl-verdict", "The learning curve shows", timeout=20)
    with_lv = dash_duo.find_element("#tl-card-mae").text
    assert "vs without transfer" in dash_duo.find_element("#tl-cards").text
    dash_duo.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    screenshot("transfer-learning")
    assert dash_duo.find_element("#tl-use-transfer").is_enabled()
    click(dash_duo, "#tl-use-transfer")
    dash_duo.wait_for_contains_text("#tl-cards", "vs with transfer", timeout=20)
    without_lv = dash_duo.find_element("#tl-card-mae").text
    assert with_lv != without_lv
    assert dash_duo.get_logs() == []


def pick_source(dash_duo, text: str) -> None:
    source = dash_duo.find_element("#tl-source")
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", source
    )
    source.click()
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    next(o for o in dash_duo.find_elements(".dash-dropdown-option") if text in o.text).click()


def test_the_pickers_say_how_long_a_first_run_with_qm9_takes(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-source-column", "calc", timeout=20)
    assert dash_duo.find_element("#tl-first-run").text == ""  # the demo's first run is quick
    pick_source(dash_duo, "QM9")
    dash_duo.wait_for_contains_text("#tl-first-run", "features of 10,642 molecules", timeout=20)
    assert "trains a source model: about" in dash_duo.find_element("#tl-first-run").text


def test_a_source_of_another_structure_kind_is_explained(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-source-column", "calc", timeout=20)
    pick_source(dash_duo, "band gaps")
    dash_duo.wait_for_contains_text("#tl-source-column", "gap", timeout=20)
    pick_model(dash_duo, "gbr")  # before a first run, a change of model waits for Train
    time.sleep(1.5)
    assert dash_duo.find_element("#tl-message").text == ""
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "described the same way", timeout=60)
    assert "alert-danger" in dash_duo.find_element("#tl-message .alert").get_attribute("class")


def test_the_preparation_shows_its_bar_and_a_new_run_ends_the_curve_of_the_last_one(
    dash_duo, app, screenshot
):
    """With all rows the other target models take seconds to train before the curve (qm9's:
    minutes): their bar says which, and its Cancel draws the curve at once. Switching the target
    model while the curve is drawn: the switch, a run by itself, ends that job (whose session
    slot the new run would otherwise wait for; the curve of all rows takes a minute and more),
    the new model's result comes within seconds, and the jobs that follow it run as usual."""
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
    share = next(e for e in dash_duo.find_elements("#tl-share label") if e.text == "all")
    dash_duo.driver.execute_script("arguments[0].click()", share)
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "Trained in", timeout=240)
    dash_duo.wait_for_contains_text("#tl-prepare-job", "so that a switch to it is quick", 60)
    assert dash_duo.find_element("#tl-curve-job-job").value_of_css_property("display") == "none"
    screenshot("transfer-learning-preparing")
    click(dash_duo, "#tl-prepare-job-cancel")
    dash_duo.wait_for_style_to_equal("#tl-curve-job-job", "display", "block", timeout=20)
    dash_duo.wait_for_style_to_equal("#tl-prepare-job", "display", "none", timeout=10)
    # a change of model runs by itself once a model exists (no Train)
    clicked = time.monotonic()
    pick_model(dash_duo, "rf")
    dash_duo.wait_for_contains_text("#tl-facts", "random forest", timeout=60)
    waited = time.monotonic() - clicked
    assert waited < 30, f"the new run waited {waited:.0f} s for the old curve"
    dash_duo.wait_for_contains_text("#tl-curve-graph", "this run", timeout=300)
    assert dash_duo.get_logs() == []


def test_after_a_reload_the_controls_show_the_run_shown_and_run_nothing(dash_duo, app):
    """The layout starts from the demo's settings; the panel shows the session's last run."""
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
    dash_duo.driver.execute_script("arguments[0].click()", dash_duo.find_element("#tl-curve input"))
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "Trained in", timeout=240)
    click(dash_duo, "#tl-approach input[value=ft]")
    dash_duo.wait_for_contains_text("#tl-verdict", "fine-tuning", timeout=60)
    dash_duo.driver.refresh()
    dash_duo.wait_for_contains_text("#tl-verdict", "fine-tuning", timeout=20)
    until = time.monotonic() + 10
    while not dash_duo.find_element("#tl-approach input[value=ft]").is_selected():
        assert time.monotonic() < until, "the approach shown after a reload is not the run's"
        time.sleep(0.2)
    assert not dash_duo.find_element("#tl-curve input").is_selected()  # as the run: no curve
    time.sleep(2)
    assert dash_duo.find_element("#tl-message").text == ""  # setting the controls ran nothing
    click(dash_duo, "#tl-approach input[value=lv]")  # a real change still runs at once
    dash_duo.wait_for_contains_text("#tl-verdict", "the latent variable", timeout=60)
    assert dash_duo.get_logs() == []


def test_the_plots_fit_their_cards_from_the_first_frame_that_shows_them(dash_duo, app):
    """Plots laid out while their panel was hidden took Plotly's default 700 px and reached
    past their cards until a later resize (up to ~3 s on a busy server)."""
    dash_duo.driver.set_window_size(390, 844)  # a phone; a desktop overflowed alike (296 px)
    try:
        dash_duo.start_server(app)
        dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
        dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
        assert dash_duo.driver.execute_script("return window.innerWidth") == 390
        click(dash_duo, "#tl-curve input")  # no curve: nothing else runs after the results
        start_recording(dash_duo.driver, "tl-results")
        click(dash_duo, "#tl-train")
        dash_duo.wait_for_contains_text("#tl-message", "Trained in", timeout=240)
        overflow = recorded(dash_duo.driver)
        assert max(overflow) <= 0.5, f"a plot reached past its card by {max(overflow)} px"
    finally:
        dash_duo.driver.set_window_size(1366, 900)

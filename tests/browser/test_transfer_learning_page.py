"""The Transfer Learning page in a browser: train on the built-in pair, toggle the LV feature."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def click(dash_duo, selector: str) -> None:
    element = dash_duo.find_element(selector)
    dash_duo.driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element
    )


def test_training_then_toggling_lv_changes_the_metric_cards(dash_duo, app, screenshot):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-source-column", "calc", timeout=20)
    dash_duo.wait_for_contains_text("#tl-target-column", "expt", timeout=20)
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "Trained in", timeout=240)
    dash_duo.wait_for_contains_text("#tl-facts", "ranks #", timeout=20)
    with_lv = dash_duo.find_element("#tl-card-mae").text
    assert "vs without transfer" in dash_duo.find_element("#tl-cards").text
    screenshot("transfer-learning")
    click(dash_duo, "#tl-use-transfer")
    dash_duo.wait_for_contains_text("#tl-cards", "vs with transfer", timeout=20)
    without_lv = dash_duo.find_element("#tl-card-mae").text
    assert with_lv != without_lv
    assert dash_duo.get_logs() == []


def test_a_source_of_another_structure_kind_is_explained(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/transfer-learning")
    dash_duo.wait_for_contains_text("#tl-source-column", "calc", timeout=20)
    dash_duo.find_element("#tl-source").click()
    dash_duo.wait_for_element(".dash-dropdown-option", timeout=10)
    next(
        o for o in dash_duo.find_elements(".dash-dropdown-option") if "band gaps" in o.text
    ).click()
    dash_duo.wait_for_contains_text("#tl-source-column", "gap", timeout=20)
    click(dash_duo, "#tl-train")
    dash_duo.wait_for_contains_text("#tl-message", "described the same way", timeout=60)
    assert "alert-danger" in dash_duo.find_element("#tl-message .alert").get_attribute("class")

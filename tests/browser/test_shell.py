"""Every page in a real headless Chromium: loads cleanly, navigates, remembers the theme."""

from __future__ import annotations

import dash
import pytest
from dash.testing.wait import until

from dashboard.shell import nav_id

pytestmark = pytest.mark.browser


def nav_paths() -> list[str]:
    return [page["path"] for page in dash.page_registry.values()]


def test_every_page_loads_without_console_errors(dash_duo, app, screenshot):
    dash_duo.start_server(app)
    paths = nav_paths()
    assert {"/", "/data", "/about"} <= set(paths)
    for path in paths:
        dash_duo.wait_for_page(url=dash_duo.server_url + path)
        dash_duo.wait_for_element("#page-body h1", timeout=20)
        dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
        name = path.strip("/") or "home"
        assert screenshot(f"page-{name}").stat().st_size > 10_000
        assert dash_duo.get_logs() == [], f"console errors on {path}"


def test_navbar_links_reach_each_page(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    for page in dash.page_registry.values():
        dash_duo.find_element("#" + nav_id(page)).click()
        dash_duo.wait_for_contains_text("#page-body h1", _heading(page["path"]), timeout=20)
        assert dash_duo.driver.current_url.rstrip("/") == (
            dash_duo.server_url + page["path"]
        ).rstrip("/")


def _heading(path: str) -> str:
    return {
        "/": "Materials informatics",
        "/data": "Data",
        "/about": "About",
        "/transfer-learning": "Transfer",
        "/active-learning": "Active",
    }[path]


def test_theme_switch_turns_dark_and_is_remembered(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#theme-switch", timeout=20)
    html = dash_duo.find_element("html")
    assert html.get_attribute("data-bs-theme") in (None, "", "light")
    dash_duo.find_element("#theme-switch").click()
    until(lambda: html.get_attribute("data-bs-theme") == "dark", timeout=5)
    dash_duo.driver.refresh()
    dash_duo.wait_for_element("#theme-switch", timeout=20)
    until(
        lambda: dash_duo.find_element("html").get_attribute("data-bs-theme") == "dark", timeout=10
    )
    assert dash_duo.find_element("#theme-switch").is_selected()


def test_a_session_id_is_made_by_the_server_and_kept(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    read = "return window.localStorage.getItem('session-id')"
    until(lambda: dash_duo.driver.execute_script(read), timeout=10)
    first = dash_duo.driver.execute_script(read).strip('"')
    assert len(first) == 32
    dash_duo.driver.refresh()
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    assert dash_duo.driver.execute_script(read).strip('"') == first


def test_a_forged_session_id_is_replaced(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    forged = "A" * 32
    dash_duo.driver.execute_script(f"window.localStorage.setItem('session-id', '\"{forged}\"')")
    dash_duo.driver.refresh()
    read = "return window.localStorage.getItem('session-id')"
    until(lambda: forged not in (dash_duo.driver.execute_script(read) or forged), timeout=10)

"""Every page in a real headless Chromium: loads cleanly, navigates, remembers the theme, reads
in dark mode, folds its navbar on a phone, keeps the session's secret from the page's scripts."""

from __future__ import annotations

import json
import time

import dash
import pytest
from dash.testing.wait import until

from dashboard import sessions
from dashboard.shell import nav_id
from tests.browser import axe
from tests.browser.test_active_learning_page import choose

pytestmark = pytest.mark.browser
REMEMBERED = "return window.localStorage.getItem('al-dataset-remembered')"


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


def test_the_static_first_screen_gives_way_to_dashs_page(dash_duo, app):
    """The copy the server sends goes once Dash has drawn the page, which is then visible and
    works (a link click navigates)."""
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    until(lambda: not dash_duo.driver.find_elements("css selector", ".mi-first-screen"), 10)
    visibility = "return getComputedStyle(document.getElementById('react-entry-point')).visibility"
    assert dash_duo.driver.execute_script(visibility) == "visible"
    assert len(dash_duo.find_elements("h1")) == 1
    dash_duo.find_element("#" + nav_id(dash.page_registry["dashboard.pages.about"])).click()
    dash_duo.wait_for_contains_text("#page-body h1", "About", timeout=20)
    assert dash_duo.get_logs() == []


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


CONTRAST = """
function rgb(text) { return text.match(/[\\d.]+/g).map(Number); }
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => v / 255).map(
    v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function background(el) {
  for (; el; el = el.parentElement) {
    const c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length < 4 || c[3] > 0) { return c; }
  }
  return [255, 255, 255];
}
const el = document.querySelector(arguments[0]);
const text = luminance(rgb(getComputedStyle(el).color));
const back = luminance(background(el));
return (Math.max(text, back) + 0.05) / (Math.min(text, back) + 0.05);
"""


def test_dark_mode_dropdowns_read_at_4_5_to_1(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/active-learning")
    dash_duo.wait_for_contains_text("#al-dataset", "QM9", timeout=30)
    choose(dash_duo, "al-dataset", "FreeSolv")
    until(lambda: "freesolv" in (dash_duo.driver.execute_script(REMEMBERED) or ""), 10)
    axe.set_theme(dash_duo.driver, "dark")  # reloads: the chosen dataset is still chosen
    dash_duo.wait_for_contains_text("#al-dataset", "FreeSolv", timeout=30)
    until(lambda: dash_duo.find_element("html").get_attribute("data-bs-theme") == "dark", 10)
    for selector in ("#al-dataset", "#al-dataset-value", "#al-model"):

        def readable(selector=selector) -> bool:  # after the theme's colour transitions
            return dash_duo.driver.execute_script(CONTRAST, selector) >= 4.5

        until(readable, timeout=5, msg=f"{selector}: contrast under 4.5 : 1 in dark mode")


def test_the_navbar_folds_behind_a_menu_button_on_a_phone(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(390, 844)
    try:
        dash_duo.wait_for_element("#page-body h1", timeout=20)
        links = dash_duo.find_element("#nav-links")
        assert not links.is_displayed()
        assert dash_duo.find_element(".navbar").size["height"] < 80
        dash_duo.find_element("#nav-toggle").click()
        until(links.is_displayed, timeout=5)
        dash_duo.find_element("#nav-active_learning").click()
        dash_duo.wait_for_contains_text("#page-body h1", "Active", timeout=20)
        until(lambda: not dash_duo.find_element("#nav-links").is_displayed(), timeout=5)
    finally:
        dash_duo.driver.set_window_size(1366, 900)


def test_no_page_scrolls_sideways_on_a_phone(dash_duo, app):
    """Every page fits a phone's width (wide tables scroll inside their own box)."""
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.start_server(app)
    try:
        for path, ready in (
            ("/", "#page-body h1"),
            ("/data", "#page-body h1"),
            ("/transfer-learning", "#tl-target-column"),
            ("/active-learning", "#page-body h1"),
            ("/about", "#page-body h1"),
        ):
            dash_duo.wait_for_page(url=dash_duo.server_url + path)
            dash_duo.wait_for_element(ready, timeout=20)
            time.sleep(1)  # the dropdowns' options arrive after the layout
            widths = "const d = document.documentElement; return [d.scrollWidth, d.clientWidth]"
            scroll, client = dash_duo.driver.execute_script(widths)
            assert scroll <= client, f"{path} is {scroll} px wide on a {client} px screen"
    finally:
        dash_duo.driver.set_window_size(1366, 900)


def test_the_session_secret_is_in_an_httponly_cookie_and_not_readable_by_the_page(dash_duo, app):
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#page-body h1", timeout=20)
    read = "return window.localStorage.getItem('session-id')"
    until(lambda: dash_duo.driver.execute_script(read), timeout=10)
    secret = sessions.token(
        app.server.config["SECRET_KEY"], json.loads(dash_duo.driver.execute_script(read))
    )
    cookie = dash_duo.driver.get_cookie(sessions.COOKIE)
    assert cookie["value"] == secret and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    storage = dash_duo.driver.execute_script("return JSON.stringify({...window.localStorage})")
    assert secret not in storage
    assert secret not in dash_duo.driver.execute_script("return document.cookie")
    assert secret not in dash_duo.driver.current_url

"""The About page in a browser: its table of datasets reads in full on a phone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

OUTSIDE = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll('#page-body td')]
  .filter((cell) => cell.getBoundingClientRect().right > width)
  .map((cell) => cell.textContent);
"""
"""The table cells that end beyond the right edge of the screen (cut, or behind a scroll)."""


def test_the_datasets_table_fits_a_phone_without_a_sideways_scroll(dash_duo, app, screenshot):
    dash_duo.driver.set_window_size(390, 844)
    dash_duo.start_server(app)
    try:
        dash_duo.wait_for_page(url=dash_duo.server_url + "/about")
        dash_duo.wait_for_contains_text("#page-body", "QM9", timeout=20)
        widths = "const d = document.documentElement; return [d.scrollWidth, d.clientWidth]"
        scroll, client = dash_duo.driver.execute_script(widths)
        assert scroll <= client, f"the page is {scroll} px wide on a {client} px screen"
        assert dash_duo.driver.execute_script(OUTSIDE) == []
        rows = dash_duo.find_element("#page-body tbody tr").text
        assert "Rows: 4,895" in rows and "Licence: package MIT" in rows  # each value named
        screenshot("about-phone")
    finally:
        dash_duo.driver.set_window_size(1366, 900)

"""axe-core on every page, light and dark: no critical or serious violation (issue 14).

axe-core is vendored (tests/browser/vendor/axe-core, MPL-2.0), so this runs without a network.
`scripts/audit_pages.py` runs the same check, and Lighthouse, against the real server.
"""

from __future__ import annotations

import dash
import pytest

from tests.browser import axe

pytestmark = pytest.mark.browser


def test_no_page_has_a_critical_or_serious_axe_violation_in_either_theme(dash_duo, app):
    dash_duo.start_server(app)
    found = {}
    for path in [page["path"] for page in dash.page_registry.values()]:
        dash_duo.wait_for_page(url=dash_duo.server_url + path)
        for theme in ("light", "dark"):
            axe.set_theme(dash_duo.driver, theme)
            dash_duo.wait_for_element("#page-body h1", timeout=20)
            dash_duo.wait_for_no_elements("._dash-loading", timeout=20)
            blocking = axe.blocking(axe.violations(dash_duo.driver))
            if blocking:
                found[f"{path} ({theme})"] = axe.describe(blocking)
    assert found == {}, "\n\n".join(f"{k}\n{v}" for k, v in found.items())

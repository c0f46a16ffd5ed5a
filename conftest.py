"""Shared pytest set-up: headless Debian Chromium for dash[testing] browser tests."""

from __future__ import annotations

import shutil

from selenium.webdriver.chrome.options import Options

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,900",
)


def pytest_setup_options() -> Options:
    """Chrome options dash[testing] uses for dash_duo (Debian's chromium, no network chatter)."""
    options = Options()
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    return options

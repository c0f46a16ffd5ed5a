"""Shared pytest set-up: headless Debian Chromium for dash[testing] browser tests, and a real
redis-server per test for Celery and the Redis state store."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from selenium.webdriver.chrome.options import Options

from dashboard.browser_bench import chrome_options


def pytest_setup_options() -> Options:
    """Chrome options dash[testing] uses for dash_duo: those of `bench browser` (Debian's
    chromium, no network chatter)."""
    return chrome_options()


@pytest.fixture
def redis_url(tmp_path):
    """A fresh redis-server on a free loopback port (no persistence) for the test; its URL."""
    from dashboard.loadtest import free_port

    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "redis-server is not installed: `make test` installs it (Debian package redis-server)"
        )
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)

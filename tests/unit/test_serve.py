"""`python -m dashboard serve` runs gunicorn that answers every page of the navbar."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("/", "/data", "/transfer-learning", "/active-learning", "/about")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.slow
def test_serve_answers_every_page_with_gunicorn(tmp_path):
    port = free_port()
    env = {**os.environ, "MI_STORAGE_DIR": str(tmp_path / "storage")}
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                get(f"http://127.0.0.1:{port}/")
                break
            except OSError:
                time.sleep(0.5)
        for path in PAGES:
            status, body = get(f"http://127.0.0.1:{port}{path}")
            assert status == 200 and b"dash_renderer" in body, path
        status, layout = get(f"http://127.0.0.1:{port}/_dash-layout")
        assert status == 200 and b"session-id" in layout
        cache = tmp_path / "storage" / "cache"
        deadline = time.time() + 60
        while not list(cache.glob("*-magpie-*.npz")) and time.time() < deadline:
            time.sleep(0.5)
        assert list(cache.glob("*-magpie-*.npz")), "the warm-up did not cache expt-gap's features"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert "Booting worker" in output, output[-2000:]


def test_help_lists_every_command():
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for command in ("serve", "worker", "datasets", "check", "campaign", "transfer", "bench"):
        assert command in result.stdout

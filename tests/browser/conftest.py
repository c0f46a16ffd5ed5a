"""Browser-test fixtures: a fresh app per test on its own storage folder, screenshots, and a real
redis-server with Celery workers for the background jobs on Celery."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(storage_dir=tmp_path / "storage", upload_max_mb=5.0)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def screenshot(dash_duo):
    """Save a PNG of the browser window under test-artifacts/ (git ignores it)."""

    def save(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        dash_duo.driver.save_screenshot(str(path))
        return path

    return save


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "redis-server is not installed: `make test` installs it (Debian package redis-server)"
        )
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
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


@pytest.fixture
def start_worker(redis_url, tmp_path) -> Callable[..., subprocess.Popen]:
    """Start `python -m dashboard worker` (one pool process) on the test's Redis and storage, with
    more MI_* variables from keyword arguments; each in its own process group, all of whose
    processes (an orphaned pool process too) are killed after the test."""
    started: list[subprocess.Popen] = []

    def start(**env: str) -> subprocess.Popen:
        environ = {
            **os.environ,
            "MI_REDIS_URL": redis_url,
            "MI_STORAGE_DIR": str(tmp_path / "storage"),
            **env,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard", "worker", "--concurrency=1", "--loglevel=WARNING"],
            cwd=ROOT,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def celery_worker(start_worker) -> subprocess.Popen:
    return start_worker()

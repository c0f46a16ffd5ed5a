"""Browser-test fixtures: a fresh app per test on its own storage folder, screenshots, and Celery
workers on the real redis-server of `redis_url` (../../conftest.py) for the jobs on Celery."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
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

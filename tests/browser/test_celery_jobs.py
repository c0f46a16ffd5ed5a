"""Background jobs on Celery: a real redis-server and worker on 127.0.0.1 run an upload job."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


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
def celery_worker(redis_url, tmp_path):
    env = {**os.environ, "MI_REDIS_URL": redis_url, "MI_STORAGE_DIR": str(tmp_path / "storage")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dashboard",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_celery_runs_the_upload_job(dash_duo, redis_url, celery_worker, tmp_path):
    settings = Settings(storage_dir=tmp_path / "storage", redis_url=redis_url)
    app = create_app(settings)
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=dash_duo.server_url + "/data")
    dash_duo.wait_for_element("#data-upload", timeout=20)
    csv = tmp_path / "gaps.csv"
    csv.write_text("formula,gap\nNaCl,8.5\nKBr,7.4\nMgO,7.8\nGaAs,1.42\nSi,1.12\n")
    dash_duo.find_element("#data-upload input[type=file]").send_keys(str(csv))
    dash_duo.wait_for_contains_text("#data-upload-message", "Added gaps.csv: 5 rows", timeout=60)
    assert celery_worker.poll() is None, "the Celery worker died"

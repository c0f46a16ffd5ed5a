"""Callback tests call page callback functions directly, against a fresh storage folder (and,
in modules marked `both_stores`, also against a fresh Redis state store)."""

from __future__ import annotations

import base64

import pytest

from dashboard import runtime
from dashboard.settings import Settings


def pytest_generate_tests(metafunc) -> None:
    """Modules marked `both_stores` run each test on the disk store and on the Redis store."""
    if metafunc.definition.get_closest_marker("both_stores") and "rt" in metafunc.fixturenames:
        metafunc.parametrize("state", ["disk", "redis"], indirect=True)


@pytest.fixture
def state(request) -> str:
    """Where sessions live: "disk" (MI_STORAGE_DIR) unless a test asks for "redis"."""
    return getattr(request, "param", "disk")


@pytest.fixture
def rt(tmp_path, state, request):
    """This process's runtime on an empty storage folder (upload limit 1 MB); with the Redis
    store, sessions live in a fresh redis-server instead (MI_STATE_URL)."""
    url = request.getfixturevalue("redis_url") if state == "redis" else ""
    settings = Settings(storage_dir=tmp_path / "storage", upload_max_mb=1.0, state_url=url)
    return runtime.configure(settings)


@pytest.fixture
def sid(rt) -> str:
    return rt.store.create()


def data_url(content: bytes, mime: str = "text/csv") -> str:
    """What dcc.Upload puts in `contents` for a file."""
    return f"data:{mime};base64," + base64.b64encode(content).decode()

"""Callback tests call page callback functions directly, against a fresh storage folder."""

from __future__ import annotations

import base64

import pytest

from dashboard import runtime
from dashboard.settings import Settings


@pytest.fixture
def rt(tmp_path):
    """This process's runtime on an empty storage folder (upload limit 1 MB)."""
    return runtime.configure(Settings(storage_dir=tmp_path / "storage", upload_max_mb=1.0))


@pytest.fixture
def sid(rt) -> str:
    return rt.store.create()


def data_url(content: bytes, mime: str = "text/csv") -> str:
    """What dcc.Upload puts in `contents` for a file."""
    return f"data:{mime};base64," + base64.b64encode(content).decode()

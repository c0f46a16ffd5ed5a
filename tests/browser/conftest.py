"""Browser-test fixtures: a fresh app per test on its own storage folder, and screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


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

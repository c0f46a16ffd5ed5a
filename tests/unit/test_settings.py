"""Settings come from MI_* environment variables with documented defaults."""

from pathlib import Path

import pytest

from dashboard.settings import Settings


def test_defaults_without_environment():
    settings = Settings.from_env({})
    assert settings.upload_max_mb == 50.0
    assert settings.upload_max_bytes == 50 * 1024 * 1024
    assert (settings.host, settings.port, settings.debug, settings.redis_url) == (
        "127.0.0.1",
        8050,
        False,
        "",
    )


def test_environment_overrides_each_type():
    settings = Settings.from_env(
        {
            "MI_PORT": "9001",
            "MI_DEBUG": "true",
            "MI_UPLOAD_MAX_MB": "2.5",
            "MI_STORAGE_DIR": "/tmp/x",
            "MI_REDIS_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert settings.port == 9001 and settings.debug is True and settings.upload_max_mb == 2.5
    assert settings.storage_dir == Path("/tmp/x") and settings.redis_url.startswith("redis://")


def test_a_bad_value_names_the_variable():
    with pytest.raises(ValueError, match="MI_PORT='eighty'"):
        Settings.from_env({"MI_PORT": "eighty"})


def test_readme_lists_every_setting():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name in Settings.__dataclass_fields__:
        assert f"MI_{name.upper()}" in readme

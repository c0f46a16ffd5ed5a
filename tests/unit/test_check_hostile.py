"""The hostile files of the parser's tests, through `python -m dashboard check FILE --json`."""

from __future__ import annotations

import json

import pytest

from dashboard.cli import main
from dashboard.engine.data.upload.limits import MB
from tests.unit.test_upload import LIMITS
from tests.unit.test_upload_malformed import CASES

CLI_CASES = [case for case in CASES if case[2] == LIMITS]


@pytest.fixture
def default_limits(monkeypatch):
    monkeypatch.setenv("MI_UPLOAD_MAX_MB", str(LIMITS.max_bytes / MB))
    monkeypatch.setenv("MI_UPLOAD_MAX_ROWS", str(LIMITS.max_rows))
    monkeypatch.setenv("MI_UPLOAD_MAX_COLUMNS", str(LIMITS.max_columns))


@pytest.mark.parametrize(
    ("filename", "build", "expected"),
    [(name, build, expected) for name, build, _limits, expected in CLI_CASES],
    ids=[f"{i:02d}-{c[3][:40]}" for i, c in enumerate(CLI_CASES)],
)
def test_hostile_file_through_check_exits_1_with_its_problem(
    filename, build, expected, tmp_path, capsys, default_limits
):
    path = tmp_path / filename
    path.write_bytes(build())
    assert main(["check", str(path), "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False
    assert any(expected in p["message"] for p in answer["problems"]), answer["problems"]
    assert list(tmp_path.iterdir()) == [path]


def test_hostile_check_covers_most_of_the_parsers_hostile_files():
    assert len(CLI_CASES) >= 40

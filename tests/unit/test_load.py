"""Load: concurrent sessions step campaigns through the HTTP callbacks of a real gunicorn server."""

from __future__ import annotations

import json

import pytest

from dashboard.loadtest import Client, figures, run_load, served

SESSIONS, STEPS = 5, 5


@pytest.mark.slow
def test_load_concurrent_sessions_each_end_with_exactly_their_own_steps(tmp_path):
    storage = tmp_path / "storage"
    with served(storage, workers=2) as base:
        reports = run_load(base, SESSIONS, STEPS)
    result = figures(reports)
    print(f"load (CI size): {result}")
    assert [r.errors for r in reports] == [[]] * SESSIONS
    assert result["steps"] == SESSIONS * STEPS
    sids = {r.sid for r in reports}
    assert len(sids) == SESSIONS
    for sid in sids:
        saved = json.loads((storage / "sessions" / sid / "campaigns" / "current.json").read_text())
        assert [record["step"] for record in saved["history"]] == list(range(STEPS + 1))


def test_load_client_refuses_any_host_but_localhost():
    with pytest.raises(ValueError, match="only sends traffic to 127.0.0.1"):
        Client("http://example.org:8050")

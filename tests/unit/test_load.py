"""Load: concurrent sessions step campaigns through the HTTP callbacks of a real gunicorn server."""

from __future__ import annotations

import json

import pytest

from dashboard.loadtest import Client, figures, run_load, served
from dashboard.server_timing import Phases, parse

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
    phases = result["median_phase_seconds"]
    assert list(phases) == ["load", "step", "save", "rest", "redraw"]  # from Server-Timing
    assert all(value >= 0 for key, value in phases.items() if key != "rest")
    sids = {r.sid for r in reports}
    assert len(sids) == SESSIONS
    for sid in sids:
        saved = json.loads((storage / "sessions" / sid / "campaigns" / "current.json").read_text())
        assert [record["step"] for record in saved["history"]] == list(range(STEPS + 1))


def test_load_client_refuses_any_host_but_localhost():
    with pytest.raises(ValueError, match="only sends traffic to 127.0.0.1"):
        Client("http://example.org:8050")


def test_server_timing_round_trips_and_ignores_what_it_cannot_read():
    timing = Phases()
    with timing.phase("load"):
        pass
    timing.seconds["step"] = 0.0801
    assert timing.header().endswith("step;dur=80.1")
    assert parse(timing.header())["step"] == pytest.approx(0.0801)
    assert parse('cache;desc="hit", db;dur=abc, save;dur=2') == {"save": 0.002}
    assert parse(None) == {}
    timing.send()  # outside a request: nothing to do, no error

"""Load: concurrent sessions step campaigns through the HTTP callbacks of a real gunicorn server."""

from __future__ import annotations

import json
from importlib.resources import files

import pandas as pd
import pytest

from dashboard.loadtest import QM9_CAMPAIGN, Client, figures, run_load, served
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
    assert list(phases) == ["load", "fit", "score", "save", "rest", "redraw"]  # Server-Timing
    assert all(value >= 0 for key, value in phases.items() if key != "rest")
    sids = {r.sid for r in reports}
    assert len(sids) == SESSIONS
    for sid in sids:
        saved = json.loads((storage / "sessions" / sid / "campaigns" / "current.json").read_text())
        assert [record["step"] for record in saved["history"]] == list(range(STEPS + 1))


@pytest.mark.slow
def test_an_upload_of_20000_real_molecules_starts_and_steps_through_the_server(tmp_path):
    """QM9 molecules from the qm9pack package (a test requirement), uploaded as on the Data page;
    fingerprints only (gp-tanimoto), so that the test takes seconds, not minutes."""
    source = files("qm9pack") / "data" / "qm9_part1.csv"
    frame = pd.read_csv(source, usecols=["Index", "SMILES", "LUMO_au"], nrows=20_000)
    upload = tmp_path / "qm9_20k.csv"
    columns = {"Index": "id", "SMILES": "smiles", "LUMO_au": "lumo"}
    frame.rename(columns=columns).to_csv(upload, index=False)
    settings = {**QM9_CAMPAIGN, "al-target": "lumo", "al-model": "gp-tanimoto"}
    storage = tmp_path / "storage"
    with served(storage, workers=1) as base:
        (report,) = run_load(base, 1, 2, settings, upload)
    assert report.errors == [] and report.steps == 2 and report.upload_seconds > 0
    saved = json.loads(
        (storage / "sessions" / report.sid / "campaigns" / "current.json").read_text()
    )
    assert len(saved["history"]) == 3 and saved["config"]["dataset_id"].startswith("upload:")
    assert saved["rows"] == 20_000


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


def test_a_phase_splits_in_place_into_two():
    timing = Phases()
    timing.seconds = {"load": 0.01, "step": 0.3, "save": 0.02}
    timing.split("step", "fit", 0.2, "score")
    assert list(timing.seconds) == ["load", "fit", "score", "save"]
    assert timing.seconds["fit"] == 0.2 and timing.seconds["score"] == pytest.approx(0.1)

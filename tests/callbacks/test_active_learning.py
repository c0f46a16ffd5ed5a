"""The Active Learning page's start job: progress while features are computed, then cached."""

from __future__ import annotations

import dash_bootstrap_components as dbc

from dashboard import campaigns
from dashboard.pages.active_learning import callbacks as al_page

CONTROLS = (
    "builtin:freesolv",
    "expt",
    "max",
    None,
    "simulated",
    "gp-tanimoto-rbf",
    "auto",
    None,
    20,
    5,
    0,
    "auto",
    "random",
)


def test_starting_reports_descriptor_progress_once_then_uses_the_cache(rt, sid):
    heard: list[tuple[int, str]] = []
    _state, message = al_page.start_campaign(heard.append, 1, sid, *CONTROLS)
    assert isinstance(message, dbc.Alert) and message.color == "success"
    descriptor_steps = [p for p in heard if "RDKit descriptors" in p[1]]
    assert len(descriptor_steps) >= 2
    percents = [p[0] for p in heard]
    assert percents == sorted(percents) and percents[-1] == 100
    assert "fitting the first model" in [p[1] for p in heard]
    saved = campaigns.saved(sid)
    assert saved["config"]["batch_method"] == "auto"
    assert campaigns.load(sid).batch_method == "believer"

    heard.clear()
    al_page.start_campaign(heard.append, 1, sid, *CONTROLS)
    assert not [p for p in heard if "RDKit descriptors" in p[1]]

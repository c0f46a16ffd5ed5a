"""Security: sessions cannot reach each other's data, names are generated, nothing is unpickled."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns, catalog
from dashboard.engine.active_learning.config import CampaignConfig
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import callbacks as data_page
from dashboard.store import SessionError
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV, text_of

pytestmark = pytest.mark.both_stores

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"


def test_security_a_session_cannot_load_another_sessions_upload(rt, sid):
    _, key = data_page.receive_upload(data_url(GOOD_CSV), "mine.csv", sid)
    intruder = rt.store.create()
    with pytest.raises(KeyError):
        catalog.load(intruder, catalog.UPLOAD + key)
    assert all("mine.csv" not in o["label"] for o in catalog.options(intruder))
    with pytest.raises(SessionError):
        catalog.load("A" * 32, catalog.UPLOAD + key)


def test_security_uploads_are_stored_under_generated_names_only(rt, sid):
    _, key = data_page.receive_upload(data_url(GOOD_CSV), "../../../etc/passwd.csv", sid)
    assert re.fullmatch(r"d[0-9a-f]{16}", key)
    stored = {
        p.relative_to(rt.store.root).parts[:2] for p in rt.store.root.rglob("*") if p.is_file()
    }
    assert stored <= {("sessions", sid)}
    assert not any("passwd" in p.name for p in rt.store.root.rglob("*"))


def test_security_html_in_cells_stays_text(rt, sid):
    csv = b"name,formula,gap\n<script>alert(1)</script>,NaCl,8.5\nb,KBr,7.4\nc,MgO,7.8\nd,GaAs,1.4\ne,Si,1.1\n"
    _, key = data_page.receive_upload(data_url(csv), "x.csv", sid)
    rows = data_page.grid_rows({"startRow": 0, "endRow": 10}, catalog.UPLOAD + key, sid)["rowData"]
    assert rows[0]["name"] == "<script>alert(1)</script>"  # data, shown by AG Grid as text


# The transfer engine's cache reloads models it trained itself from the server's own cache
# folder (never bytes a user sent): the one place a pickle-based format is read.
OWN_MODEL_CACHE = "engine/transfer/cache.py: return joblib.load(path)"


def test_security_no_unpickling_eval_or_raw_html_in_the_code():
    forbidden = re.compile(
        r"pickle\.loads?\(|\beval\(|\bexec\(|allow_pickle=True|dangerously_allow_html|"
        r"joblib\.load\("
    )
    hits = [
        f"{path.relative_to(PACKAGE)}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        for line in path.read_text().splitlines()
        if forbidden.search(line)
    ]
    assert hits == [OWN_MODEL_CACHE]


def test_security_a_campaign_file_cannot_reach_another_sessions_dataset(rt, sid):
    _, key = data_page.receive_upload(data_url(GOOD_CSV), "mine.csv", sid)
    config = CampaignConfig(
        dataset_id=catalog.UPLOAD + key, target="gap", initial_size=3, batch_size=1, model="rf"
    )
    campaigns.start(sid, config)
    stolen = json.dumps(campaigns.saved(sid)).encode()
    intruder = rt.store.create()
    context_value.set(
        AttributeDict(triggered_inputs=[{"prop_id": "al-import.contents", "value": 1}])
    )
    state, message = al_page.import_campaign(
        data_url(stolen, "application/json"), "c.json", intruder
    )
    assert state is al_page.no_update
    assert "cannot be loaded" in text_of(message) or "session" in text_of(message)
    assert campaigns.saved(intruder) is None

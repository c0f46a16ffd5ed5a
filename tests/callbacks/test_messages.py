"""The messages every page shows follow one rule: a success stays until the user dismisses it or
the next message replaces it (one that vanished after 4-5 s went unread by whoever looked away),
and an engine error, raised as a clause ("this session has no dataset 'gone'"), is shown as a
sentence on every page."""

from __future__ import annotations

import base64

import dash_bootstrap_components as dbc

from dashboard import catalog
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.data import callbacks as data_page
from dashboard.pages.transfer_learning import callbacks as tl_page
from tests.callbacks.test_active_learning import CONTROLS
from tests.callbacks.test_active_learning_suggestions import started, typed
from tests.callbacks.test_job_slots import in_callback

FREESOLV = catalog.BUILTIN + "freesolv"
GONE = catalog.UPLOAD + "gone"
GONE_SENTENCE = "This session has no dataset 'gone'."


def stays(message) -> bool:
    """A success alert that waits for its user: dismissable, with no time limit."""
    return (
        isinstance(message, dbc.Alert)
        and message.color == "success"
        and getattr(message, "dismissable", False) is True
        and getattr(message, "duration", None) is None
    )


def test_active_learning_start_and_import_messages_stay(rt, sid):
    _state, start = al_page.start_campaign(lambda _progress: None, 1, sid, *CONTROLS)
    document = al_page.export_campaign(1, sid)["content"]
    url = "data:application/json;base64," + base64.b64encode(document.encode()).decode()
    _state, imported = al_page.import_campaign(url, "campaign.json", sid)
    assert stays(start) and stays(imported)


def test_active_learning_values_taken_in_message_stays(rt, sid):
    started(sid)
    _state, message = al_page.enter_measurements(1, typed(sid, "42.5"), sid)
    assert message.children == "1 value taken in." and stays(message)


def test_transfer_learning_trained_message_stays(rt, sid):
    in_callback(sid)
    _state, message = tl_page.train(
        lambda _p: None, 1, sid, FREESOLV, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, []
    )
    assert message.children.startswith("Trained in") and stays(message)


def test_data_roles_saved_message_stays(rt, sid):
    message, _notes, _refresh = data_page.apply_role_edits(
        1, ["smiles"], "smiles", [], ["calc"], ["expt"], "name", FREESOLV, sid
    )
    assert message.children.startswith("Roles saved") and stays(message)


def test_transfer_learning_shows_an_engine_error_as_a_sentence(rt, sid):
    in_callback(sid)
    _state, message = tl_page.train(
        lambda _p: None, 1, sid, GONE, "calc", FREESOLV, "expt", "lv", "et-median", 0.1, []
    )
    assert message.color == "danger" and message.children == GONE_SENTENCE


def test_data_page_shows_engine_errors_as_sentences(rt, sid):
    headline = data_page.show_dataset(GONE, sid)[0]
    roles, _notes, _refresh = data_page.apply_role_edits(
        1, [], "none", [], [], ["expt"], None, GONE, sid
    )
    assert headline.children == GONE_SENTENCE and roles.children == GONE_SENTENCE

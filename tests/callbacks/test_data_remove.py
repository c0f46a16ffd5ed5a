"""Removing an upload from the session: asked first, then said in place of older messages."""

from __future__ import annotations

import pytest

from dashboard import catalog
from dashboard.pages.data import callbacks as page
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import GOOD_CSV, text_of

pytestmark = pytest.mark.both_stores


def test_remove_asks_first_and_names_the_dataset(rt, sid):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    shown, question = page.ask_to_remove(1, catalog.UPLOAD + key, sid)
    assert shown is True
    assert question.startswith("Remove gaps.csv from your session?")
    assert rt.store.list_datasets(sid) != []  # nothing is deleted before the answer


def test_a_built_in_is_not_offered_for_removal(rt, sid):
    assert page.ask_to_remove(1, catalog.BUILTIN + "expt-gap", sid) == (False, page.no_update)


def test_a_confirmed_removal_says_so_in_the_upload_message(rt, sid):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    refresh, message = page.remove(1, catalog.UPLOAD + key, sid)
    assert text_of(message) == "Removed gaps.csv from your session."
    assert refresh["select"] == page.DEFAULT_KEY
    assert rt.store.list_datasets(sid) == []


def test_removing_another_sessions_dataset_does_nothing(rt, sid):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    other = rt.store.create()
    assert page.remove(1, catalog.UPLOAD + key, other) == (page.no_update, page.no_update)
    assert len(rt.store.list_datasets(sid)) == 1

"""The Data page's sheet picker: a workbook of several sheets offers the others; one is read
from the upload's kept bytes and added as a dataset of its own, a sheet without a table is
reported with nothing changed, and going back to a sheet read before selects that dataset."""

from __future__ import annotations

import base64

import pytest
from dash import no_update

from dashboard.pages.data import callbacks as data_callbacks
from dashboard.pages.data.sheets import HIDDEN, SHOWN, read_sheet, sheet_choices, sheet_request
from dashboard.pages.data.upload import receive_upload
from tests.callbacks.test_data_page import text_of
from tests.unit.test_upload import GAPS, xlsx_bytes

pytestmark = pytest.mark.both_stores

ROUND2 = [("sample", "temperature", "yield"), *((f"S{i}", 40 + 5 * i, 10 + i) for i in range(8))]
WORKBOOK = xlsx_bytes(
    {
        "gaps": [("formula", "gap (eV)"), *GAPS],
        "round 2": ROUND2,
        "notes": [("written by",), ("the lab",)],
    }
)


def upload_workbook(sid: str, content: bytes = WORKBOOK) -> str:
    url = "data:application/octet-stream;base64," + base64.b64encode(content).decode()
    message, key = receive_upload(url, "campaign.xlsx", sid)
    assert key is not None, text_of(message)
    return "upload:" + key


def test_a_workbook_offers_its_sheets_and_another_one_becomes_a_dataset(rt, sid):
    first = upload_workbook(sid)
    options, value, style = sheet_choices(first, sid)
    assert [o["value"] for o in options] == ["gaps", "round 2", "notes"]
    assert value == "gaps" and style == SHOWN

    message, refresh = read_sheet("round 2", first, sid)
    assert "Added sheet 'round 2' of campaign.xlsx: 8 rows." in text_of(message)
    second = refresh["select"]
    assert second != first and len(rt.store.list_datasets(sid)) == 2
    item = rt.store.dataset_meta(sid, second.removeprefix("upload:"))
    assert item["sheet"] == "round 2" and item["title"].endswith("(round 2)")
    assert item["target_columns"] == ["yield"] and item["id_column"] == "sample"
    assert sheet_choices(second, sid)[1] == "round 2"  # the picker shows the dataset's sheet

    assert read_sheet("round 2", second, sid) == (no_update, no_update)  # its own sheet
    message, refresh = read_sheet("gaps", second, sid)  # back: the first dataset, not a copy
    assert message is no_update and refresh["select"] == first
    assert len(rt.store.list_datasets(sid)) == 2


def test_a_sheet_without_a_table_is_reported_and_nothing_changes(rt, sid):
    first = upload_workbook(sid)
    message, refresh = read_sheet("notes", first, sid)
    assert "The sheet 'notes' of campaign.xlsx was not added" in text_of(message)
    assert refresh is no_update and len(rt.store.list_datasets(sid)) == 1


def test_the_page_job_reports_its_progress_and_adds_the_sheet(rt, sid):
    first = upload_workbook(sid)
    progress = []
    assert sheet_request("gaps", first, sid) is no_update  # the picker showing its own sheet
    request = sheet_request("round 2", first, sid)
    assert request["sheet"] == "round 2" and request["key"] == first
    message, refresh = data_callbacks.sheet_job(progress.append, request, sid)
    assert progress[0] == (10, "reading the sheet 'round 2'") and progress[-1][0] == 100
    assert "8 rows" in text_of(message) and refresh["select"].startswith("upload:")


def test_no_picker_for_a_workbook_of_one_sheet_a_csv_or_a_built_in(rt, sid, monkeypatch):
    single = upload_workbook(sid, xlsx_bytes({"gaps": [("formula", "gap (eV)"), *GAPS]}))
    assert sheet_choices(single, sid) == ([], None, HIDDEN)
    url = (
        "data:text/csv;base64,"
        + base64.b64encode(b"formula,gap\nNaCl,8.5\nKCl,8.4\nMgO,7.8\nSi,1.1\nZnO,3.4\n").decode()
    )
    _message, key = receive_upload(url, "gaps.csv", sid)

    def unread(*_args):
        raise AssertionError("a CSV upload's bytes were read to look for sheets")

    monkeypatch.setattr(type(rt.store), "load_original", unread)
    assert sheet_choices("upload:" + key, sid) == ([], None, HIDDEN)
    assert sheet_choices("builtin:expt-gap", sid) == ([], None, HIDDEN)
    assert read_sheet("gaps", "builtin:expt-gap", sid) == (no_update, no_update)

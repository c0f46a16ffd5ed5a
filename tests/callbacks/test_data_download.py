"""Download CSV on the Data page: named after the dataset, integers as integers, floats to the
last digit, and it says which rows it holds."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard import catalog
from dashboard.pages.data import callbacks as page
from dashboard.pages.data.sheets import read_sheet
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_sheets import upload_workbook

pytestmark = pytest.mark.both_stores

TRACE_CSV = (
    "new_index,base,solvent,temperature,yield,cost\n"
    "0,KOAc,DMAc,105,5.47,0.14577548199999998\n"
    "1,KOAc,DMF,120,0.0,0.04320091\n"
    "2,CsOAc,DMAc,105,trace,0.269139791\n"
    "3,CsOAc,DMF,120,12.83,0.032180612\n"
    "4,KOPiv,DMAc,105,n.d.,0.026372917\n"
    "5,KOPiv,DMF,120,77.41,0.03361798\n"
    "6,KOAc,DMAc,120,28.15,0.0346\n"
    "7,CsOAc,DMF,105,62.82,0.0803\n"
)


def rows_of(sent: dict) -> list[list[str]]:
    return list(csv.reader(io.StringIO(sent["content"], newline="")))


def upload_trace(sid) -> str:
    _, key = page.receive_upload(data_url(TRACE_CSV.encode()), "yield_trace_nd.csv", sid)
    assert key is not None
    return catalog.UPLOAD + key


def test_the_download_is_named_after_the_uploaded_file(rt, sid):
    sent = page.download(1, upload_trace(sid), sid)
    assert sent["filename"] == "yield_trace_nd-checked.csv"


def test_a_built_in_is_named_by_its_id(rt, sid):
    assert page.download(1, catalog.BUILTIN + "expt-gap", sid)["filename"] == "expt-gap.csv"


def test_another_sheet_of_a_workbook_is_named_with_its_sheet(rt, sid):
    first = upload_workbook(sid)
    assert page.download(1, first, sid)["filename"] == "campaign-checked.csv"
    _, refresh = read_sheet("round 2", first, sid)
    sent = page.download(1, refresh["select"], sid)
    assert sent["filename"] == "campaign-round 2-checked.csv"


def test_whole_numbers_are_written_as_integers_and_other_numbers_in_full(rt, sid):
    rows = rows_of(page.download(1, upload_trace(sid), sid))
    assert rows[0] == ["new_index", "base", "solvent", "temperature", "yield", "cost"]
    assert rows[1] == ["0", "KOAc", "DMAc", "105", "5.47", "0.14577548199999998"]
    assert rows[2] == ["1", "KOAc", "DMF", "120", "0.0", "0.04320091"]


def test_the_download_holds_the_rows_in_use_and_the_page_says_so(rt, sid):
    key = upload_trace(sid)
    rows = rows_of(page.download(1, key, sid))
    assert [r[0] for r in rows[1:]] == ["0", "1", "3", "5", "6", "7"]  # 'trace', 'n.d.' left out
    note = page.show_dataset(key, sid)[5]
    assert note == (
        "The CSV holds the 6 rows in use; the 2 of the file's 8 that were left out (see the "
        "notes) are not in it."
    )


def test_a_built_in_s_note_says_the_download_is_the_table(rt, sid):
    note = page.show_dataset(catalog.BUILTIN + "expt-gap", sid)[5]
    assert note == "The CSV holds the 4,895 rows of the table."


def test_the_download_still_neutralises_formulas_in_integer_tables(rt, sid):
    text = "name,formula,n\n=cmd(1),NaCl,1\nb,KBr,2\nc,MgO,3\nd,GaAs,4\ne,Si,5\n"
    _, key = page.receive_upload(data_url(text.encode()), "f.csv", sid)
    rows = rows_of(page.download(1, catalog.UPLOAD + key, sid))
    assert rows[1] == ["'=cmd(1)", "NaCl", "1"]

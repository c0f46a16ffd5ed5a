"""The Active Learning page's 'Download campaign file': the uploaded file written back as it came,
with the values entered on the page and the next batch marked, on both state stores."""

from __future__ import annotations

import base64

import dash_bootstrap_components as dbc
import pytest
from dash import no_update

from dashboard import campaigns
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.active_learning import campaign_file, suggestions
from dashboard.pages.data import callbacks as data_page
from dashboard.pages.data.upload import receive_upload
from tests.callbacks.test_data_page import text_of

pytestmark = pytest.mark.both_stores

ROUND1 = "run;catalyst;temperature;yield\n" + "".join(
    f"{i};{'AB'[i % 2]};{'rt' if i == 4 else 40 + 5 * i};"
    f"{f'{20 + i},5' if i in (1, 2, 3, 6, 9) else 'PENDING'}\n"
    for i in range(1, 25)
)
"""A campaign file as a lab writes it: semicolons, decimal commas, a bad cell (row 4)."""


def upload(sid: str, text: str, name: str = "round1.csv") -> str:
    url = "data:text/csv;base64," + base64.b64encode(text.encode()).decode()
    _message, key = receive_upload(url, name, sid)
    assert key is not None, _message
    return "upload:" + key


def start_real_campaign(sid: str, key: str) -> None:
    controls = (key, "yield", "max", None, "real", "rf", "auto", None, 5, 3, 0, "auto", "random")
    _state, message = al_page.start_campaign(lambda _p: None, 1, sid, *controls)
    assert isinstance(message, dbc.Alert) and message.color == "success", message


def test_the_campaign_file_goes_back_as_it_came_with_the_values_entered(rt, sid):
    start_real_campaign(sid, upload(sid, ROUND1))
    view = campaigns.view(sid)
    picks = view.history[-1]["picks"]
    shown = suggestions.table(view, sid, [])  # the picks name their row in the file too
    dataset_rows = [r for r in range(1, 25) if r != 4]  # the file's data rows, in dataset order
    assert shown[suggestions.FILE_ROW].tolist() == [dataset_rows[r] for r in shown["row"]]
    rows = [{"row": row, "measured": 50.0 + i / 2} for i, row in enumerate(picks[:2])]
    al_page.enter_measurements(1, rows, sid)
    download, message = campaign_file.download(1, sid)
    assert message is no_update and download["filename"] == "round1-next.csv"
    assert download["base64"]  # bytes in the upload's own encoding
    lines = base64.b64decode(download["content"]).decode().split("\n")
    original = ROUND1.split("\n")
    assert len(lines) == len(original)  # every row, the bad one too
    assert lines[0] == "run;catalyst;temperature;yield;priority"
    assert lines[4] == original[4] + ";"  # 'rt': left out by the check, kept as written
    assert lines[1] == original[1] + ";-1"  # measured in the file: its text unchanged
    for i, row in enumerate(picks[:2]):
        number = dataset_rows[row]
        cells = lines[number].split(";")
        assert cells[3] == ("50", "50,5")[i] and cells[4] == "-1"  # as the file writes numbers
        assert lines[number].rsplit(";", 2)[0] == original[number].rsplit(";", 1)[0]
    marked = [line for line in lines[1:] if line.endswith(";1")]
    assert len(marked) == 3 and all(";PENDING;" in line for line in marked)


def test_a_campaign_on_a_built_in_dataset_says_what_to_download_instead(rt, sid):
    controls = (
        "builtin:freesolv", "expt", "max", None, "simulated", "rf", "auto", None, 10, 5, 0,
        "auto", "random",
    )  # fmt: skip
    al_page.start_campaign(lambda _p: None, 1, sid, *controls)
    download, message = campaign_file.download(1, sid)
    assert download is no_update and "Download the suggestions instead" in str(message)


def test_a_fresh_campaign_file_with_an_empty_target_shows_and_starts_from_a_design(rt, sid):
    """The common start: every candidate a row, the yield column still blank."""
    key = upload(sid, "T,eq,yield\n" + "".join(f"{40 + 5 * i},{i % 2}," + "\n" for i in range(12)))
    outputs = data_page.show_dataset(key, sid)
    assert "12 rows" in text_of(outputs[0])
    assert outputs[-3] == ["yield"]  # the target, though nothing is measured yet
    start_real_campaign(sid, key)
    view = campaigns.view(sid)
    assert view.history[0]["added"] == [] and len(view.history[-1]["picks"]) == 3
    download, _message = campaign_file.download(1, sid)
    lines = base64.b64decode(download["content"]).decode().split("\n")
    assert lines[0] == "T,eq,yield,priority" and sum(line.endswith(",1") for line in lines) == 3


def test_a_campaign_file_whose_results_are_all_one_value_starts_on_the_page(rt, sid):
    """Two failed reactions so far: a campaign to go on with, not a constant target."""
    rows = "".join(f"{40 + 5 * i},{i % 2},{0 if i < 2 else 'PENDING'}\n" for i in range(12))
    key = upload(sid, "T,eq,yield\n" + rows)
    start_real_campaign(sid, key)
    view = campaigns.view(sid)
    assert sorted(view.history[0]["values"]) == [0.0, 0.0]
    picks = view.history[-1]["picks"]
    assert len(picks) == 3 and not set(picks) & set(view.history[0]["added"])

"""The Active Learning page's "Next to measure" table in real mode: each pick's inputs (what to
run), its row in the file explained, and the values typed into it, on both state stores."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import campaigns
from dashboard.pages.active_learning import callbacks as al_page
from dashboard.pages.active_learning import render, suggestions
from dashboard.pages.active_learning.layout import ACTIONS
from dashboard.pages.data import roles
from tests.callbacks.test_campaign_file_download import start_real_campaign, upload
from tests.callbacks.test_data_page import text_of

pytestmark = pytest.mark.both_stores

LIGANDS = {"L1": (-0.21, 7.4), "L2": (-0.25, 6.1), "L3": (-0.19, 8.8), "L4": (-0.23, 5.2)}
EDBO_LIKE = "Ligand,Solvent,Concentration,HOMO,Dipole,yield\n" + "".join(
    f"{ligand},{solvent},{concentration},{homo},{dipole},"
    f"{30 + 7 * i + 3 * j if (i + j) % 5 == 0 else 'PENDING'}\n"
    for i, (ligand, (homo, dipole)) in enumerate(LIGANDS.items())
    for j, (solvent, concentration) in enumerate(
        (s, c) for s in ("MeCN", "DMF", "THF") for c in (0.05, 0.1)
    )
)
"""An EDBO+-style campaign file: a ligand with its descriptors, a solvent and a concentration."""
LOADINGS = [round(0.1 + i / 7, 15) for i in range(12)]
WHOLE_AND_FINE = "Ligand,Temperature,Loading,yield\n" + "".join(
    f"L{i % 3},{221 + 5 * i},{loading!r},{40 + i if i % 4 == 0 else 'PENDING'}\n"
    for i, loading in enumerate(LOADINGS)
)
"""Whole-number temperatures (221, not 221.0) and loadings to the last digit."""


def started(sid) -> campaigns.View:
    start_real_campaign(sid, upload(sid, EDBO_LIKE, "edbo_like.csv"))
    return campaigns.view(sid)


def test_the_table_names_what_to_run_and_the_csv_adds_the_ligands_descriptors(rt, sid):
    view = started(sid)
    rows, columns, text = suggestions.panel(view, sid)
    shown = [c["field"] for c in columns if not c.get("hide")]
    assert shown == [
        "row in file", "Ligand", "Solvent", "Concentration", "predicted", "sigma", "score",
        "measured",
    ]  # fmt: skip
    assert {r["Ligand"] for r in rows} <= set(LIGANDS)
    assert {r["Solvent"] for r in rows} <= {"MeCN", "DMF", "THF"}
    assert "adds 2 descriptors" in text
    download = suggestions.download(1, sid)
    csv = pd.read_csv(io.StringIO(download["content"]))
    assert list(csv.columns)[2:7] == ["Ligand", "Solvent", "Concentration", "HOMO", "Dipole"]
    assert all(csv["HOMO"] == [LIGANDS[ligand][0] for ligand in csv["Ligand"]])


def rendered(sid, monkeypatch) -> dict:
    """The page's render of the session's campaign after a change of it: {output id: value}."""
    monkeypatch.setattr(render.dash, "ctx", type("Ctx", (), {"triggered_id": "al-state"}))
    names = [f"{o.component_id}.{o.component_property}" for o in render.OUTPUTS]
    return dict(zip(names, render.render({"redraw": "full"}, None, "mean", sid), strict=True))


def test_a_render_finds_the_inputs_beside_the_picks_once(rt, sid, monkeypatch):
    """`pick_inputs` compares every label with every setting; the table and the text above it
    used to find them each."""
    started(sid)
    found = []
    monkeypatch.setattr(
        suggestions,
        "pick_inputs",
        lambda dataset, real=suggestions.pick_inputs: found.append(0) or real(dataset),
    )
    assert "adds 2 descriptors" in rendered(sid, monkeypatch)["al-suggestions-help.children"]
    assert len(found) == 1


def test_the_csv_writes_whole_numbers_as_integers_and_other_numbers_in_full(rt, sid):
    start_real_campaign(sid, upload(sid, WHOLE_AND_FINE, "whole_and_fine.csv"))
    text = suggestions.download(1, sid)["content"]
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    temperatures = [row[header.index("Temperature")] for row in rows]
    loadings = [row[header.index("Loading")] for row in rows]
    assert rows and all(t.isdigit() and 221 <= int(t) <= 276 for t in temperatures)
    assert set(loadings) <= {repr(loading) for loading in LOADINGS}


def test_a_pick_without_its_id_has_an_empty_cell_in_the_table_and_the_csv(rt, sid):
    """Not <NA> (the missing value of a column of whole numbers): as `suggest` prints it."""
    text = "run,temperature,yield\n" + "".join(
        f"{'' if i == 7 else i},{200 + 5 * i},{40 + i if i < 7 else 'PENDING'}\n" for i in range(10)
    )
    key = upload(sid, text, "runs.csv")
    message, _notes, _refresh = roles.apply_role_edits(
        1, [], "none", [], ["temperature"], ["yield"], "run", key, sid
    )
    assert "Roles saved" in text_of(message)
    start_real_campaign(sid, key)  # a batch of 3: every candidate
    rows, _columns, _text = suggestions.panel(campaigns.view(sid), sid)
    assert next(row for row in rows if row["row"] == 7)["run"] is None  # shown empty
    written = csv.DictReader(io.StringIO(suggestions.download(1, sid)["content"], newline=""))
    assert sorted(row["run"] for row in written) == ["", "8", "9"]


def test_the_row_in_file_says_a_spreadsheet_shows_it_one_lower(rt, sid):
    _rows, columns, _text = suggestions.panel(started(sid), sid)
    row = next(c for c in columns if c["field"] == suggestions.FILE_ROW)
    assert "first row under the column names" in row["headerTooltip"]
    assert "N + 1" in row["headerTooltip"]


def typed(sid, *values: str) -> list[dict]:
    """The table's rows with `values` typed into the first ones, as the grid sends them."""
    rows, _columns, _text = suggestions.panel(campaigns.view(sid), sid)
    for row, value in zip(rows, values, strict=False):
        row["measured"] = value
    return rows


def test_a_decimal_comma_is_refused_with_its_fix_and_nothing_is_entered(rt, sid):
    started(sid)
    rows = typed(sid, "42.5", "13,2")
    state, message = al_page.enter_measurements(1, rows, sid)
    assert state is no_update and message.color == "danger"
    assert message.children.startswith(f"Row {rows[1]['row in file']} in the file: yield '13,2'")
    assert "write it as 13.2." in message.children
    assert campaigns.view(sid).steps == 0


def test_text_that_is_not_a_number_is_refused_naming_its_row(rt, sid):
    started(sid)
    rows = typed(sid, "n.d.")
    _state, message = al_page.enter_measurements(1, rows, sid)
    assert f"Row {rows[0]['row in file']} in the file: yield 'n.d.' is not a number" in (
        message.children
    )
    assert campaigns.view(sid).steps == 0


def test_values_typed_as_text_are_entered_as_numbers(rt, sid):
    started(sid)
    rows = typed(sid, " 42.5", "", "7")
    _state, message = al_page.enter_measurements(1, rows, sid)
    assert message.children == "2 values taken in."
    record = campaigns.view(sid).history[1]
    assert sorted(record["values"]) == [7.0, 42.5]


def test_in_real_mode_only_the_table_steps_and_step_run_play_wait_for_it(rt, sid, monkeypatch):
    started(sid)
    answer = rendered(sid, monkeypatch)
    disabled = {name: answer[f"{name}.disabled"] for name in ACTIONS}
    assert disabled == {
        "al-step": True, "al-run": True, "al-play": True,
        "al-back": False, "al-reset": False, "al-export": False,
    }  # fmt: skip
    assert answer["al-summary.children"].endswith("press 'Enter these values and step'.")


def test_messages_of_the_page_are_sentences(rt, sid):
    started(sid)
    _state, message = al_page.enter_measurements(1, typed(sid), sid)
    assert message.children == "Type a measured value in the column 'measured' first."
    context_value.set(AttributeDict(triggered_inputs=[{"prop_id": "al-back.n_clicks"}]))
    _state, message = al_page.act(None, 1, None, None, sid)
    assert message.children == "Already at step 0: there is no step to take back."

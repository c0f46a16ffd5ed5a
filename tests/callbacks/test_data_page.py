"""Data page callbacks: uploads are stored only when usable, roles can be edited, rows are paged."""

from __future__ import annotations

from pathlib import Path

import dash_bootstrap_components as dbc
import pytest
from dash._callback_context import context_value
from dash._utils import AttributeDict

from dashboard import catalog
from dashboard.pages.data import callbacks as page
from tests.callbacks.conftest import data_url

pytestmark = pytest.mark.both_stores

GOOD_CSV = b"formula,gap\nNaCl,8.5\nKBr,7.4\nMgO,7.8\nGaAs,1.42\nSi,1.12\nFe2O3,2.2\n"


def text_of(component) -> str:
    """All text inside a Dash component tree."""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else text_of(children)


def test_a_good_upload_is_stored_and_announced(rt, sid):
    message, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    assert key is not None
    assert "Added gaps.csv: 6 rows" in text_of(message)
    stored = rt.store.load_dataset(sid, key)
    assert stored.structure_column == "formula" and stored.target_columns == ["gap"]


def test_a_bad_upload_lists_problems_and_keeps_earlier_data(rt, sid):
    _, first = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    before = rt.store.list_datasets(sid)
    message, key = page.receive_upload(data_url(b"<html><body>hi</body></html>"), "page.csv", sid)
    assert key is None
    assert isinstance(message, dbc.Alert) and message.color == "danger"
    assert "page.csv was not added" in text_of(message)
    assert rt.store.list_datasets(sid) == before
    assert rt.store.load_dataset(sid, first).rows == 6


def test_an_oversized_upload_is_refused_and_nothing_is_stored(rt, sid):
    big = b"formula,gap\n" + b"NaCl,8.5\n" * 200_000  # 1.8 MB, over the 1 MB limit of the fixture
    message, key = page.receive_upload(data_url(big), "big.csv", sid)
    assert key is None
    assert "MB" in text_of(message)
    assert rt.store.list_datasets(sid) == []


def test_a_forged_session_gets_a_message_not_a_trace(rt):
    message, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", "A" * 32)
    assert key is None and "reload the page" in text_of(message)


def test_a_damaged_upload_is_explained(rt, sid):
    message, key = page.receive_upload("data:text/csv;base64,@@not-base64@@", "x.csv", sid)
    assert key is None and "damaged" in text_of(message)


def test_path_like_file_names_are_only_shown_by_their_base_name(rt, sid):
    message, key = page.receive_upload(data_url(GOOD_CSV), "../../etc/gaps.csv", sid)
    assert "Added gaps.csv" in text_of(message)
    assert key.startswith("d") and "/" not in key


def test_grid_rows_pages_and_sorts_without_sending_the_whole_table(rt, sid):
    request = {"startRow": 0, "endRow": 100, "sortModel": [{"colId": "gap", "sort": "desc"}]}
    response = page.grid_rows(request, catalog.BUILTIN + "expt-gap", sid)
    assert response["rowCount"] == 4895
    assert len(response["rowData"]) == 100
    gaps = [row["gap"] for row in response["rowData"]]
    assert gaps == sorted(gaps, reverse=True)


def test_grid_rows_of_another_sessions_dataset_are_empty(rt, sid):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    other = rt.store.create()
    response = page.grid_rows({"startRow": 0, "endRow": 10}, catalog.UPLOAD + key, other)
    assert response == {"rowData": [], "rowCount": 0}


def test_show_dataset_fills_headline_grid_and_roles(rt, sid):
    outputs = page.show_dataset(catalog.BUILTIN + "expt-gap", sid)
    headline, _description, grid, summary, remove_disabled = outputs[:5]
    assert "4,895 rows" in text_of(headline)
    assert grid.rowModelType == "infinite"
    assert len(summary) == 3  # missing values, the gap histogram, element frequency
    assert remove_disabled is True
    roles = outputs[-7:-1]  # structures, kind, categorical, numeric inputs, targets, id
    assert roles == (["formula"], "composition", [], [], ["gap"], None)
    assert outputs[-1] is None  # no notes on a built-in


@pytest.fixture
def triggered_by():
    def set_trigger(prop_id: str):
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop_id, "value": 1}]))

    return set_trigger


def test_a_new_upload_is_selected_in_the_picker(rt, sid, triggered_by):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    triggered_by("data-refresh.data")
    options, value = page.refresh_picker(
        sid, {"select": catalog.UPLOAD + key}, catalog.BUILTIN + "qm9"
    )
    assert value == catalog.UPLOAD + key
    assert any("gaps.csv (6 rows, yours)" in option["label"] for option in options)


def test_role_edits_are_checked_and_saved(rt, sid):
    csv = b"formula,gap,density\nNaCl,8.5,2.2\nKBr,7.4,2.7\nMgO,7.8,3.6\nGaAs,,5.3\nSi,1.12,2.3\nZnO,3.3,5.6\n"
    _, key = page.receive_upload(data_url(csv), "two.csv", sid)
    upload_key = catalog.UPLOAD + key
    assert rt.store.load_dataset(sid, key).rows == 6  # GaAs has no gap yet: a candidate
    message, _notes, refresh = page.apply_role_edits(
        1, ["formula"], "composition", [], [], ["formula"], None, upload_key, sid
    )
    assert refresh is page.no_update
    assert "These roles do not work" in text_of(message)
    stored = rt.store.load_dataset(sid, key)
    assert stored.target_columns == ["gap"] and stored.feature_columns == ["density"]
    message, _notes, refresh = page.apply_role_edits(
        1, ["formula"], "composition", [], [], ["density"], None, upload_key, sid
    )
    assert "Roles saved: 6 rows used" in text_of(message)
    edited = rt.store.load_dataset(sid, key)
    assert edited.target_columns == ["density"] and edited.rows == 6  # GaAs is back


def test_role_edits_of_a_built_in_make_a_copy_in_the_session(rt, sid):
    message, _notes, refresh = page.apply_role_edits(
        1, ["smiles"], "smiles", [], ["calc"], ["expt"], "name", catalog.BUILTIN + "freesolv", sid
    )
    assert "Roles saved" in text_of(message)
    (item,) = rt.store.list_datasets(sid)
    assert item["title"].endswith("(your roles)") and item["feature_columns"] == ["calc"]
    assert refresh["select"] == catalog.UPLOAD + item["key"]


ARYLATION = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "external"
    / "edbo"
    / "direct_arylation_names.csv"
)
REACTION_INPUTS = (["base", "ligand", "solvent"], ["concentration", "temperature"])


@pytest.fixture
def arylation(rt, sid) -> str:
    """The direct arylation reactions (1,728 rows: base, ligand, solvent, concentration,
    temperature, yield, cost), uploaded into the session; its dataset key."""
    if not ARYLATION.is_file():
        pytest.skip(f"needs {ARYLATION} (the shared reaction data)")
    _, key = page.receive_upload(data_url(ARYLATION.read_bytes()), ARYLATION.name, sid)
    assert key is not None
    return key


def test_reaction_components_are_edited_as_categorical_inputs(rt, sid, arylation):
    categorical, numeric = REACTION_INPUTS
    message, notes, refresh = page.apply_role_edits(
        1, [], "none", categorical, numeric, ["yield"], "new_index", catalog.UPLOAD + arylation, sid
    )
    assert "Roles saved: 1,728 rows used" in text_of(message)
    assert refresh["select"] == catalog.UPLOAD + arylation
    assert "Notes on these roles:" in text_of(notes)
    assert "Column 'cost' is not used: no role was given to it" in text_of(notes)
    stored = rt.store.load_dataset(sid, arylation)
    assert stored.structure_columns == [] and stored.structure_kind == "none"
    assert stored.categorical_columns == categorical
    assert stored.feature_columns == numeric
    assert stored.target_columns == ["yield"] and stored.id_column == "new_index"
    assert [p.kind for p in stored.parameters] == ["categorical"] * 3 + ["numeric"] * 2


def test_a_column_chosen_as_input_and_target_is_refused_and_nothing_changes(rt, sid, arylation):
    before = rt.store.list_datasets(sid)
    categorical, numeric = REACTION_INPUTS
    message, notes, refresh = page.apply_role_edits(
        1,
        [],
        "none",
        categorical,
        [*numeric, "yield"],
        ["yield"],
        "new_index",
        catalog.UPLOAD + arylation,
        sid,
    )
    assert isinstance(message, dbc.Alert) and message.color == "danger"
    assert "These roles do not work:" in text_of(message)
    assert "Column 'yield' is given more than one role" in text_of(message)
    assert notes is page.no_update and refresh is page.no_update
    assert rt.store.list_datasets(sid) == before


def test_showing_an_upload_fills_the_design_space_and_its_notes(rt, sid):
    csv = b"formula,solvent,priority,gap\n" + b"".join(
        f"{f},{s},{i},{g}\n".encode()
        for i, (f, s, g) in enumerate(
            [("NaCl", "water", 8.5), ("KBr", "water", 7.4), ("MgO", "THF", 7.8)]
            + [("GaAs", "THF", 1.42), ("Si", "water", 1.12), ("ZnO", "THF", 3.3)]
        )
    )
    message, key = page.receive_upload(data_url(csv), "gaps.csv", sid)
    why = "Column 'priority' is not used: campaign bookkeeping, not an input."
    assert "Notes on gaps.csv:" in text_of(message) and why in text_of(message)
    outputs = page.show_dataset(catalog.UPLOAD + key, sid)
    assert outputs[-7:-1] == (["formula"], "composition", ["solvent"], [], ["gap"], None)
    assert why in text_of(outputs[-1])
    assert "categorical: solvent" in text_of(outputs[0])
    tooltips = {c["field"]: c["headerTooltip"] for c in outputs[2].columnDefs}
    assert tooltips == {
        "formula": "input: structure (composition)",
        "solvent": "input: categorical (text labels)",
        "priority": "not used",
        "gap": "target",
    }
    _, notes, _ = page.apply_role_edits(
        1, ["formula"], "composition", [], [], ["gap"], None, catalog.UPLOAD + key, sid
    )
    assert why in text_of(notes)  # detection's reason outlives an edit
    assert "Column 'solvent' is not used: no role was given to it" in text_of(notes)


def test_structures_without_a_kind_are_refused(rt, sid):
    _, key = page.receive_upload(data_url(GOOD_CSV), "gaps.csv", sid)
    message, _notes, refresh = page.apply_role_edits(
        1, ["formula"], "none", [], [], ["gap"], None, catalog.UPLOAD + key, sid
    )
    assert "choose how they are read" in text_of(message) and refresh is page.no_update


def test_download_neutralises_spreadsheet_formulas(rt, sid):
    csv = (
        b"name,formula,gap\n=HYPERLINK(1),NaCl,8.5\nb,KBr,7.4\nc,MgO,7.8\nd,GaAs,1.42\ne,Si,1.12\n"
    )
    _, key = page.receive_upload(data_url(csv), "names.csv", sid)
    sent = page.download(1, catalog.UPLOAD + key, sid)
    assert "'=HYPERLINK(1)" in sent["content"]


def test_csv_files_of_the_data_folder_are_offered_as_datasets(tmp_path, sid):
    from dashboard import runtime

    folder = tmp_path / "shared-data"
    folder.mkdir()
    (folder / "gaps.csv").write_bytes(GOOD_CSV)
    (folder / "notes.csv").write_bytes(b"just words\nno table here\n")
    runtime.configure(
        runtime.current().settings.__class__(storage_dir=tmp_path / "storage", data_dir=folder)
    )
    keys = [option["value"] for option in catalog.options(sid)]
    assert catalog.FOLDER + "gaps.csv" in keys and catalog.FOLDER + "notes.csv" not in keys
    assert catalog.load(sid, catalog.FOLDER + "gaps.csv").rows == 6

"""Role edits on the Data page: what is missing is said of the roles, and a choice counted twice
is noted, not refused."""

from __future__ import annotations

import pytest

from dashboard import catalog
from dashboard.pages.data import callbacks as page
from tests.callbacks.conftest import data_url
from tests.callbacks.test_data_page import text_of
from tests.unit.test_role_edits import HEADER, LIGAND_HEADER, LIGAND_ROWS, REACTIONS, TWICE
from tests.unit.test_upload import csv_text

pytestmark = pytest.mark.both_stores


def test_clearing_every_target_asks_for_a_target_in_words_about_roles(rt, sid):
    _, key = page.receive_upload(data_url(csv_text(REACTIONS, HEADER).encode()), "r.csv", sid)
    message, notes, refresh = page.apply_role_edits(
        1, [], "none", ["base", "solvent"], ["temperature"], [], None, catalog.UPLOAD + key, sid
    )
    said = text_of(message)
    assert "Choose at least one target: a numeric column to predict (yield, cost)." in said
    assert "No numeric column to predict" not in said and "Columns found" not in said
    assert notes is page.no_update and refresh is page.no_update


def test_a_name_column_made_an_input_beside_its_structures_is_saved_with_a_note(rt, sid):
    csv = csv_text(LIGAND_ROWS, LIGAND_HEADER).encode()
    _, key = page.receive_upload(data_url(csv), "ligands.csv", sid)
    message, notes, refresh = page.apply_role_edits(
        1,
        ["ligand_smiles"],
        "smiles",
        ["ligand", "base"],
        [],
        ["yield"],
        None,
        catalog.UPLOAD + key,
        sid,
    )
    assert "Roles saved: 6 rows used." in text_of(message)
    assert TWICE in text_of(notes)
    assert refresh["select"] == catalog.UPLOAD + key
    assert rt.store.load_dataset(sid, key).categorical_columns == ["ligand", "base"]


def test_roles_saved_is_kept_on_the_saved_copy_and_cleared_on_another_dataset(rt, sid):
    freesolv = catalog.BUILTIN + "freesolv"
    _message, _notes, refresh = page.apply_role_edits(
        1, ["smiles"], "smiles", [], ["calc"], ["expt"], "name", freesolv, sid
    )
    assert page.roles_message_on_pick(refresh["select"], refresh) is page.no_update
    assert page.roles_message_on_pick(freesolv, refresh) is None
    assert page.roles_message_on_pick(freesolv, None) is None

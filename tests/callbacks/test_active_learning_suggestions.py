"""The Active Learning page's "Next to measure" table in real mode: each pick's inputs (what to
run), its row in the file explained, and the values typed into it, on both state stores."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from dashboard import campaigns
from dashboard.pages.active_learning import suggestions
from tests.callbacks.test_campaign_file_download import start_real_campaign, upload

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


def started(sid) -> campaigns.View:
    start_real_campaign(sid, upload(sid, EDBO_LIKE, "edbo_like.csv"))
    return campaigns.view(sid)


def test_the_table_names_what_to_run_and_the_csv_adds_the_ligands_descriptors(rt, sid):
    view = started(sid)
    rows, columns = suggestions.grid(view, sid)
    shown = [c["field"] for c in columns if not c.get("hide")]
    assert shown == [
        "row in file", "Ligand", "Solvent", "Concentration", "predicted", "sigma", "score",
        "measured",
    ]  # fmt: skip
    assert {r["Ligand"] for r in rows} <= set(LIGANDS)
    assert {r["Solvent"] for r in rows} <= {"MeCN", "DMF", "THF"}
    assert "adds 2 descriptors" in suggestions.help_text(view, sid)
    download = suggestions.download(1, sid)
    csv = pd.read_csv(io.StringIO(download["content"]))
    assert list(csv.columns)[2:7] == ["Ligand", "Solvent", "Concentration", "HOMO", "Dipole"]
    assert all(csv["HOMO"] == [LIGANDS[ligand][0] for ligand in csv["Ligand"]])


def test_the_row_in_file_says_a_spreadsheet_shows_it_one_lower(rt, sid):
    _rows, columns = suggestions.grid(started(sid), sid)
    row = next(c for c in columns if c["field"] == suggestions.FILE_ROW)
    assert "first row under the column names" in row["headerTooltip"]
    assert "N + 1" in row["headerTooltip"]

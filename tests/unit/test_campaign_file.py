"""A campaign file goes out as it came in: every row (also those the check left out), the user's
own text, delimiter and line ends; only the entered values and the priorities change. Results
are matched to candidates by their inputs, numbers as numbers."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.engine.active_learning.campaign_file import CampaignFile
from dashboard.engine.active_learning.measurements import measurements_from
from dashboard.engine.data.upload import UploadLimits, parse_upload
from tests.unit.test_upload import xlsx_bytes

CAMPAIGN = (
    "id,temperature,time,yield\r\n"
    "S001,60,1,12\r\n"
    "S002,rt,2,PENDING\r\n"  # left out by the check: 'rt' is not a number
    "S003,80,1,n.d.\r\n"  # left out: 'n.d.' is not a number
    + "".join(
        f"S{i:03d},{50 + 5 * i},{1 + i % 3},{30 + i if i in (5, 9, 13) else 'PENDING'}\r\n"
        for i in range(4, 25)
    )
)


def suggest(path, *more: str) -> int:
    return main(["suggest", str(path), "--target", "yield", "--model", "rf", "--seed", "1", *more])


def test_the_file_written_back_keeps_every_row_and_the_users_text(tmp_path, capsys):
    path = tmp_path / "round1.csv"
    path.write_bytes(CAMPAIGN.encode())
    out = tmp_path / "round2.csv"
    assert suggest(path, "--batch", "3", "--out", str(out)) == 0
    printed = capsys.readouterr().out
    assert "note: row 2, column 'temperature': 'rt' is not a number" in printed  # as check
    assert "\n4 measured; the next 3 experiments:" in printed
    written = out.read_bytes()
    assert written.count(b"\r\n") == CAMPAIGN.count("\r\n")  # every row, CRLF as read
    lines = written.decode().split("\r\n")
    assert lines[0] == "id,temperature,time,yield,priority"
    assert lines[2] == "S002,rt,2,PENDING," and lines[3] == "S003,80,1,n.d.,"  # as written
    assert lines[1] == "S001,60,1,12,-1"  # whole numbers stay whole
    table = pd.read_csv(out, dtype=str, keep_default_na=False)
    chosen = table[table["priority"] == "1"]
    assert len(chosen) == 3 and set(chosen["yield"]) == {"PENDING"}
    for number in chosen.index + 1:  # the picks are named by their row in the file
        assert f"\n{number} " in printed
    original = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert table.drop(columns="priority").equals(original)


def test_results_with_whole_numbers_semicolons_and_decimal_commas_are_taken_in(tmp_path, capsys):
    path = tmp_path / "round1.csv"
    path.write_bytes(CAMPAIGN.encode())
    results = tmp_path / "results.csv"
    results.write_text("temperature;time;yield\n80;1;55,5\n85;2;61\n")
    out = tmp_path / "round2.csv"
    assert suggest(path, "--measured", str(results), "--out", str(out)) == 0
    assert "\n6 measured;" in capsys.readouterr().out
    lines = out.read_bytes().decode().split("\r\n")
    assert lines[6] == "S006,80,1,55.5,-1" and lines[7] == "S007,85,2,61,-1"
    assert suggest(out, "--batch", "2") == 0  # the file written is the next round's input
    assert "\n6 measured; the next 2 experiments:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("S006,80,1,50\nS006,80,1,52\n", "rows 1 and 2 are the same candidate"),
        ("S001,60,1,50\n", r"row 1 \(S001, 60, 1\) was measured already: yield 12"),
        ("S006,81,1,50\n", "temperature 81 is not one of the campaign's values"),
        (
            'S006,80,1,"33,5"\nS007,85,2,40\nS008,90,3,41\nS010,100,2,42.5\nS011,105,3,43\n',
            r"row 1 \(S006, 80, 1\): yield '33,5' is written with a decimal comma among numbers "
            "with points; write it as 33.5",
        ),
        ("S006,80,1,40\nS007,85,2,n.d.\n", r"row 2 .*: yield 'n.d.' is not a number"),
        ("S006,80,1,40\nS007,85,2,\n", r"row 2 .*: yield is empty"),
        (
            "S003,80,1,55\n",
            r"row 1 \(S003, 80, 1\) is row 3 of the campaign file, which was left out \(column "
            r"'yield': 'n.d.' is not a number\); correct that row in the campaign file",
        ),
    ],
)
def test_a_results_table_that_does_not_fit_is_refused_and_nothing_is_written(
    tmp_path, capsys, rows, message
):
    path = tmp_path / "round1.csv"
    path.write_bytes(CAMPAIGN.encode())
    results = tmp_path / "results.csv"
    results.write_text("id,temperature,time,yield\n" + rows)
    out = tmp_path / "round2.csv"
    assert suggest(path, "--measured", str(results), "--out", str(out)) == 2
    error = capsys.readouterr().err
    assert re.search(message, error), error
    assert not out.exists()


def test_a_results_table_may_leave_out_inputs_that_follow_from_the_others():
    frame = pd.DataFrame(
        {
            "ligand": ["L1", "L1", "L2", "L2"],
            "homo": [-0.2, -0.2, -0.3, -0.3],  # a descriptor of the ligand
            "temperature": [60.0, 80.0, 60.0, 80.0],
            "yield": [None] * 4,
        }
    )
    inputs = ["ligand", "homo", "temperature"]
    measured = pd.DataFrame({"ligand": ["L2"], "temperature": ["80"], "yield": ["7"]}, index=[1])
    assert measurements_from(frame, measured, inputs, "yield") == {3: 7.0}
    vague = pd.DataFrame({"ligand": ["L2"], "yield": [7.0]}, index=[1])
    with pytest.raises(ValueError, match="matches 2 candidates; add the column.s. homo, temp"):
        measurements_from(frame, vague, inputs, "yield")


def test_molecules_in_a_results_table_are_matched_however_their_smiles_are_written(
    tmp_path, capsys
):
    bases = ["CC(=O)[O-].[K+]", "CC(C)(C)C(=O)[O-].[Cs+]", "C1CCC2=NCCCN2CC1"]
    path = tmp_path / "round1.csv"
    path.write_text(
        "base_smiles,temperature,yield\n"
        + "".join(
            f"{base},{t},{'12' if (i, t) == (0, 60) else 'PENDING'}\n"
            for i, base in enumerate(bases)
            for t in (60, 80, 100)
        )
    )
    results = tmp_path / "results.csv"  # DBU and potassium acetate written another way
    results.write_text(
        "base_smiles,temperature,yield\nN1=C2CCCCCN2CCC1,80,41\n[K+].CC([O-])=O,100,7\n"
    )
    assert suggest(path, "--batch", "2", "--measured", str(results)) == 0
    assert "\n3 measured; the next 2 experiments:" in capsys.readouterr().out
    results.write_text("base_smiles,temperature,yield\nC1CCCCC1,80,41\n")  # no such base
    assert suggest(path, "--measured", str(results)) == 2
    assert "base_smiles 'C1CCCCC1' is not one of the campaign's values" in capsys.readouterr().err


def test_out_must_be_a_text_file(tmp_path, capsys):
    path = tmp_path / "round1.csv"
    path.write_bytes(CAMPAIGN.encode())
    assert suggest(path, "--out", str(tmp_path / "round2.xlsx")) == 2
    assert "name a .csv file" in capsys.readouterr().err


def test_a_file_with_nothing_left_to_measure_says_what_to_add(tmp_path, capsys):
    path = tmp_path / "done.csv"
    path.write_text("temperature,yield\n" + "".join(f"{t},{t % 7}\n" for t in range(20, 40)))
    assert suggest(path) == 2
    assert "add the candidates to measure as rows whose target is empty or PENDING" in (
        capsys.readouterr().err
    )


def test_a_workbook_campaign_comes_back_as_csv_with_its_numbers_as_written():
    rows = [("solvent", "temp", "yield")] + [
        (s, t, {("B", 40): 30.5, ("C", 20): 7}.get((s, t), "PENDING"))
        for s in "ABC"
        for t in (20, 40)
    ]
    content = xlsx_bytes({"campaign": rows})
    upload = parse_upload(content, "round1.xlsx", UploadLimits())
    file = CampaignFile.read(content, "round1.xlsx", UploadLimits(), upload.row_numbers)
    assert upload.row_numbers == [1, 2, 3, 4, 5, 6]
    text = file.text("yield", {0: 12.0}, measured=[0, 3, 4], pending=[5])
    assert text.split("\n") == [
        "solvent,temp,yield,priority",
        "A,20,12,-1",
        "A,40,PENDING,0",
        "B,20,PENDING,0",
        "B,40,30.5,-1",
        "C,20,7,-1",
        "C,40,PENDING,1",
        "",
    ]


def test_a_second_round_keeps_decimal_commas_and_the_files_own_encoding(tmp_path, capsys):
    header = "T (°C);t;yield\r\n".encode("cp1252")
    rows = "".join(
        f"{40 + 5 * i};{1 + i % 2};{'83,7' if i == 0 else '12,5' if i == 1 else 'PENDING'}\r\n"
        for i in range(8)
    )
    path = tmp_path / "round1.csv"
    path.write_bytes(header + rows.encode("cp1252"))
    out = tmp_path / "round2.csv"
    assert suggest(path, "--batch", "1", "--out", str(out)) == 0
    picked = next(
        line for line in out.read_bytes().decode("cp1252").split("\r\n") if line.endswith(";1")
    )
    results = tmp_path / "results.csv"
    results.write_text("T (°C),t,yield\n" + ",".join(picked.split(";")[:2]) + ',"44,4"\n')
    again = tmp_path / "round3.csv"
    assert suggest(out, "--batch", "1", "--measured", str(results), "--out", str(again)) == 0
    text = again.read_bytes().decode("cp1252")  # still Windows-1252, as the lab's Excel wrote it
    assert text.startswith("T (°C);t;yield;priority\r\n")
    assert picked.rsplit(";", 2)[0] + ";44,4;-1" in text.split("\r\n")
    capsys.readouterr()
    assert suggest(again, "--batch", "1") == 0  # the third round reads it as numbers
    assert "\n3 measured; the next experiment:" in capsys.readouterr().out


def test_a_last_batch_smaller_than_asked_takes_what_is_left_and_a_bad_out_is_refused(
    tmp_path, capsys
):
    path = tmp_path / "round1.csv"
    path.write_text(
        "T,yield\n" + "".join(f"{t},{t % 7 if t < 70 else 'PENDING'}\n" for t in range(40, 80, 5))
    )
    results = tmp_path / "results.csv"
    results.write_text("T,yield,comment\n70,5,clean\n")
    assert suggest(path, "--batch", "2", "--measured", str(results)) == 0
    printed = capsys.readouterr().out
    assert "note: not entered from the table of results: comment" in printed
    assert "\n7 measured; the next experiment:" in printed  # the one left
    assert suggest(path, "--batch", "5") == 0  # before: the 2 left, not a refusal
    assert "\n6 measured; the next 2 experiments:" in capsys.readouterr().out
    assert suggest(path, "--out", str(tmp_path / "no" / "such" / "folder.csv")) == 2
    assert "suggest: cannot write" in capsys.readouterr().err


def test_the_last_results_are_written_and_the_campaign_says_it_is_complete(tmp_path, capsys):
    path = tmp_path / "round1.csv"
    path.write_text(
        "T,yield\n" + "".join(f"{t},{t % 7 if t < 70 else 'PENDING'}\n" for t in range(40, 80, 5))
    )
    results = tmp_path / "results.csv"
    results.write_text("T,yield\n70,5\n75,6.5\n")
    out = tmp_path / "round2.csv"
    assert suggest(path, "--measured", str(results), "--out", str(out)) == 0
    assert "8 measured: every candidate has a value of 'yield'" in capsys.readouterr().out
    assert out.read_text().splitlines()[-2:] == ["70,5,-1", "75,6.5,-1"]


def test_a_missing_cell_among_the_picks_prints_empty_as_the_files_write_it(tmp_path, capsys):
    """An id may be missing: pandas printed <NA> in an id of whole numbers (None in text, NaN in
    other numbers), where a CSV file of the same picks has an empty cell."""
    path = tmp_path / "round1.csv"
    path.write_text(
        "run,temperature,time,yield\n"
        + "".join(
            f"{'' if i == 7 else i},{50 + 5 * i},{1 + i % 3},"
            f"{30 + i if i in (1, 2, 3, 5) else 'PENDING'}\n"
            for i in range(1, 13)
        )
    )
    every_candidate = ("--batch", "8", "--id", "run", "--numeric", "temperature,time")
    assert suggest(path, *every_candidate) == 0
    printed = capsys.readouterr().out
    assert "<NA>" not in printed and "None" not in printed and "NaN" not in printed
    row7 = next(line for line in printed.splitlines() if line.startswith("7 "))
    assert row7.split()[:3] == ["7", "85", "2"]  # the row, then no id: a blank
    row8 = next(line for line in printed.splitlines() if line.startswith("8 "))
    assert row8.split()[:4] == ["8", "8", "90", "3"]


def test_the_picks_print_what_to_run_with_the_models_prediction_and_sigma(tmp_path, capsys):
    """As the page lists them: the label and the settings, not the label's descriptors (named
    in a line under the list) nor other objectives' PENDING, then predicted and σ."""
    path = tmp_path / "round1.csv"
    path.write_text(
        "ligand,homo,temperature,yield,ee\n"
        + "".join(
            f"L{i % 3},{-0.2 - 0.1 * (i % 3):.1f},{40 + 5 * i},"
            f"{10 + i if i < 6 else 'PENDING'},PENDING\n"
            for i in range(15)
        )
    )
    assert suggest(path, "--batch", "2") == 0
    printed = capsys.readouterr().out
    listed = printed.split("experiments:\n", 1)[1].splitlines()
    assert listed[0].split() == ["ligand", "temperature", "predicted", "sigma"]
    assert all(len(line.split()) == 5 for line in listed[2:4])
    assert all(float(line.split()[-1]) > 0 for line in listed[2:4])  # σ of a real model
    assert listed[4] == "not listed: 1 descriptor of the labels shown (the campaign file has them)."


def test_a_first_batch_says_it_comes_before_any_model(tmp_path, capsys):
    path = tmp_path / "round1.csv"
    path.write_text("temperature,yield\n" + "".join(f"{t},PENDING\n" for t in range(20, 90, 5)))
    assert suggest(path, "--batch", "3") == 0  # a first batch, as EDBO+ counts it too
    printed = capsys.readouterr().out
    assert "0 measured; the next 3 experiments (the initial design: no model before a " in printed
    assert "predicted" not in printed and "not listed" not in printed

"""`python -m dashboard check FILE [--json] [--sheet NAME]`: exit codes, JSON shape, words."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

from dashboard.cli import main
from tests.unit.test_upload import GAPS, csv_text, xlsx_bytes

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, content: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def check_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["check", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_usable_file_exits_0_with_its_roles(tmp_path, capsys):
    path = write(tmp_path, "gaps.csv", csv_text([*GAPS, ("Fe2Ox", 1.0)]))
    code, answer = check_json(capsys, path)
    assert code == 0
    assert answer["ok"] is True
    assert (answer["rows"], answer["columns"]) == (len(GAPS), 2)
    assert (answer["structure_column"], answer["structure_kind"]) == ("formula", "composition")
    assert answer["targets"] == ["gap (eV)"]
    assert answer["warnings"][0] == {
        "row": 7,
        "column": "formula",
        "message": "row 7, column 'formula': 'Fe2Ox' is not a chemical formula ('Ox' is not an "
        "element symbol); the row is left out",
    }


def test_an_unusable_file_exits_1_with_its_problems(tmp_path, capsys):
    path = write(tmp_path, "bad.csv", "formula,gap\nNaCl,1\nKCl,2,3\n")
    code, answer = check_json(capsys, path)
    assert code == 1
    assert answer["ok"] is False
    assert answer["problems"][1] == {
        "row": 2,
        "column": None,
        "message": "row 2 has 3 fields but the header has 2",
    }


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path, capsys):
    code, answer = check_json(capsys, str(tmp_path / "nowhere.csv"))
    assert code == 1
    assert answer["problems"][0]["message"].startswith("There is no file")


def test_a_folder_is_a_problem(tmp_path, capsys):
    code, answer = check_json(capsys, str(tmp_path))
    assert code == 1
    assert "is a folder, not a file" in answer["problems"][0]["message"]


def test_a_pickle_is_refused_and_nothing_is_written(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, "model.pkl", pickle.dumps({"formula": ["NaCl"]}))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    code, answer = check_json(capsys, path)
    assert code == 1
    assert "Python pickle" in answer["problems"][0]["message"]
    assert list(work.iterdir()) == []


def test_the_size_limit_comes_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MI_UPLOAD_MAX_MB", "0.001")
    path = write(tmp_path, "gaps.csv", csv_text(GAPS * 40))
    code, answer = check_json(capsys, path)
    assert code == 1
    assert answer["problems"][0]["message"].endswith("at most 1.0 KB are accepted.")


def test_a_sheet_can_be_chosen(tmp_path, capsys):
    content = xlsx_bytes({"notes": [("text",), ("hi",)], "gaps": [("formula", "gap"), *GAPS]})
    path = write(tmp_path, "book.xlsx", content)
    assert check_json(capsys, path, "--sheet", "notes")[0] == 1
    code, answer = check_json(capsys, path, "--sheet", "gaps")
    assert (code, answer["targets"]) == (0, ["gap"])
    code, answer = check_json(capsys, path)  # the first sheet holds no table: the next one
    assert (code, answer["targets"]) == (0, ["gap"])


def test_without_json_the_answer_is_in_words(tmp_path, capsys):
    good = write(tmp_path, "gaps.csv", csv_text([*GAPS, ("Xx", 1)]))
    assert main(["check", good]) == 0
    words = capsys.readouterr().out
    assert "gaps.csv: usable, 6 rows and 2 columns." in words
    assert "structure: formula (composition)" in words
    assert "targets: gap (eV) [eV]" in words
    assert "- row 7, column 'formula': 'Xx' is not a chemical formula" in words
    bad = write(tmp_path, "bad.csv", "")
    assert main(["check", bad]) == 1
    assert capsys.readouterr().out == f"{bad}: cannot be used.\n  - The file is empty.\n"


def test_the_module_entry_point_runs_check(tmp_path):
    path = write(tmp_path, "gaps.csv", csv_text(GAPS))
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "check", path, "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["structure_kind"] == "composition"

"""CSV export: cells a spreadsheet would run as formulas are neutralised; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from dashboard.engine.data.export import neutralise, to_safe_csv
from dashboard.engine.data.upload import UploadLimits, parse_upload


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil","x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_formula_like_text_gets_a_leading_apostrophe(cell):
    assert neutralise(cell) == "'" + cell
    rows = read_back(to_safe_csv(pd.DataFrame({"name": [cell]})))
    assert rows[1] == ["'" + cell]


def test_plain_text_is_unchanged():
    for cell in ["NaCl", "c1ccccc1", "a=b", " =1", "1-2", "CC(=O)O"]:
        assert neutralise(cell) == cell


def test_numeric_columns_keep_negative_numbers_as_numbers():
    frame = pd.DataFrame({"gap": [-1.5, 2.0], "n": [-3, 4]})
    assert read_back(to_safe_csv(frame)) == [["gap", "n"], ["-1.5", "-3"], ["2.0", "4"]]


def test_number_like_text_in_a_text_column_is_prefixed_too():
    rows = read_back(to_safe_csv(pd.DataFrame({"note": ["-1.5", "+2"]})))
    assert rows[1:] == [["'-1.5"], ["'+2"]]


def test_column_names_are_neutralised_and_missing_cells_are_empty():
    frame = pd.DataFrame({"=cmd": ["x", None], "y": [1.0, np.nan]})
    assert read_back(to_safe_csv(frame)) == [["'=cmd", "y"], ["x", "1.0"], ["", ""]]


def test_the_exported_frame_is_not_modified():
    frame = pd.DataFrame({"name": ["=1+1"]})
    to_safe_csv(frame)
    assert frame["name"].tolist() == ["=1+1"]


def test_an_uploaded_injection_survives_as_text_and_exports_neutralised():
    formulas = ["NaCl", "KCl", "LiF", "NaF", "KF"]
    text = "name,formula,gap\n" + "".join(f"=cmd{i},{f},{i + 1}\n" for i, f in enumerate(formulas))
    data = parse_upload(text.encode(), "x.csv", UploadLimits()).dataset
    assert data.frame["name"].tolist()[0] == "=cmd0"
    rows = read_back(to_safe_csv(data.frame))
    assert rows[1] == ["'=cmd0", "NaCl", "1.0"]

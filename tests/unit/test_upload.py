"""Uploads that should work: every format and encoding gives the right roles and values.

The byte builders at the top are shared with the malformed-file, fuzz and CLI tests.
"""

from __future__ import annotations

import codecs
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest
from rdkit import rdBase

from dashboard.engine.data.upload import UploadLimits, parse_upload, sheet_names, xlsx
from dashboard.engine.data.upload.result import apply_roles
from dashboard.engine.data.upload.roles import Roles, detect_roles
from dashboard.engine.data.upload.table import Table
from dashboard.settings import Settings

LIMITS = UploadLimits()
GAPS = [("NaCl", 8.5), ("KCl", 8.4), ("Fe2O3", 2.1), ("Si", 1.1), ("GaAs", 1.4), ("ZnO", 3.4)]
MOLECULES = [("CCO", -0.5), ("c1ccccc1", 1.2), ("CC(=O)O", -2.0), ("O", 0.3), ("CN", 0.1)]


def csv_text(rows: list[tuple], header: tuple = ("formula", "gap (eV)"), sep: str = ",") -> str:
    """A delimited table: header line and one line per row, numbers written with str()."""
    return "\n".join(sep.join(map(str, r)) for r in [header, *rows]) + "\n"


def xlsx_bytes(sheets: dict[str, list[tuple]]) -> bytes:
    """A workbook written by openpyxl with one sheet per entry (first entry first)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def parse(content: bytes | str, filename: str = "data.csv", **kwargs):
    if isinstance(content, str):
        content = content.encode()
    return parse_upload(content, filename, kwargs.pop("limits", LIMITS), **kwargs)


def assert_gap_dataset(result, target: str = "gap (eV)") -> None:
    assert result.ok, [p.message for p in result.problems]
    data = result.dataset
    assert (data.structure_column, data.structure_kind) == ("formula", "composition")
    assert data.target_columns == [target]
    assert data.frame["formula"].tolist() == [f for f, _ in GAPS]
    np.testing.assert_allclose(data.frame[target], [g for _, g in GAPS])


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(sep):
    assert_gap_dataset(parse(csv_text(GAPS, sep=sep)))


def test_tsv_extension_reads_tabs():
    assert_gap_dataset(parse(csv_text(GAPS, sep="\t"), "gaps.tsv"))


def test_decimal_commas_are_read_where_the_delimiter_is_a_semicolon():
    text = csv_text(GAPS, sep=";").replace("8.5", "8,5").replace("2.1", "2,1")
    assert_gap_dataset(parse(text))


def test_a_comma_delimited_file_is_not_read_as_decimal_commas():
    result = parse('formula,gap (eV)\n"NaCl","8,5"\n' + csv_text(GAPS[1:]).split("\n", 1)[1])
    assert result.ok
    assert "'8,5' is not a number" in result.warnings[0].message


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_unicode_encodings_with_and_without_bom(encoding, bom):
    header = ("formula", "Ångström gap (eV)")
    content = bom + csv_text(GAPS, header).encode(encoding)
    result = parse(content)
    assert_gap_dataset(result, "Ångström gap (eV)")
    assert result.dataset.units == {"Ångström gap (eV)": "eV"}


def test_latin1_names_are_decoded():
    rows = [
        (f, g, n) for (f, g), n in zip(GAPS, ["Ångström", "café", "Ñ", "ß", "ü", "é"], strict=True)
    ]
    content = csv_text(rows, ("formula", "gap (eV)", "note")).encode("latin-1")
    result = parse(content)
    assert_gap_dataset(result)
    assert result.dataset.frame["note"].tolist()[:2] == ["Ångström", "café"]
    assert not result.warnings


def test_mixed_encodings_are_read_line_by_line_with_a_warning():
    utf8 = "formula,gap (eV),note\nNaCl,8.5,Ångström\n" + "".join(
        f"{f},{g},\n" for f, g in GAPS[1:]
    )
    content = utf8.encode("utf-8") + "LiF,13.6,café\n".encode("latin-1")
    result = parse(content)
    notes = result.dataset.frame["note"].tolist()
    assert (notes[0], notes[-1]) == ("Ångström", "café")
    assert "mixes encodings: line(s) 8 were read as Latin-1" in result.warnings[0].message


def test_xlsx_first_sheet_is_read():
    content = xlsx_bytes({"gaps": [("formula", "gap (eV)"), *GAPS], "other": [("a",), (1,)]})
    assert_gap_dataset(parse(content, "gaps.xlsx"))


def test_xlsx_chosen_sheet_is_read():
    content = xlsx_bytes({"notes": [("text",), ("hello",)], "gaps": [("formula", "gap"), *GAPS]})
    assert_gap_dataset(parse(content, "gaps.xlsx", sheet="gaps"), "gap")


def test_the_sheets_of_a_workbook_are_listed_for_a_picker():
    content = xlsx_bytes({"notes": [("text",)], "gaps": [("formula", "gap"), *GAPS]})
    assert sheet_names(content, "book.xlsx", LIMITS) == ["notes", "gaps"]
    assert sheet_names(csv_text(GAPS).encode(), "gaps.csv", LIMITS) == []
    assert sheet_names(content[:100], "book.xlsx", LIMITS) == []


def test_xlsx_short_rows_are_padded_and_blank_rows_skipped():
    rows = [("formula", "gap", "note"), ("NaCl", 8.5, "x"), (), ("KCl", 8.4), *GAPS[2:]]
    result = parse(xlsx_bytes({"s": rows}), "gaps.xlsx")
    assert result.ok
    assert result.dataset.frame["note"].tolist() == ["x", None, None, None, None, None]


def test_parquet_is_read_with_its_types():
    frame = pd.DataFrame({"formula": [f for f, _ in GAPS], "gap (eV)": [g for _, g in GAPS]})
    assert_gap_dataset(parse(parquet_bytes(frame), "gaps.parquet"))


def test_smiles_column_with_several_targets_and_an_id():
    rows = [(f"mol{i}", s, v, v * 2) for i, (s, v) in enumerate(MOLECULES)]
    result = parse(csv_text(rows, ("name", "smiles", "expt", "calc")))
    assert result.ok
    data = result.dataset
    assert (data.structure_column, data.structure_kind) == ("smiles", "smiles")
    assert data.target_columns == ["expt", "calc"]
    assert data.id_column == "name"


def test_numeric_features_only_take_the_last_numeric_column_as_target():
    rows = [(i, i * 0.5, i**2 % 7) for i in range(8)]
    result = parse(csv_text(rows, ("temperature", "pressure", "yield")))
    assert result.ok
    assert result.dataset.structure_kind == "none"
    assert result.dataset.feature_columns == ["temperature", "pressure"]
    assert result.dataset.target_columns == ["yield"]


def test_a_column_named_like_a_target_is_the_target_wherever_it_is():
    rows = [(i % 5, i, i * 0.5) for i in range(8)]
    result = parse(csv_text(rows, ("target", "x1", "x2")))
    assert result.dataset.target_columns == ["target"]
    assert result.dataset.feature_columns == ["x1", "x2"]


def test_an_exported_index_column_is_the_id_not_a_feature():
    rows = [(i, i % 3, i * 0.5) for i in range(8)]
    result = parse(csv_text(rows, ("Unnamed: 0", "x", "y")))
    assert result.dataset.id_column == "Unnamed: 0"
    assert result.dataset.feature_columns == ["x"]


@pytest.mark.parametrize("name", ["run", "Run", "experiment", "Exp", "trial", "Run no."])
def test_numbered_runs_are_the_id_not_an_input(name):
    rows = [(i + 1, 40 + i % 4 * 10, i % 3, i * 1.5) for i in range(12)]
    result = parse(csv_text(rows, (name, "temperature", "time", "yield")))
    assert result.dataset.id_column == name
    assert result.dataset.feature_columns == ["temperature", "time"]


@pytest.mark.parametrize("name", ["id", "run"])
def test_an_id_left_blank_in_a_row_is_still_the_id_and_the_row_stays(name):
    rows = [("" if i == 7 else i + 1, 40 + i % 4 * 10, i % 3, i * 1.5) for i in range(12)]
    result = parse(csv_text(rows, (name, "temperature", "time", "yield")))
    assert result.dataset.id_column == name
    assert result.dataset.feature_columns == ["temperature", "time"]
    assert result.dataset.rows == 12


def test_numbers_written_with_a_percent_sign_are_numbers_and_the_user_is_told():
    rows = [
        (c, f"{load}%", 60 + 10 * i, f"{10 + 7 * i} %")
        for i, (c, load) in enumerate(
            [("10% Pd/C", 1), ("Pd(OAc)2", 5), ("10% Pd/C", 10), ("Pd(OAc)2", 1), ("10% Pd/C", 5)]
        )
    ]
    result = parse(csv_text(rows, ("catalyst", "loading", "temperature", "yield")))
    data = result.dataset
    assert data.categorical_columns == ["catalyst"]  # a label with a % in it stays a label
    assert data.feature_columns == ["loading", "temperature"] and data.target_columns == ["yield"]
    assert data.frame["yield"].tolist() == [10.0, 17.0, 24.0, 31.0, 38.0]
    warned = [w.message for w in result.warnings if "% sign" in w.message]
    assert len(warned) == 2 and "5 values of 'loading'" in warned[0]


def test_quoted_decimal_commas_in_a_comma_file_are_numbers_but_thousands_are_not():
    lines = [
        f'{c},"0,{load}","{10 + i},5","{i + 1},{i}00"'
        for i, (c, load) in enumerate(
            [("A", "05"), ("B", "1"), ("A", "2"), ("B", "05"), ("A", "1"), ("B", "2")]
        )
    ]
    result = parse("catalyst,conc,yield,count\n" + "\n".join(lines) + "\n")
    data = result.dataset
    assert data.feature_columns == ["conc"] and data.target_columns == ["yield"]
    assert data.frame["yield"].tolist() == [10.5, 11.5, 12.5, 13.5, 14.5, 15.5]
    assert "count" not in data.input_columns  # '1,000': a thousands separator, perhaps
    warned = [w.message for w in result.warnings if "decimal commas" in w.message]
    assert len(warned) == 2 and "'conc' is written with decimal commas ('0,05')" in warned[0]


def test_header_names_decide_between_formula_and_smiles():
    values = ["CO", "NO", "CN", "CS", "OS", "NS"]
    rows = [(v, i) for i, v in enumerate(values)]
    assert parse(csv_text(rows, ("formula", "y"))).dataset.structure_kind == "composition"
    assert parse(csv_text(rows, ("smiles", "y"))).dataset.structure_kind == "smiles"


def test_without_a_hint_repeated_atoms_read_as_smiles():
    rows = [(v, i) for i, v in enumerate(["CCO", "CC", "CCC", "OCCO", "CCN", "NCCN"])]
    assert parse(csv_text(rows, ("structure", "y"))).dataset.structure_kind == "smiles"


def test_sample_codes_that_parse_as_elements_are_not_a_structure():
    rows = [(f"S{i}", i, i * 2 % 5) for i in range(1, 8)]
    result = parse(csv_text(rows, ("code", "x", "y")))
    assert result.dataset.structure_column is None
    assert result.dataset.id_column == "code"


def test_words_and_numbers_are_not_formulas():
    rows = [(w, i, i % 3) for i, w in enumerate(["Water", "Iron", "Salt", "Gold", "Tin", "Lead"])]
    result = parse(csv_text(rows, ("substance", "x", "y")))
    assert result.dataset.structure_column is None


def test_bad_rows_are_dropped_with_one_warning_per_cell_saying_why():
    rows = [*GAPS, ("Fe2Ox", 1.0), ("MgO", ""), ("CaO", "nan"), ("BaO", "inf"), ("SrO", "abc")]
    result = parse(csv_text(rows))
    assert result.ok
    messages = [w.message for w in result.warnings]
    assert messages[:4] == [
        "row 7, column 'formula': 'Fe2Ox' is not a chemical formula ('Ox' is not an element "
        "symbol); the row is left out",
        "row 9, column 'gap (eV)': 'nan' is not a number (NaN); the row is left out",
        "row 10, column 'gap (eV)': 'inf' is infinite; the row is left out",
        "row 11, column 'gap (eV)': 'abc' is not a number; the row is left out",
    ]
    assert [(w.row, w.column) for w in result.warnings[:2]] == [(7, "formula"), (9, "gap (eV)")]
    assert messages[4] == "4 of 11 rows were left out; 7 rows are used."
    assert messages[5] == (
        "1 of 7 rows has no value of 'gap (eV)' yet (empty or PENDING); it is kept as a "
        "candidate to measure."
    )
    assert result.dataset.rows == len(GAPS) + 1


def test_an_outcome_column_with_many_text_results_stays_the_target():
    # a third of the yields are 'trace' or '<5': too many for a label column to be numbers, but
    # a yield column stays the target, its text results reported row by row
    results = ["trace" if i % 3 == 0 else "<5" if i == 4 else str(10 + 7 * i) for i in range(12)]
    rows = [(f"L{i % 3}", 60 + 10 * (i % 4), y) for i, y in enumerate(results)]
    result = parse(csv_text(rows, ("ligand", "temperature", "yield")))
    data = result.dataset
    assert data.target_columns == ["yield"] and data.feature_columns == ["temperature"]
    assert data.rows == 7
    messages = [w.message for w in result.warnings]
    assert "row 1, column 'yield': 'trace' is not a number; the row is left out" in messages
    assert "row 5, column 'yield': '<5' is not a number; the row is left out" in messages
    # a column named otherwise with as many text cells is text, as before
    result = parse(csv_text(rows, ("ligand", "temperature", "notes")))
    assert result.dataset.target_columns == ["temperature"]


def test_a_name_column_paired_with_a_smiles_column_is_not_a_second_input():
    ligands = {
        "XPhos": "CC(C)c1cc(C(C)C)c(cc1)P(C1CCCCC1)C1CCCCC1",
        "PPh3": "c1ccc(cc1)P(c1ccccc1)c1ccccc1",
    }
    bases = {
        "KOAc": "CC(=O)[O-].[K+]",
        "CsOPiv": "CC(C)(C)C(=O)[O-].[Cs+]",
        "DBU": "C1CCC2=NCCCN2CC1",
    }
    rows = [
        (lig, ligands[lig], base, bases[base], 90 + 15 * (i % 3), 10 + 3 * i)
        for i, (lig, base) in enumerate((x, b) for x in ligands for b in bases for _ in range(2))
    ]
    header = ("ligand", "ligand_smiles", "base", "base_smiles", "temperature", "yield")
    result = parse(csv_text(rows, header))
    data = result.dataset
    assert data.structure_columns == ["ligand_smiles", "base_smiles"]
    assert data.categorical_columns == []
    assert set(result.roles.unused) == {"ligand", "base"}
    assert result.roles.unused["ligand"] == (
        "it names the structures of 'ligand_smiles' (one label each), which is the input"
    )
    # a label column that is not one name per molecule stays a choice of its own
    rows = [(*row[:4], "A" if i % 3 else "B", row[5]) for i, row in enumerate(rows)]
    result = parse(csv_text(rows, (*header[:4], "vessel", "yield")))
    assert result.dataset.categorical_columns == ["vessel"]


def test_row_numbers_count_blank_lines_like_a_spreadsheet():
    text = "formula,gap\n\nNaCl,1\nKCl,2\nLiF,3\nNaF,4\nKF,5\nXx,6\n"
    result = parse(text)
    assert result.warnings[0].row == 7


def test_a_constant_second_target_is_dropped_with_a_warning():
    rows = [(f, g, 1.0) for f, g in GAPS]
    result = parse(csv_text(rows, ("formula", "gap", "yield")))
    assert result.dataset.target_columns == ["gap"]
    assert "'yield' has the same value (1)" in result.warnings[-1].message


def test_a_campaign_whose_measured_results_are_all_one_value_is_not_refused():
    # three failed reactions so far, the rest to measure: the start of a campaign
    rows = [(f, 60 + 10 * i, 0.0 if i < 3 else "PENDING") for i, (f, _g) in enumerate(GAPS)]
    result = parse(csv_text(rows, ("formula", "temperature", "yield")))
    assert result.ok and result.dataset.target_columns == ["yield"]
    assert result.warnings[-1].message == (
        "all 3 measured values of 'yield' are 0: a model learns which inputs matter only once a "
        "different value is measured, so until then the picks spread over the candidates."
    )
    # with every row measured, one value is still nothing to learn from
    rows = [(f, 60 + 10 * i, 0.0) for i, (f, _g) in enumerate(GAPS)]
    result = parse(csv_text(rows, ("formula", "temperature", "yield")))
    assert not result.ok and "has the same value (0) in every usable row" in str(result.problems)


def test_duplicate_and_empty_column_names_are_renamed_with_warnings():
    rows = [(f, g, g, "x") for f, g in GAPS]
    result = parse(csv_text(rows, ("formula", "gap", "gap", "")))
    assert list(result.dataset.frame.columns) == ["formula", "gap", "gap (2)", "column 4"]
    messages = " ".join(w.message for w in result.warnings)
    assert "'gap' appears more than once; column 3 is called 'gap (2)'" in messages
    assert "Column 4 has no name; it is called 'column 4'" in messages


def test_a_trailing_delimiter_is_not_a_column():
    text = "formula,gap,\n" + "".join(f"{f},{g},\n" for f, g in GAPS)
    assert_gap_dataset(parse(text), "gap")


def test_cells_with_html_or_formulas_stay_plain_text():
    rows = [(f"<script>alert({i})</script>", f, g) for i, (f, g) in enumerate(GAPS)]
    rows[0] = ('=HYPERLINK("http://x")', *rows[0][1:])
    result = parse(csv_text(rows, ("name", "formula", "gap")))
    assert result.dataset.frame["name"].tolist()[:2] == [
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
    ]


def test_path_like_file_names_only_name_the_dataset():
    result = parse(csv_text(GAPS), "../../etc/x.csv", dataset_id="ds-7")
    assert (result.dataset.title, result.dataset.id) == ("x.csv", "ds-7")
    windows = parse(csv_text(GAPS), "..\\..\\C:\\x.csv")
    assert windows.dataset.title == "x.csv"


def test_the_parser_writes_nothing_and_leaves_logging_as_it_was(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    logs = rdBase.LogStatus()
    frame = pd.DataFrame({"smiles": [s for s, _ in MOLECULES], "y": [v for _, v in MOLECULES]})
    inputs = [
        (csv_text([*MOLECULES, ("not-a-smiles", 1)], ("smiles", "y")).encode(), "m.csv"),
        (xlsx_bytes({"s": [("formula", "gap"), *GAPS]}), "g.xlsx"),
        (parquet_bytes(frame), "m.parquet"),
        (b"\x80\x04junk", "evil.pkl"),
    ]
    first = [parse_upload(c, n, LIMITS).to_dict() for c, n in inputs]
    second = [parse_upload(c, n, LIMITS).to_dict() for c, n in inputs]
    assert list(tmp_path.iterdir()) == []
    assert rdBase.LogStatus() == logs
    assert first == second


def test_limits_come_from_the_settings():
    settings = Settings(upload_max_mb=2, upload_max_rows=10, upload_max_columns=3)
    limits = UploadLimits.from_settings(settings)
    assert (limits.max_bytes, limits.max_rows, limits.max_columns) == (2 * 2**20, 10, 3)


def test_detected_roles_can_be_edited_and_checked_again():
    rows = [(f, g, g * 2) for f, g in GAPS]
    result = parse(csv_text(rows, ("formula", "gap", "twice")))
    assert result.roles == detect_roles(result.table.frame)
    edited = Roles(None, "none", ["twice"], ["gap"])
    again = apply_roles(result.table, edited, dataset_id="edited")
    assert again.ok
    assert (again.dataset.feature_columns, again.dataset.target_columns) == (["twice"], ["gap"])


def test_editing_a_text_column_into_a_target_is_refused():
    result = parse(csv_text(GAPS))
    again = apply_roles(result.table, Roles("formula", "composition", [], ["formula"]))
    messages = [p.message for p in again.problems]
    assert (
        "Column 'formula' is given more than one role (an input and a target, say): give it "
        "one role." in messages
    )


def test_a_numeric_column_cannot_hold_structures():
    result = parse(csv_text(GAPS))
    again = apply_roles(result.table, Roles("gap (eV)", "smiles", [], ["gap (eV)"]))
    assert "more than one role" in again.problems[0].message
    again = apply_roles(result.table, Roles("gap (eV)", "smiles", [], []))
    assert "Column 'gap (eV)' holds numbers, not formulas or SMILES." in again.problems[0].message


def test_rows_dropped_for_one_role_come_back_when_the_role_changes():
    rows = [(f, g, "" if i == 0 else i) for i, (f, g) in enumerate(GAPS)]
    result = parse(csv_text(rows, ("formula", "gap", "other")))
    assert result.dataset.rows == len(GAPS) - 1
    only_gap = apply_roles(result.table, Roles("formula", "composition", [], ["gap"]))
    assert only_gap.dataset.rows == len(GAPS)


def test_roles_can_be_checked_on_the_frame_of_a_stored_dataset():
    data = parse(csv_text([(f, g, g + 1) for f, g in GAPS], ("formula", "a", "b"))).dataset
    again = apply_roles(Table(data.frame, data.title), Roles("formula", "composition", [], ["b"]))
    assert again.dataset.target_columns == ["b"]
    assert again.dataset.frame["formula"].tolist() == data.frame["formula"].tolist()


@pytest.mark.parametrize("dataset_id", ["expt-gap", "qm9", "freesolv"])
def test_detected_roles_agree_with_the_builtin_datasets(dataset_id):
    datasets = pytest.importorskip("dashboard.engine.data.builtin")
    data = datasets.load(dataset_id)
    roles = detect_roles(data.frame)
    assert (roles.structure_column, roles.structure_kind) == (
        data.structure_column,
        data.structure_kind,
    )
    assert (roles.target_columns, roles.id_column) == (data.target_columns, data.id_column)


def test_roles_round_trip_through_a_dict():
    roles = Roles("smiles", "smiles", [], ["y"], "name", {"y": "eV"})
    assert Roles.from_dict(roles.to_dict()) == roles


def test_a_saved_dataset_loads_back(tmp_path):
    rows = [(f"id{i}", f, g) for i, (f, g) in enumerate(GAPS)]
    data = parse(csv_text(rows, ("id", "formula", "gap"))).dataset
    data.save(tmp_path / "d")
    again = type(data).load_saved(tmp_path / "d")
    assert again.content_hash() == data.content_hash()


def test_a_table_over_the_cell_budget_is_refused_before_its_rows_are_read():
    limits = UploadLimits(max_cells=1_000)
    text = "a,b,c,d\n" + "".join(f"{i},{i % 7},{i % 3},{i % 5}\n" for i in range(300))
    result = parse_upload(text.encode(), "wide.csv", limits)
    assert result.problems[0].message == (
        "The file has about 301 rows of 4 columns, more than the 1,000 cells accepted here (each "
        "cell costs memory while it is checked). Upload fewer rows or columns."
    )
    assert parse_upload(text.encode(), "wide.csv", UploadLimits(max_cells=1_300)).ok


def test_a_workbook_over_the_cell_budget_is_refused_while_it_is_read():
    workbook = xlsx_bytes({"data": [("a", "b"), *[(i, i * 2) for i in range(100)]]})
    result = parse_upload(workbook, "big.xlsx", UploadLimits(max_cells=50))
    assert "more than the 50 cells accepted here" in result.problems[0].message


def test_a_workbook_declaring_too_many_cells_is_refused_before_its_rows_stream(monkeypatch):
    workbook = xlsx_bytes({"data": [("a", "b"), *[(i, i * 2) for i in range(100)]]})
    streamed = []
    real = xlsx._collect_rows
    monkeypatch.setattr(xlsx, "_collect_rows", lambda *a: streamed.append(1) or real(*a))
    result = parse_upload(workbook, "big.xlsx", UploadLimits(max_cells=50))
    assert "about 100 rows of 2 columns, more than the 50 cells" in result.problems[0].message
    assert streamed == []
    too_long = parse_upload(workbook, "long.xlsx", UploadLimits(max_rows=20))
    assert "more than 20 data rows" in too_long.problems[0].message


def test_an_empty_column_is_called_empty():
    rows = [(20 + 10 * i, "", i * 1.5 + i % 2) for i in range(6)]
    result = parse(csv_text(rows, ("temperature", "pressure", "yield")))
    assert any("'pressure' is not used: it is empty" in w.message for w in result.warnings)
    named = parse(
        csv_text(rows, ("temperature", "pressure", "yield")),
        roles={"feature_columns": ["pressure"]},
    )
    assert named.problems[0].message == "Column 'pressure' is empty, so it cannot be an input."


def test_a_workbook_that_opens_with_notes_is_read_from_the_first_sheet_with_a_table():
    content = xlsx_bytes(
        {"README": [("About",), ("lab A",)], "gaps": [("formula", "gap (eV)"), *GAPS]}
    )
    result = parse(content, "book.xlsx")
    assert_gap_dataset(result)
    assert result.sheet == "gaps" and "Read the sheet 'gaps'" in result.warnings[0].message
    assert not parse(content, "book.xlsx", sheet="README").ok  # a sheet named is read as named


def test_a_reagent_column_with_names_that_are_no_formula_is_a_choice_not_a_composition():
    bases = ["K2CO3", "Cs2CO3", "DBU", "K3PO4", "NaOtBu"]
    rows = [(bases[i % 5], 60 + i, (7 * i) % 23) for i in range(20)]
    data = parse(csv_text(rows, ("base", "temperature", "yield"))).dataset
    assert data.structure_kind == "none" and data.categorical_columns == ["base"]
    assert data.rows == 20  # no NaOtBu row lost, DBU not read as D, B and U
    named = parse(csv_text(rows, ("base formula", "temperature", "yield"))).dataset
    assert named.structure_kind == "composition"  # the name says formulas: the user's word

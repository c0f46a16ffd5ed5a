"""Malformed and hostile uploads: each is refused with a clear message, no exception, no side effect.

Every file is built here from bytes. Pickles are made with pickle.dumps and never loaded.
"""

from __future__ import annotations

import codecs
import gzip
import io
import pickle
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest

from dashboard.engine.data.upload import UploadLimits, parse_upload
from tests.unit.test_upload import GAPS, LIMITS, csv_text, parquet_bytes, xlsx_bytes

MB = 2**20
SMALL = UploadLimits(max_bytes=10_000, max_rows=10, max_columns=5, max_unpacked_bytes=4 * MB)
GAP_CSV = csv_text(GAPS).encode()
FORMULAS = "NaCl KCl LiF NaF KF MgO CaO SrO BaO ZnO ZnS GaAs GaN InP Si Ge SiC AlN TiO2 Fe2O3"
SMILES = "CCO CCC CCCC c1ccccc1 CC(=O)O O CN CC CCN CCCl CBr OCCO CC=O C#N c1ccncc1 CCOC CS CF"
GOOD_FORMULAS = [(f, i * 0.5) for i, f in enumerate(FORMULAS.split())]
GOOD_SMILES = [(s, i * 0.5) for i, s in enumerate(SMILES.split())]
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>&lol9;</t></si></sst>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>&xxe;</t></si></sst>"
)


def workbook() -> bytes:
    return xlsx_bytes({"gaps": [("formula", "gap"), *GAPS]})


def rezip(
    content: bytes, parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED
) -> bytes:
    """The archive with some parts replaced or added (compressed with `compression`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
        for name, data in parts.items():
            target.writestr(name, data, compression)
    return buffer.getvalue()


def zip_of(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def encrypted_flag(content: bytes) -> bytes:
    """Set the 'encrypted' bit of the first entry in the ZIP central directory."""
    data = bytearray(content)
    at = data.find(b"PK\x01\x02") + 8
    data[at] |= 0x01
    return bytes(data)


def shifted_directory(content: bytes, by: int = 256) -> bytes:
    """Move the central directory's recorded offset past where it is: zipfile then places the
    first part before the file's start (a 'negative seek value' ValueError when it is opened)."""
    data = bytearray(content)
    at = data.rfind(b"PK\x05\x06") + 16
    offset = int.from_bytes(data[at : at + 4], "little") + by
    data[at : at + 4] = offset.to_bytes(4, "little")
    return bytes(data)


def edited_sheet(old: str, new: str) -> bytes:
    """The workbook with one edit in the XML of its sheet (a hand-damaged file)."""
    with zipfile.ZipFile(io.BytesIO(workbook())) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    return rezip(workbook(), {"xl/worksheets/sheet1.xml": sheet.replace(old, new, 1).encode()})


def sheet_with_stray_cell() -> bytes:
    return xlsx_bytes({"s": [("formula", "gap"), *GAPS[:3], ("KF", 1.0, None, "note"), *GAPS[3:]]})


def parquet_with(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def npy() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(10))
    return buffer.getvalue()


def arrow_file() -> bytes:
    buffer = io.BytesIO()
    feather.write_feather(pa.table({"a": [1, 2]}), buffer)
    return buffer.getvalue()


def rows_of(n: int) -> bytes:
    return csv_text([(f"Na{i % 3 + 1}Cl", i) for i in range(n)]).encode()


CASES = [
    # (file name, zero-argument builder of the bytes, limits, expected words in a problem)
    ("x.csv", lambda: b"", LIMITS, "The file is empty."),
    ("x.csv", lambda: b"  \n\r\n\t ", LIMITS, "The file is empty."),
    ("x.csv", lambda: b",,,\n , ,\n\n", LIMITS, "holds only delimiters and blank lines"),
    (
        "x.csv",
        lambda: b"# measured 2024\n" + GAP_CSV,
        LIMITS,
        "Is the first line a title or a comment?",
    ),
    ("x.csv", lambda: b"formula,gap\n", LIMITS, "column names but no data rows"),
    ("x.csv", lambda: b"formula,gap\n\n,\n \n", LIMITS, "column names but no data rows"),
    (
        "x.csv",
        lambda: b"formula,gap\nNaCl,1\nKCl,2,3\n",
        LIMITS,
        "row 2 has 3 fields but the header has 2",
    ),
    (
        "x.csv",
        lambda: b"formula,gap,x\nNaCl,1,2\nKCl\n",
        LIMITS,
        "row 2 has 1 field but the header has 3",
    ),
    (
        "x.csv",
        lambda: b'formula,gap\nNaCl,1\n"KCl,2\nLiF,3\n',
        LIMITS,
        'row 2: a quote (") is opened but never closed',
    ),
    ("x.csv", lambda: b'formula,gap\n"NaCl"x,1\n', LIMITS, "row 1: text follows a closing quote"),
    (
        "x.csv",
        lambda: b"formula,gap\n" + b"C" * 200_000 + b",1\n",
        LIMITS,
        "row 1: a cell is longer than 131,072 characters",
    ),
    ("x.csv", lambda: b'"' * 300_000, LIMITS, "the header line: a cell is longer than"),
    ("x.csv", lambda: b"formula,gap\nNaCl,1\x00\n", LIMITS, "contains a NUL byte (at byte 19)"),
    (
        "x.csv",
        lambda: GAP_CSV.decode().encode("utf-16-le"),
        LIMITS,
        "UTF-16 text without a byte-order mark",
    ),
    ("x.csv", lambda: codecs.BOM_UTF16_LE + b"f\x00\x00\xd8,\x00", LIMITS, "is not valid UTF-16"),
    ("x.csv", lambda: bytes(range(1, 9)) * 100, LIMITS, "control characters: it looks binary"),
    ("model.pkl", lambda: pickle.dumps({"formula": ["NaCl"]}, protocol=4), LIMITS, "Python pickle"),
    ("data.csv", lambda: pickle.dumps([1, 2, 3], protocol=2), LIMITS, "never opened here"),
    ("old.pkl", lambda: pickle.dumps([1, 2, 3], protocol=1), LIMITS, "Python pickle"),
    ("data.csv", lambda: pickle.dumps({"a": 1}, protocol=0), LIMITS, "Python pickle"),
    (
        "frame.csv",
        lambda: pickle.dumps(pd.DataFrame({"a": [1]}), protocol=5),
        LIMITS,
        "Python pickle",
    ),
    (
        "x.csv",
        lambda: b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table></body></html>",
        LIMITS,
        "it is an HTML page",
    ),
    (
        "x.csv",
        lambda: b'<?xml version="1.0"?><rows><row a="1"/></rows>',
        LIMITS,
        "it is an XML document",
    ),
    ("x.csv", lambda: b"\n  <svg><script>alert(1)</script></svg>", LIMITS, "HTML or XML markup"),
    ("x.csv", lambda: b'{"formula": ["NaCl"], "gap": [1]}', LIMITS, "looks like JSON"),
    ("x.csv", lambda: b"[" * 100_000 + b"]" * 100_000, LIMITS, "looks like JSON"),
    ("x.csv", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", LIMITS, "a PDF document"),
    ("x.csv", lambda: b"\x89PNG\r\n\x1a\n" + bytes(40), LIMITS, "a PNG image"),
    ("x.csv", lambda: gzip.compress(GAP_CSV), LIMITS, "gzip-compressed"),
    ("x.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), LIMITS, "old Excel (.xls)"),
    ("x.db", lambda: b"SQLite format 3\x00" + bytes(100), LIMITS, "an SQLite database"),
    ("x.npy", npy, LIMITS, "a NumPy array file"),
    ("x.feather", arrow_file, LIMITS, "Arrow/Feather"),
    ("x.csv", lambda: b"\x7fELF\x02\x01\x01" + bytes(60), LIMITS, "a program"),
    ("x.csv", lambda: b"{\\rtf1\\ansi formula,gap}", LIMITS, "rich-text (RTF)"),
    ("x.json", lambda: GAP_CSV, LIMITS, "Files ending in '.json' are not read here"),
    ("x.xlsx", lambda: GAP_CSV, LIMITS, "named 'x.xlsx' but its content is text"),
    ("x.csv", workbook, LIMITS, "its content is a ZIP archive"),
    ("x.parquet", lambda: GAP_CSV, LIMITS, "its content is text (like CSV), not a Parquet file"),
    (
        "x.xlsx",
        lambda: zip_of({"notes.txt": b"hello"}),
        LIMITS,
        "a ZIP archive, not an Excel workbook",
    ),
    (
        "x.xlsx",
        lambda: zip_of({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}),
        LIMITS,
        "a Word document",
    ),
    (
        "x.xlsx",
        lambda: zip_of(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        LIMITS,
        "OpenDocument",
    ),
    (
        "x.xlsx",
        lambda: workbook()[: len(workbook()) // 2],
        LIMITS,
        "damaged: it is not a readable ZIP archive",
    ),
    (
        "bomb.xlsx",
        lambda: rezip(workbook(), {"xl/media/pad.xml": b" " * (5 * MB)}),
        LIMITS,
        "looks like a zip bomb",
    ),
    (
        "bomb.xlsx",
        lambda: rezip(workbook(), {"xl/media/pad.xml": b" " * (5 * MB)}),
        UploadLimits(max_unpacked_bytes=4 * MB),
        "Unpacked, the workbook would take 5.0 MB",
    ),
    (
        "laughs.xlsx",
        lambda: rezip(workbook(), {"xl/sharedStrings.xml": BILLION_LAUGHS.encode()}),
        LIMITS,
        "declares a DOCTYPE or ENTITY",
    ),
    (
        "laughs.xlsx",
        lambda: rezip(
            workbook(),
            {
                "xl/sharedStrings.xml": BILLION_LAUGHS.replace(
                    '"1.0"', '"1.0" encoding="UTF-16"'
                ).encode("utf-16")
            },
        ),
        LIMITS,
        "'billion laughs' attacks",
    ),
    (
        "xxe.xlsx",
        lambda: rezip(workbook(), {"xl/sharedStrings.xml": EXTERNAL_ENTITY.encode()}),
        LIMITS,
        "declares a DOCTYPE or ENTITY",
    ),
    ("x.xlsx", lambda: encrypted_flag(workbook()), LIMITS, "The workbook is encrypted"),
    (
        "x.xlsx",
        lambda: shifted_directory(workbook()),
        LIMITS,
        "The workbook is damaged: its part",
    ),
    (
        "x.xlsx",
        lambda: rezip(workbook(), {"xl/extra.xml": b"<x/>"}, zipfile.ZIP_BZIP2),
        LIMITS,
        "uses a compression Excel does not write",
    ),
    (
        "x.xlsx",
        sheet_with_stray_cell,
        LIMITS,
        "row 4 has a value in column D but the header has only 2 columns",
    ),
    ("x.xlsx", lambda: xlsx_bytes({"empty": []}), LIMITS, "The sheet is empty."),
    (
        "x.xlsx",
        lambda: edited_sheet('r="A3"', 'r="ZZZZZ3"'),
        LIMITS,
        "'ZZZZZ' is not a valid column",
    ),
    (
        "x.xlsx",
        lambda: edited_sheet("<v>8.4</v>", "<v>abc</v>"),
        LIMITS,
        "The sheet cannot be read",
    ),
    (
        "x.xlsx",
        lambda: edited_sheet('r="7"', 'r="2000000000"'),
        LIMITS,
        "rows beyond row 1,048,576",
    ),
    (
        "x.xlsx",
        lambda: xlsx_bytes({"s": [("a", "b", "c", "d", "e", "f")]}),
        SMALL,
        "6 columns; at most 5",
    ),
    (
        "x.parquet",
        lambda: parquet_bytes(pd.DataFrame({"a": [1.0] * 50}))[:-30],
        LIMITS,
        "Parquet file is damaged",
    ),
    (
        "x.parquet",
        lambda: parquet_bytes(pd.DataFrame({"formula": ["NaCl"], "gap": [[1, 2]]})),
        LIMITS,
        "column 'gap' holds nested values",
    ),
    (
        "x.parquet",
        lambda: parquet_with(pa.table({"blob": pa.array([b"\x00"], pa.binary())})),
        LIMITS,
        "column 'blob' holds binary data",
    ),
    (
        "x.parquet",
        lambda: parquet_bytes(pd.DataFrame({"x": range(11), "y": range(11)})),
        SMALL,
        "more than 10 data rows",
    ),
    ("x.csv", lambda: rows_of(2000), SMALL, "The file is 20.4 KB; at most 9.8 KB are accepted."),
    ("x.csv", lambda: rows_of(11), SMALL, "more than 10 data rows"),
    ("x.csv", lambda: b"a,b,c,d,e,f\n1,2,3,4,5,6\n", SMALL, "6 columns; at most 5"),
    (
        "wide.csv",
        lambda: (",".join(f"c{i}" for i in range(100_000)) + "\n").encode(),
        LIMITS,
        "100,000 columns; at most 2,000",
    ),
    (
        "x.csv",
        lambda: b"NaCl,8.5\nKCl,8.4\nLiF,13.6\n",
        LIMITS,
        "The first line looks like data ('NaCl', '8.5')",
    ),
    ("x.csv", lambda: b"1,2,3\n4,5,6\n", LIMITS, "The first line looks like data"),
    (
        "x.csv",
        lambda: b"name,comment\nwater,wet\nsalt,dry\n",
        LIMITS,
        "No structure column (chemical formulas or SMILES)",
    ),
    (
        "x.csv",
        lambda: b"formula\nNaCl\nKCl\nLiF\nNaF\nKF\n",
        LIMITS,
        "No numeric column to predict (target)",
    ),
    (
        "x.csv",
        lambda: b"formula,gap\nNaCl,8.5 eV\nKCl,8.4 eV\nLiF,13.6 eV\n",
        LIMITS,
        "write only the number in each cell, and the unit in the column name",
    ),
    (
        "x.csv",
        lambda: b"formula,gap\nNaCl,1\nKCl,1\nLiF,1\nNaF,1\nKF,1\n",
        LIMITS,
        "The target 'gap' has the same value (1) in every usable row",
    ),
    (
        "x.csv",
        lambda: b"formula,gap\nNaCl,1\nKCl,2\nLiF,\nNaF,nan\nKF,3\nXx,4\n",
        LIMITS,
        "Only 4 of 6 rows are usable",
    ),
    (
        "x.csv",
        lambda: b"formula,gap\nNaCl,nan\nKCl,inf\nLiF,-inf\nNaF,NaN\nKF,1e999\n",
        LIMITS,
        "Only 0 of 5 rows are usable",
    ),
    (
        "x.csv",
        lambda: b"formula,gap\nFe2Ox,1\nWater,2\n123,3\nKCl,4\n=1+1,5\n",
        LIMITS,
        "No structure column",
    ),
]


@pytest.mark.parametrize(
    ("filename", "build", "limits", "expected"),
    CASES,
    ids=[f"{i:02d}-{c[3][:40]}" for i, c in enumerate(CASES)],
)
def test_hostile_upload_is_refused_with_a_clear_message(
    filename, build, limits, expected, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    result = parse_upload(build(), filename, limits)
    assert not result.ok
    assert result.dataset is None
    messages = [p.message for p in result.problems]
    assert any(expected in m for m in messages), messages
    assert list(tmp_path.iterdir()) == []


def test_there_are_at_least_fifty_hostile_files():
    assert len(CASES) >= 50


def test_hostile_formulas_are_dropped_row_by_row_with_reasons():
    bad = [
        "Fe1e400",
        "Fe0O",
        "((((((Fe))))))",
        "Fe" * 60,
        "Fe99999999",
        "Fe-1",
        "H2O+",
        "Fe2O3·H2O",
    ]
    rows = [*((b, 1.0) for b in bad), *GOOD_FORMULAS]
    result = parse_upload(csv_text(rows, ("formula", "gap")).encode(), "x.csv", LIMITS)
    assert result.ok
    reasons = [w.message.split("(", 1)[-1] for w in result.warnings[: len(bad)]]
    assert reasons[0].startswith("'e' is not an element symbol")
    assert reasons[1].startswith("an amount is 0")
    assert "nested more than 4 deep" in result.warnings[2].message
    assert "longer than 100 characters" in result.warnings[3].message
    assert "implausibly large" in result.warnings[4].message
    assert "the character '-' cannot appear" in result.warnings[5].message
    assert result.dataset.rows == len(GOOD_FORMULAS)


def test_hostile_smiles_are_dropped_row_by_row_with_reasons():
    bad = ["C" * 2000, "C1" * 50, "CCO ethanol", "1234", "c1cccc1", "[Xx]", "=HYPERLINK(1)"]
    rows = [*((b, 1.0) for b in bad), *GOOD_SMILES]
    result = parse_upload(csv_text(rows, ("smiles", "y")).encode(), "x.csv", LIMITS)
    assert result.ok
    messages = [w.message for w in result.warnings]
    assert "longer than 1000 characters" in messages[0]
    assert (
        "'CCO ethanol' is not a valid SMILES string (a SMILES string has no spaces)" in messages[2]
    )
    assert "(it is a number)" in messages[3]
    assert all("RDKit cannot read it" in messages[i] for i in (1, 4, 5, 6))
    assert result.dataset.rows == len(GOOD_SMILES)


def test_a_huge_value_is_shortened_in_its_message():
    rows = [*GAPS, ("Fe" * 500, 1.0)]
    result = parse_upload(csv_text(rows, ("formula", "gap")).encode(), "x.csv", LIMITS)
    assert len(result.warnings[0].message) < 200


def test_control_characters_in_a_cell_do_not_reach_the_message():
    rows = [*GAPS, ("Fe\x1b[31mO", 1.0)]
    result = parse_upload(csv_text(rows, ("formula", "gap")).encode(), "x.csv", LIMITS)
    assert "\x1b" not in result.warnings[0].message
    assert "'Fe?[31mO' is not a chemical formula" in result.warnings[0].message


def test_a_missing_sheet_names_the_sheets_there_are():
    result = parse_upload(workbook(), "x.xlsx", LIMITS, sheet="Nope")
    assert result.problems[0].message == (
        "The workbook has no sheet named 'Nope'; its sheets are 'gaps'."
    )


def test_ragged_rows_are_listed_by_row_with_a_summary():
    text = "formula,gap\n" + "".join(f"NaCl,{i},{i}\n" for i in range(150))
    problems = parse_upload(text.encode(), "x.csv", LIMITS).problems
    assert problems[0].message.startswith("150 row(s) do not match the header")
    assert [p.row for p in problems[1:4]] == [1, 2, 3]
    assert problems[-1].message == "... and 50 more rows that do not match the header."

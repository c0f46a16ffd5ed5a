"""Property-based fuzzing of the upload parser: any bytes give a dataset or problems, never a crash."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.engine.data.upload import UploadLimits, parse_upload
from dashboard.engine.data.upload.structures import formula_problem, smiles_problem
from tests.unit.test_upload import GAPS, csv_text, parquet_bytes, xlsx_bytes
from tests.unit.test_upload_malformed import rezip

LIMITS = UploadLimits(max_bytes=200_000, max_rows=500, max_columns=50)
# Local runs explore new random inputs each time; CI (CI=true) replays a fixed sequence, so that a
# landing is judged on the same inputs it was tested with.
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NAMES = st.sampled_from(["x.csv", "x.tsv", "x.txt", "x.xlsx", "x.parquet", "x", "../x.csv"])
CELLS = st.one_of(
    st.sampled_from(["NaCl", "Fe2O3", "Fe2Ox", "CCO", "c1ccccc1", "C1CC", "(((Fe", "=1+1", ""]),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "N/A", "-", "1,5", '"', '""', "\x00", "é"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.text(max_size=12),
)
DELIMITERS = st.sampled_from([",", ";", "\t", "|", " "])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"])
WORKBOOK = xlsx_bytes({"s": [("formula", "gap"), *GAPS]})
SHEET_PART = "xl/worksheets/sheet1.xml"
with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as _archive:
    SHEET_XML = _archive.read(SHEET_PART).decode()
PARQUET = parquet_bytes(
    pd.DataFrame({"formula": [f for f, _ in GAPS], "gap": [g for _, g in GAPS]})
)


def assert_dataset_or_problems(result) -> None:
    """The parser's contract: a usable dataset, or a non-empty list of problems; JSON-ready."""
    json.dumps(result.to_dict())
    if not result.ok:
        assert result.dataset is None
        assert result.problems and all(p.message for p in result.problems)
        return
    data = result.dataset
    assert data.rows >= 5 and data.target_columns
    for column in data.feature_columns:
        assert np.isfinite(data.frame[column].to_numpy(dtype=float)).all()
    for column in data.target_columns:  # a number, or not measured yet (a campaign candidate)
        assert not np.isinf(data.frame[column].to_numpy(dtype=float)).any()
    check = {"composition": formula_problem, "smiles": smiles_problem}.get(data.structure_kind)
    if check:
        assert all(check(v) is None for v in data.frame[data.structure_column])


@FUZZ
@given(content=st.binary(max_size=3000), name=NAMES)
def test_hostile_fuzz_any_bytes_give_a_dataset_or_problems(content, name):
    assert_dataset_or_problems(parse_upload(content, name, LIMITS))


@settings(FUZZ, max_examples=250)
@given(
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=0, max_size=12),
    header=st.lists(
        st.sampled_from(["formula", "smiles", "gap", "y", "id", "", "gap"]), max_size=5
    ),
    sep=DELIMITERS,
    encoding=ENCODINGS,
    name=NAMES,
)
def test_hostile_fuzz_table_like_text_gives_a_dataset_or_problems(
    rows, header, sep, encoding, name
):
    text = "\n".join(sep.join(r) for r in ([header] if header else []) + rows)
    content = text.encode(encoding, errors="replace")
    assert_dataset_or_problems(parse_upload(content, name, LIMITS))


@FUZZ
@given(
    kind=st.sampled_from(["xlsx", "parquet"]),
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 10**6),
    name=st.sampled_from(["x.xlsx", "x.parquet"]),
)
def test_hostile_fuzz_damaged_workbooks_and_parquet_give_a_dataset_or_problems(
    kind, edits, cut, name
):
    data = bytearray(WORKBOOK if kind == "xlsx" else PARQUET)
    for position, value in edits:
        data[position % len(data)] = value
    content = bytes(data[: max(cut % (len(data) + 1), 1)]) if cut % 3 == 0 else bytes(data)
    assert_dataset_or_problems(parse_upload(content, name, LIMITS))


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 10**5), st.sampled_from(list('<>/"=rAZ019.-e ') + ["", "&lt;"])),
        min_size=1,
        max_size=4,
    )
)
def test_hostile_fuzz_a_hand_damaged_sheet_gives_a_dataset_or_problems(edits):
    xml = SHEET_XML
    for position, text in edits:
        at = position % len(xml)
        xml = xml[:at] + text + xml[at + 1 :]
    content = rezip(WORKBOOK, {SHEET_PART: xml.encode()})
    assert_dataset_or_problems(parse_upload(content, "x.xlsx", LIMITS))


@settings(FUZZ, max_examples=60)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([f for f, _ in GAPS] + ["Xx", ""]), CELLS), max_size=30
    ),
)
def test_hostile_fuzz_a_formula_column_with_messy_targets(rows):
    content = csv_text(rows, ("formula", "gap")).encode()
    assert_dataset_or_problems(parse_upload(content, "x.csv", LIMITS))

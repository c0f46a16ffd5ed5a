"""Readers of delimited text and Parquet: bytes in, a RawTable (header + rows of cells) out.

Each reader enforces the row and column limits while it reads and raises Rejected with the rows
at fault (for example rows with more or fewer fields than the header). The Excel reader, which
needs more care, is in `xlsx.py`.
"""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.engine.data.upload.limits import (
    UploadLimits,
    check_cells,
    check_width,
    size_text,
    too_many_rows,
)
from dashboard.engine.data.upload.problems import Problem, Rejected, listed
from dashboard.engine.data.upload.sniff import not_a_table

Cell = str | float | None
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}
_SNIFF_CHARS = 65_536
_SNIFF_RECORDS = 50


@dataclass
class RawTable:
    """Cells as read, before typing: `rows[i]` has one cell per header field.

    `row_numbers[i]` is the 1-based data row of `rows[i]` (blank rows keep their number, so it
    matches the row a user sees in a spreadsheet under the header). `decimal_comma` says that
    numbers may be written '1,5'; `delimiter` is the text file's (a comma for other formats).
    """

    header: list[str]
    rows: list[list[Cell]]
    row_numbers: list[int]
    decimal_comma: bool = False
    notes: list[Problem] = field(default_factory=list)
    delimiter: str = ","


def ragged_rows(problems: list[Problem], width: int, how: str) -> Rejected:
    """Reject a table whose rows do not match the header, listing the rows."""
    hint = (
        " Is the first line a title or a comment? The column names must come first."
        if width == 1
        else ""
    )
    summary = Problem(
        None,
        None,
        f"{len(problems):,} row(s) do not match the header, which has {_count(width, 'column')} "
        f"{how}. Every row needs one value (possibly empty) per column.{hint}",
    )
    return Rejected([summary, *listed(problems, "rows that do not match the header")])


def read_delimited(text: str, limits: UploadLimits, preferred: str = ",") -> RawTable:
    """Read CSV/TSV text with the delimiter sniffed among , ; tab |."""
    reason = not_a_table(text)
    if reason:
        raise Rejected(reason)
    if not text.strip():
        raise Rejected("The file is empty.")
    delimiter = sniff_delimiter(text, preferred)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows, numbers, ragged = [], [], []
    record = 0
    try:
        for fields in reader:
            if header is None:
                if any(f.strip() for f in fields):
                    header = fields
                    check_width(len(header), limits)
                    check_cells(text.count("\n"), len(header), limits, about=True)
                continue
            record += 1
            if record > limits.max_rows:
                raise too_many_rows(limits)
            check_cells(record, len(header), limits)
            if not any(f.strip() for f in fields):
                continue
            fields = _without_empty_extras(fields, len(header))
            if len(fields) != len(header):
                ragged.append(
                    Problem(
                        record,
                        None,
                        f"row {record} has {_count(len(fields), 'field')} but the header has {len(header)}",
                    )
                )
                continue
            rows.append(fields)
            numbers.append(record)
    except csv.Error as err:
        row = record + 1 if header is not None else None
        where = f"row {row}" if row else "the header line"
        raise Rejected([Problem(row, None, f"{where}: {_explain_csv_error(err)}")]) from None
    if header is None:
        raise Rejected("The file is empty: it holds only delimiters and blank lines.")
    if ragged:
        raise ragged_rows(ragged, len(header), f"separated by {DELIMITER_NAMES[delimiter]}")
    return RawTable(header, rows, numbers, decimal_comma=delimiter == ";", delimiter=delimiter)


def sniff_delimiter(text: str, preferred: str = ",") -> str:
    """The delimiter that splits the header into 2+ fields and most other lines alike."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > len(sample):
        sample = sample.rsplit("\n", 1)[0]
    order = (preferred, *(d for d in DELIMITERS if d != preferred))
    best, best_score = preferred, None
    for rank, delimiter in enumerate(order):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            records = [r for r in itertools.islice(reader, 2 * _SNIFF_RECORDS) if any(r)]
        except csv.Error:
            continue
        records = records[:_SNIFF_RECORDS]
        width = len(records[0]) if records else 0
        if width < 2:
            continue
        body = records[1:]
        share = sum(len(_without_empty_extras(r, width)) == width for r in body) / max(len(body), 1)
        score = (share if body else 1.0, width, -rank)
        if best_score is None or score > best_score:
            best, best_score = delimiter, score
    return best


def _without_empty_extras(fields: list[str], width: int) -> list[str]:
    """Drop empty fields beyond the header's width (a trailing delimiter is not a new column)."""
    if len(fields) > width and not any(f.strip() for f in fields[width:]):
        return fields[:width]
    return fields


def _explain_csv_error(err: csv.Error) -> str:
    text = str(err)
    if "field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in text:
        return 'a quote (") is opened but never closed'
    if "expected after" in text:
        return 'text follows a closing quote ("); double any quote inside a quoted cell'
    return f"the line cannot be read as CSV ({text})"


def read_parquet(content: bytes, limits: UploadLimits) -> RawTable:
    """Read a Parquet file, checking its declared size, rows and columns before loading it."""
    try:
        parquet = pq.ParquetFile(pa.BufferReader(content))
        meta, schema = parquet.metadata, parquet.schema_arrow
    except Exception as err:  # pyarrow raises several types for damaged files
        raise Rejected(f"The Parquet file is damaged and cannot be read ({err}).") from None
    if meta.num_rows > limits.max_rows:
        raise too_many_rows(limits)
    check_width(len(schema), limits)
    check_cells(meta.num_rows, len(schema), limits)
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > limits.max_unpacked_bytes:
        raise Rejected(
            f"Unpacked, the Parquet file would take {size_text(unpacked)}, more than the "
            f"{size_text(limits.max_unpacked_bytes)} accepted."
        )
    refused = [_refused_type(f) for f in schema]
    if any(refused):
        raise Rejected(
            [Problem(None, f.name, r) for f, r in zip(schema, refused, strict=True) if r]
        )
    try:
        table = parquet.read()
        columns = [_arrow_cells(table.column(i)) for i in range(table.num_columns)]
    except Exception as err:  # damaged pages, unsupported codecs, text that is not UTF-8
        raise Rejected(f"The Parquet file is damaged and cannot be read ({err}).") from None
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    return RawTable([str(n) for n in table.column_names], rows, list(range(1, len(rows) + 1)))


def _refused_type(arrow_field: pa.Field) -> str | None:
    kind = arrow_field.type
    if isinstance(kind, pa.ExtensionType):
        return f"column '{arrow_field.name}' has a custom (extension) type, which is not read here"
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_nested(kind):
        return f"column '{arrow_field.name}' holds nested values (lists or records), not one value"
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return f"column '{arrow_field.name}' holds binary data, not numbers or text"
    if pa.types.is_fixed_size_binary(kind):
        return f"column '{arrow_field.name}' holds binary data, not numbers or text"
    return None


def _arrow_cells(column: pa.ChunkedArray) -> list[Cell]:
    """One Parquet column as cells: floats for numbers (NaN for nulls), text for the rest."""
    if pa.types.is_dictionary(column.type):
        column = pa.chunked_array([c.dictionary_decode() for c in column.chunks])
    kind = column.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return column.cast(pa.float64(), safe=False).to_numpy().tolist()
    if pa.types.is_null(kind):
        return [None] * len(column)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        try:
            column = column.cast(pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return [None if v is None else str(v) for v in column.to_pylist()]
    return column.to_pylist()


def _count(count: int, noun: str) -> str:
    """'1 field', '3 fields'."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"

"""Read an Excel workbook safely: check the ZIP container and its XML before openpyxl opens it.

An .xlsx file is a ZIP archive of XML parts. A hostile one can be a zip bomb (a few kilobytes that
unpack to gigabytes) or carry a 'billion laughs' XML entity expansion. So, before openpyxl sees the
file: the declared unpacked size and the compression ratio of every part are bounded, only the
deflate method Excel uses is allowed, and no XML part may declare a DOCTYPE or ENTITY (Excel never
writes one). openpyxl then parses with defusedxml, a second line of defence.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Iterator
from zipfile import ZipFile

import openpyxl
from openpyxl.utils import get_column_letter

from dashboard.engine.data.upload.limits import (
    MB,
    UploadLimits,
    check_cells,
    check_width,
    size_text,
    too_many_rows,
)
from dashboard.engine.data.upload.problems import Problem, Rejected
from dashboard.engine.data.upload.readers import Cell, RawTable, ragged_rows

MAX_PARTS = 10_000
EXCEL_MAX_ROWS = 1_048_576
RATIO_CHECKED_FROM = MB
"""Parts smaller than this unpack to little whatever their ratio, so their ratio is not checked."""
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_CHUNK = MB
_OTHER_ZIPS = {
    "word/document.xml": "a Word document",
    "ppt/presentation.xml": "a PowerPoint presentation",
    "content.xml": "an OpenDocument file (save it as .xlsx)",
}


def read_xlsx(content: bytes, limits: UploadLimits, sheet: str | None = None) -> RawTable:
    """Read the first worksheet (or the one named `sheet`) of a checked workbook."""
    book = _open_workbook(content, limits)
    try:
        return _read_sheet(_choose_sheet(book, sheet), limits)
    finally:
        book.close()


def worksheet_names(content: bytes, limits: UploadLimits) -> list[str]:
    """Names of the worksheets (not charts) of a checked workbook, in order."""
    book = _open_workbook(content, limits)
    try:
        return [sheet.title for sheet in book.worksheets]
    finally:
        book.close()


def _open_workbook(content: bytes, limits: UploadLimits) -> openpyxl.Workbook:
    """openpyxl's read-only workbook, once the ZIP container and its XML have passed the checks."""
    with _open_zip(content) as archive:
        _check_directory(archive, limits)
        _refuse_xml_declarations(archive)
    try:
        return openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True, keep_links=False
        )
    except Exception as err:  # openpyxl raises many types on malformed workbooks
        raise Rejected(f"The workbook cannot be read ({type(err).__name__}: {err}).") from None


def _open_zip(content: bytes) -> ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise Rejected("The workbook is damaged: it is not a readable ZIP archive.") from None


def _check_directory(archive: ZipFile, limits: UploadLimits) -> None:
    """Bound the parts' number, unpacked size and compression ratio before anything is unpacked."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise Rejected(f"The workbook holds {len(parts):,} parts; a spreadsheet has far fewer.")
    names = {p.filename for p in parts}
    other = next((what for name, what in _OTHER_ZIPS.items() if name in names), None)
    if other or "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise Rejected(f"The file is {other or 'a ZIP archive'}, not an Excel workbook.")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.max_unpacked_bytes:
        raise Rejected(
            f"Unpacked, the workbook would take {size_text(unpacked)}, more than the "
            f"{size_text(limits.max_unpacked_bytes)} accepted (a 'zip bomb' looks like this). "
            "Save a smaller sheet, or the table as CSV."
        )
    for part in parts:
        _check_part(part, limits)


def _check_part(part: zipfile.ZipInfo, limits: UploadLimits) -> None:
    if part.flag_bits & 0x1:
        raise Rejected("The workbook is encrypted; remove its password and save it again.")
    if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Rejected(
            f"The workbook part '{part.filename}' uses a compression Excel does not write; "
            "save the workbook again from a spreadsheet program."
        )
    ratio = part.file_size / max(part.compress_size, 1)
    if part.file_size > RATIO_CHECKED_FROM and ratio > limits.max_compression_ratio:
        raise Rejected(
            f"The workbook part '{part.filename}' is compressed {ratio:,.0f} times, far more than "
            "real spreadsheets are: the file looks like a zip bomb and is not opened."
        )


def _refuse_xml_declarations(archive: ZipFile) -> None:
    """Reject any XML part with a DOCTYPE or ENTITY declaration (entity-expansion attacks)."""
    for part in archive.infolist():
        if not part.filename.lower().endswith(_XML_SUFFIXES):
            continue
        tail = b""
        try:
            with archive.open(part) as stream:
                while chunk := stream.read(_CHUNK):
                    window = (tail + chunk).lower()
                    if any(d in window for d in _DECLARATIONS):
                        raise Rejected(
                            f"The workbook part '{part.filename}' declares a DOCTYPE or ENTITY. "
                            "Excel never writes these; they are used for 'billion laughs' "
                            "attacks, so the file is not opened."
                        )
                    tail = window[-32:]
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
            raise Rejected(
                f"The workbook is damaged: its part '{part.filename}' cannot be unpacked."
            ) from None


def _choose_sheet(book: openpyxl.Workbook, sheet: str | None):
    if sheet is None:
        if not book.worksheets:
            raise Rejected("The workbook has no worksheet with a table.")
        return book.worksheets[0]
    if sheet not in book.sheetnames:
        names = ", ".join(f"'{n}'" for n in book.sheetnames)
        raise Rejected(f"The workbook has no sheet named '{sheet}'; its sheets are {names}.")
    chosen = book[sheet]
    if chosen not in book.worksheets:
        raise Rejected(f"The sheet '{sheet}' is a chart, not a table.")
    return chosen


def _read_sheet(worksheet, limits: UploadLimits) -> RawTable:
    """The sheet's cells; any error of openpyxl while it streams the sheet is a problem."""
    _check_declared_size(worksheet, limits)
    worksheet.reset_dimensions()
    try:
        return _collect_rows(worksheet.iter_rows(values_only=True), limits)
    except Rejected:
        raise
    except Exception as err:  # malformed cell references, styles or values deep in the XML
        raise Rejected(f"The sheet cannot be read ({type(err).__name__}: {err}).") from None


def _check_declared_size(worksheet, limits: UploadLimits) -> None:
    """Refuse at once a sheet whose own dimension (the `<dimension ref="A1:H1625000">` Excel
    writes) is beyond the row or cell budget, instead of after streaming a million cells (a
    13 M-cell sheet took 150 s and 1.2 GB). A missing or understated dimension is only a hint:
    the rows are counted again while they stream."""
    rows, width = worksheet.max_row, worksheet.max_column
    if not (isinstance(rows, int) and isinstance(width, int)) or rows < 2:
        return
    if rows - 1 > limits.max_rows:
        raise too_many_rows(limits)
    check_cells(rows - 1, width, limits, about=True)


def _collect_rows(sheet_rows: Iterator[tuple], limits: UploadLimits) -> RawTable:
    """Header = first non-empty row; rows shorter than it are padded (empty trailing cells)."""
    header: list[str] | None = None
    rows, numbers, ragged = [], [], []
    record = 0
    for line, values in enumerate(sheet_rows, start=1):
        if line > EXCEL_MAX_ROWS:
            raise Rejected(
                f"The sheet has rows beyond row {EXCEL_MAX_ROWS:,}, which Excel never writes: "
                "the file is damaged."
            )
        cells = _without_trailing_none(values)
        if header is None:
            if cells:
                check_width(len(cells), limits)
                header = [_header_text(c) for c in cells]
            continue
        record += 1
        if not cells:
            continue
        if len(rows) + len(ragged) >= limits.max_rows:
            raise too_many_rows(limits)
        check_cells(record, len(header), limits)
        if len(cells) > len(header):
            letter = get_column_letter(len(cells))
            ragged.append(
                Problem(
                    record,
                    None,
                    f"row {record} has a value in column {letter} "
                    f"but the header has only {len(header)} columns",
                )
            )
            continue
        rows.append([_cell(c) for c in cells] + [None] * (len(header) - len(cells)))
        numbers.append(record)
    if header is None:
        raise Rejected("The sheet is empty.")
    if ragged:
        raise ragged_rows(ragged, len(header), f"(columns A to {get_column_letter(len(header))})")
    return RawTable(header, rows, numbers)


def _without_trailing_none(values: tuple) -> list:
    cells = list(values)
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def _header_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _cell(value: object) -> Cell:
    """A workbook value as a cell: numbers as float, dates and the rest as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:
            return str(value)
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    return str(value)

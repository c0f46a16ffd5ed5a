"""A campaign file written back as it came: the EDBO+-style table a scientist keeps (every
candidate a row, measured values, PENDING or empty elsewhere), with only two things changed, the
values entered since it was read and the `priority` column, which marks the next batch.

Everything else is the user's own text, cell for cell: rows the check left out (an unreadable
temperature, 'n.d.' in the target), other objectives and their PENDING marks, the order of the
columns, numbers as they were written, the delimiter and the line ends. The file can be written
over the one it was read from and read again, one batch later; nothing is lost on the way.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dashboard.engine.data.upload import UploadLimits, read_raw
from dashboard.engine.data.upload.readers import Cell, RawTable
from dashboard.engine.data.upload.sniff import sniff_format
from dashboard.engine.data.upload.table import DECIMAL_COMMA, column_positions

PRIORITY_COLUMN = "priority"
NEXT, MEASURED, OTHER = 1, -1, 0
"""EDBO+'s priority marks: the rows to measure next, the rows measured, the other candidates."""


@dataclass(frozen=True)
class CampaignFile:
    """A campaign file as read: its cells (`raw`), where each column of its table stands in the
    file (`positions`, 0-based), the file's data row of each campaign row (`row_numbers`,
    1-based) and its line end."""

    raw: RawTable
    positions: dict[str, int]
    row_numbers: Sequence[int]
    newline: str = "\n"
    encoding: str = "utf-8"

    @classmethod
    def read(
        cls,
        content: bytes,
        filename: str,
        limits: UploadLimits,
        row_numbers: Sequence[int],
        sheet: str | None = None,
    ) -> CampaignFile:
        """The file's cells as written (a workbook's `sheet`, default the first); `row_numbers`
        as the upload check gives them (UploadResult.row_numbers). A workbook or Parquet file
        comes back as CSV."""
        raw = read_raw(content, filename, limits, sheet)
        positions, _warnings = column_positions(raw)
        if sniff_format(content, filename) in ("xlsx", "parquet"):
            return cls(raw, positions, row_numbers)
        encoding = encoding_of(content)
        newline = newline_of(content.decode(encoding, errors="replace"))
        return cls(raw, positions, row_numbers, newline, encoding)

    def encoded(self, text: str) -> bytes:
        """`text` in the file's own encoding (so Excel shows its °C as before); a character
        that encoding lacks (a value typed in another script) makes it UTF-8 with a BOM."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError:
            return text.encode("utf-8-sig")

    def text(
        self,
        target: str,
        entered: Mapping[int, float],
        measured: Sequence[int],
        pending: Sequence[int],
    ) -> str:
        """The file with `entered` {campaign row: value} in the target column and priorities:
        NEXT on `pending`, MEASURED on `measured` (every campaign row with a value), OTHER on
        the other campaign rows; a row the check left out keeps its priority cell (empty when
        the file had no priority column, which is then added as the last column)."""
        header = list(self.raw.header)
        column = self.positions[target]
        priority = self.positions.get(PRIORITY_COLUMN)
        written = self._mark_style(priority)
        value_text = self._number_style(column)
        if priority is None:
            priority = len(header)
            header.append(PRIORITY_COLUMN)
        marks = {row: OTHER for row in range(len(self.row_numbers))}
        marks |= {row: MEASURED for row in measured} | {row: NEXT for row in pending}
        by_number = {self.row_numbers[row]: row for row in range(len(self.row_numbers))}
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.raw.delimiter, lineterminator=self.newline)
        writer.writerow(header)
        lines = dict(zip(self.raw.row_numbers, self.raw.rows, strict=True))
        for number in range(1, max(lines, default=0) + 1):
            if number not in lines:  # a blank line of the file stays
                writer.writerow([])
                continue
            cells = [_text(cell) for cell in lines[number]]
            cells += [""] * (len(header) - len(cells))
            row = by_number.get(number)
            if row is not None:
                if row in entered:
                    cells[column] = value_text(entered[row])
                cells[priority] = written(marks[row])
            writer.writerow(cells)
        return out.getvalue()

    def _number_style(self, column: int) -> Callable[[float], str]:
        """Values written as the column writes its numbers: with a decimal comma where its
        numbers have one ('83,7', also quoted in a comma file), with a point where they have
        points, else as the file's delimiter suggests (a comma in a semicolon file). The column
        is read once per file written, not once per value."""
        written = [_text(row[column]) for row in self.raw.rows]
        commas = any(re.fullmatch(DECIMAL_COMMA, cell.strip()) for cell in written)
        points = any("." in cell for cell in written)
        comma = (commas and not points) if (commas or points) else self.raw.decimal_comma
        if comma:
            return lambda value: number_text(value).replace(".", ",")
        return number_text

    def _mark_style(self, priority: int | None) -> Callable[[int], str]:
        """Priorities written as the file writes them: '1.0' when its marks look so (EDBO+'s
        own files), else '1'; so a diff of two rounds shows only the marks that moved."""
        cells = [] if priority is None else [_text(row[priority]) for row in self.raw.rows]
        if any(cell.endswith(".0") for cell in cells):
            return lambda mark: f"{mark}.0"
        return str


def encoding_of(content: bytes) -> str:
    """The text encoding to write a file back in: as its byte-order mark says, else UTF-8 when
    it decodes so, else Windows-1252 (what the upload reader falls back to)."""
    boms = (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: its mark starts the same way
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if content.startswith(bom):
            return encoding
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def newline_of(text: str) -> str:
    """The line end of a text's first line: '\\r\\n' or '\\n'."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def number_text(value: float) -> str:
    """A measured value as a person writes it: '42' for 42.0, '77.6' for 77.6."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _text(cell: Cell) -> str:
    """A cell as written (text files), or a spreadsheet's number or empty cell as text."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        return number_text(cell) if cell == cell else ""
    return str(cell)

"""The bytes of an uploaded file -> a Dataset, or a list of problems by row and column.

The pipeline, each step in its own module: `sniff` (what the bytes are, how text is encoded),
`readers`/`xlsx` (cells, with the size, row and column limits), `table` (names and types),
`roles` (structure, targets, features, id; unusable rows dropped with a reason each).
The parser is pure: it writes nothing, keeps no state, never unpickles or evaluates anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from dashboard.engine.problems import Problem, Rejected, UploadResult
from dashboard.engine.readers import MB, RawTable, read_delimited, read_parquet, too_big
from dashboard.engine.roles import Roles, apply_roles, detect_roles
from dashboard.engine.sniff import decode_text, safe_title, sniff_format
from dashboard.engine.table import Table, build_table
from dashboard.engine.xlsx import read_xlsx, worksheet_names

__all__ = [
    "Problem",
    "Roles",
    "Table",
    "UploadLimits",
    "UploadResult",
    "apply_roles",
    "detect_roles",
    "parse_upload",
    "sheet_names",
]


@dataclass(frozen=True)
class UploadLimits:
    """How big an upload may be. The unpacked size and compression ratio guard XLSX/Parquet."""

    max_bytes: int = 50 * MB
    max_rows: int = 200_000
    max_columns: int = 2_000
    max_unpacked_bytes: int = 256 * MB
    max_compression_ratio: float = 200.0

    @classmethod
    def from_settings(cls, settings) -> UploadLimits:
        """Limits from `dashboard.settings.Settings` (MI_UPLOAD_MAX_MB, _ROWS, _COLUMNS)."""
        return cls(
            max_bytes=settings.upload_max_bytes,
            max_rows=settings.upload_max_rows,
            max_columns=settings.upload_max_columns,
        )


def parse_upload(
    content: bytes,
    filename: str,
    limits: UploadLimits,
    sheet: str | None = None,
    dataset_id: str = "upload",
) -> UploadResult:
    """Read, type and check an uploaded table; see UploadResult for what comes back.

    `filename` only names the dataset (folders stripped) and picks the reader by its extension;
    `sheet` chooses an Excel sheet (default: the first).
    """
    title = safe_title(filename)
    try:
        raw = _read(content, title, limits, sheet)
        table, name_warnings = build_table(raw, title)
    except Rejected as rejected:
        return UploadResult(problems=rejected.problems)
    result = apply_roles(table, detect_roles(table.frame), dataset_id=dataset_id)
    notes = raw.notes + name_warnings
    if result.ok:
        result.warnings = notes + result.warnings
    return result


def sheet_names(content: bytes, filename: str, limits: UploadLimits) -> list[str]:
    """The worksheets an Excel upload offers (for a sheet picker); [] for other or bad files."""
    if len(content) > limits.max_bytes:
        return []
    try:
        if sniff_format(content, safe_title(filename)) != "xlsx":
            return []
        return worksheet_names(content, limits)
    except Rejected:
        return []


def _read(content: bytes, title: str, limits: UploadLimits, sheet: str | None) -> RawTable:
    if len(content) > limits.max_bytes:
        raise too_big(len(content), limits)
    if not content.strip():
        raise Rejected("The file is empty.")
    kind = sniff_format(content, title)
    if kind == "xlsx":
        return read_xlsx(content, limits, sheet)
    if kind == "parquet":
        return read_parquet(content, limits)
    text, notes = decode_text(content)
    preferred = "\t" if PurePosixPath(title.lower()).suffix in (".tsv", ".tab") else ","
    raw = read_delimited(text, limits, preferred)
    raw.notes = notes + raw.notes
    return raw

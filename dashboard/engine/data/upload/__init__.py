"""The bytes of an uploaded file -> a Dataset, or a list of problems by row and column.

The pipeline, each step in its own module: `sniff` (what the bytes are, how text is encoded),
`readers`/`xlsx` (cells, with the size, row and column limits), `table` (names and types),
`roles` (structure, targets, features, id), `result` (unusable rows dropped with a reason
each). `problems` and `limits` sit at the bottom; imports run one way, down this list.
The parser is pure: it writes nothing, keeps no state, never unpickles or evaluates anything.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from dashboard.engine.data.upload.limits import UploadLimits, too_big
from dashboard.engine.data.upload.problems import Problem, Rejected
from dashboard.engine.data.upload.readers import RawTable, read_delimited, read_parquet
from dashboard.engine.data.upload.result import UploadResult, apply_roles
from dashboard.engine.data.upload.roles import Roles, detect_roles, edit_roles
from dashboard.engine.data.upload.sniff import decode_text, safe_title, sniff_format
from dashboard.engine.data.upload.table import Table, build_table
from dashboard.engine.data.upload.xlsx import read_xlsx, worksheet_names

__all__ = [
    "Problem",
    "Roles",
    "Table",
    "UploadLimits",
    "UploadResult",
    "apply_roles",
    "detect_roles",
    "parse_upload",
    "read_raw",
    "sheet_names",
]


def parse_upload(
    content: bytes,
    filename: str,
    limits: UploadLimits,
    sheet: str | None = None,
    dataset_id: str = "upload",
    roles: dict | None = None,
) -> UploadResult:
    """Read, type and check an uploaded table; see UploadResult for what comes back.

    `filename` only names the dataset (folders stripped) and picks the reader by its extension;
    `sheet` chooses an Excel sheet; without it the first sheet is read, or when that holds no
    usable table (a workbook that opens with notes) the first sheet that does, with a note. `roles`
    are roles the user gives, which win over the detected ones (see `edit_roles`).
    """
    result = _parse(content, filename, limits, sheet, dataset_id, roles)
    if result.ok or sheet is not None:
        return result
    sheets = sheet_names(content, filename, limits)
    if len(sheets) < 2:
        return result
    for other in sheets[1:]:
        found = _parse(content, filename, limits, other, dataset_id, roles)
        if found.ok:
            note = f"Read the sheet '{other}': the first, '{sheets[0]}', holds no usable table."
            found.warnings.insert(0, Problem(None, None, note))
            return found
    names = ", ".join(f"'{name}'" for name in sheets)
    note = f"No sheet of the workbook ({names}) holds a usable table; the first one was checked."
    result.problems.append(Problem(None, None, note))
    return result


def _parse(
    content: bytes,
    filename: str,
    limits: UploadLimits,
    sheet: str | None,
    dataset_id: str,
    roles: dict | None,
) -> UploadResult:
    title = safe_title(filename)
    try:
        raw = read_raw(content, title, limits, sheet)
        table, name_warnings = build_table(raw, title)
    except Rejected as rejected:
        return UploadResult(problems=rejected.problems)
    detected = detect_roles(table.frame)
    chosen = edit_roles(detected, **roles) if roles else detected
    result = apply_roles(table, chosen, dataset_id=dataset_id)
    notes = raw.notes + name_warnings
    result.sheet = sheet
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


def read_raw(content: bytes, title: str, limits: UploadLimits, sheet: str | None) -> RawTable:
    """The cells of an upload as written, before typing (Rejected when it is no table); a
    campaign file is written back from them."""
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

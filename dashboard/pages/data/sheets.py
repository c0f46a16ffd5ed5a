"""The sheet picker of an uploaded workbook: the upload is read from its first sheet (or the
first with a table), and a workbook of several sheets offers the others, each read from the
upload's kept bytes and added as a dataset of its own (the one read first stays)."""

from __future__ import annotations

import time
from pathlib import PurePosixPath

from dash import no_update

from components.problems import error_alert, problem_alert
from dashboard import catalog, runtime
from dashboard.engine.data.upload import UploadLimits, parse_upload, sheet_names
from dashboard.engine.data.upload.sniff import EXTENSIONS
from dashboard.pages.data.roles import own_meta, saved_meta
from dashboard.pages.data.upload import added_alert
from dashboard.store import SessionError, StorageError, UploadedFile

HIDDEN, SHOWN = {"display": "none"}, {}


def sheet_choices(key: str | None, sid: str | None) -> tuple[list[dict], str | None, dict]:
    """The sheets of the chosen upload's workbook, the one it was read from, and whether the
    picker shows: only for an upload from a workbook of two or more sheets."""
    found = _workbook(key, sid)
    if found is None:
        return [], None, HIDDEN
    _, meta, sheets = found
    options = [{"label": name, "value": name} for name in sheets]
    return options, _own_sheet(meta, sheets), SHOWN


def sheet_request(sheet: str | None, key: str | None, sid: str | None) -> dict:
    """What the reading job is to read when the user picked another sheet than the dataset's
    own (the picker showing the dataset's sheet after a change of dataset asks for nothing, so
    no job starts)."""
    found = _workbook(key, sid)
    if found is None or not sheet or sheet == _own_sheet(found[1], found[2]):
        return no_update
    return {"sheet": sheet, "key": key, "t": time.time()}


def read_sheet(sheet: str | None, key: str | None, sid: str | None):
    """Add the chosen sheet of the upload's workbook as a dataset and select it; a sheet that
    holds no usable table is reported and nothing changes. (message, refresh)."""
    found = _workbook(key, sid)
    if found is None or not sheet:
        return no_update, no_update
    uploaded, meta, sheets = found
    if sheet == _own_sheet(meta, sheets) or sheet not in sheets:
        return no_update, no_update  # the picker showing the dataset's own sheet
    rt = runtime.current()
    filename = str(meta.get("filename") or "workbook.xlsx")
    kept = _added_before(sid, filename, sheet, sheets[0], uploaded.content)
    if kept is not None:  # back to a sheet read before: that dataset, not a copy
        return no_update, {"select": catalog.UPLOAD + kept, "t": time.time()}
    limits = UploadLimits.from_settings(rt.settings)
    result = parse_upload(uploaded.content, filename, limits, sheet=sheet)
    what = f"sheet '{sheet}' of {filename}"
    if result.problems:
        problems = [p.to_dict() for p in result.problems]
        return problem_alert(f"The {what} was not added:", problems), no_update
    dataset = result.dataset.with_roles(title=f"{result.dataset.title} ({sheet})")
    try:
        with rt.store.lock(sid):
            new_meta = saved_meta({"filename": filename, "sheet": sheet}, result)
            original = UploadedFile(uploaded.content, result.row_numbers)
            new_key = rt.store.save_dataset(sid, dataset, new_meta, result.table.frame, original)
    except (StorageError, SessionError) as err:
        return error_alert(err), no_update
    message = added_alert(what, dataset.rows, result.warnings)
    return message, {"select": catalog.UPLOAD + new_key, "t": time.time()}


def _own_sheet(meta: dict, sheets: list[str]) -> str:
    """The sheet a dataset was read from (the first when none was named)."""
    return meta.get("sheet") or sheets[0]


def _added_before(
    sid: str | None, filename: str, sheet: str, first_sheet: str, content: bytes
) -> str | None:
    """The key of a dataset of the session read from this sheet of the same upload, if any
    (a dataset without a sheet was read from `first_sheet`)."""
    store = runtime.current().store
    for item in store.list_datasets(sid):
        same_name = item.get("filename") == filename
        if same_name and (item.get("sheet") or first_sheet) == sheet:
            kept = store.load_original(sid, item["key"])
            if kept is not None and kept.content == content:
                return item["key"]
    return None


def _workbook(key: str | None, sid: str | None) -> tuple[UploadedFile, dict, list[str]] | None:
    """The kept upload, its stored summary and its sheets, for an upload from a workbook of
    two or more sheets; else None."""
    if not (isinstance(key, str) and key.startswith(catalog.UPLOAD)):
        return None
    rt = runtime.current()
    try:
        meta = own_meta(sid, key)
        filename = str(meta.get("filename") or "")
        if EXTENSIONS.get(PurePosixPath(filename.lower()).suffix, "xlsx") != "xlsx":
            return None  # named .csv or .parquet, it was read as one: no sheets to offer
        uploaded = rt.store.load_original(sid, key.removeprefix(catalog.UPLOAD))
    except (SessionError, ValueError):
        return None
    if uploaded is None:
        return None
    sheets = sheet_names(uploaded.content, filename, UploadLimits.from_settings(rt.settings))
    return (uploaded, meta, sheets) if len(sheets) > 1 else None

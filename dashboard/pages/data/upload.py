"""Receiving an upload: decode the dropped file, parse it, and store it only when it is usable."""

from __future__ import annotations

import base64
import binascii

import dash_bootstrap_components as dbc
from dash import html

from components.problems import error_alert, problem_alert
from dashboard import runtime
from dashboard.engine.data.upload import UploadLimits, parse_upload
from dashboard.engine.data.upload.problems import Problem
from dashboard.pages.data.roles import saved_meta
from dashboard.store import SessionError, StorageError, UploadedFile


def receive_upload(
    contents: str | None, filename: str | None, sid: str | None
) -> tuple[object, str | None]:
    """Decode, parse and store one upload: (message for the page, new dataset key or None).

    The session's earlier datasets are untouched unless the file is usable, and then only a new
    dataset is added.
    """
    rt = runtime.current()
    try:
        rt.store.require(sid)
        content = _decode(contents)
    except (SessionError, ValueError) as err:
        return error_alert(err), None
    result = parse_upload(content, filename or "upload", UploadLimits.from_settings(rt.settings))
    if result.problems:
        return problem_alert(
            f"{_safe_name(filename)} was not added:", [p.to_dict() for p in result.problems]
        ), None
    try:
        with rt.store.lock(sid):
            meta = saved_meta({"filename": _safe_name(filename), "sheet": result.sheet}, result)
            original = UploadedFile(content, result.row_numbers)
            key = rt.store.save_dataset(sid, result.dataset, meta, result.table.frame, original)
    except StorageError as err:
        return error_alert(err), None
    return added_alert(_safe_name(filename), result.dataset.rows, result.warnings), key


def added_alert(what: str, rows: int, warnings: list[Problem]) -> dbc.Alert | html.Div:
    """Success, with the notes on the file (rows left out, unused columns) when it has some."""
    added = dbc.Alert(f"Added {what}: {rows:,} rows.", color="success", dismissable=True)
    if not warnings:
        return added
    notes = [w.to_dict() for w in warnings]
    return html.Div([added, problem_alert(f"Notes on {what}:", notes, color="warning")])


def _decode(contents: str | None) -> bytes:
    """The bytes of a dcc.Upload data URL."""
    if not contents or "," not in contents:
        raise ValueError("The upload arrived empty: please drop the file again.")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as err:
        raise ValueError("The upload arrived damaged: please drop the file again.") from err


def _safe_name(filename: str | None) -> str:
    """The file's base name, for messages only (never used as a path)."""
    name = (filename or "the file").replace("\\", "/").rsplit("/", 1)[-1]
    return name[:120] or "the file"

"""'Download campaign file': the file the user uploaded, written back as it came with the values
measured in this campaign and the next batch marked in its `priority` column (the EDBO+ form;
see engine/active_learning/campaign_file.py). Read back on the Data page, it is the same
campaign one batch later, and a colleague without the dashboard can read it too."""

from __future__ import annotations

from dash import dcc, no_update

from components.problems import error_alert
from dashboard import campaigns, catalog, runtime
from dashboard.engine.active_learning.campaign_file import CampaignFile
from dashboard.engine.active_learning.config import REAL
from dashboard.engine.data.upload import UploadLimits
from dashboard.engine.data.upload.problems import Rejected
from dashboard.store import SessionError, StorageError


def download(_clicks, sid):
    """(the campaign file as a download, no_update) or (no_update, a sentence why not)."""
    try:
        view = campaigns.view(sid)
        content, filename = campaign_file_bytes(view, sid)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err, color="warning")
    return dcc.send_bytes(content, filename, type="text/csv"), no_update


def campaign_file_bytes(view: campaigns.View, sid: str) -> tuple[bytes, str]:
    """The campaign file, in the upload's own encoding, and its name; ValueError when the
    dataset is not an upload kept with its file."""
    key = view.config.dataset_id
    if not key.startswith(catalog.UPLOAD):
        raise ValueError(
            "The campaign file is your own uploaded file written back; this campaign runs on a "
            "built-in dataset. Download the suggestions instead."
        )
    store, own_key = runtime.current().store, key.removeprefix(catalog.UPLOAD)
    uploaded = store.load_original(sid, own_key)
    if uploaded is None:
        raise ValueError(
            "This dataset was stored without its file (uploaded before files were kept): upload "
            "it again on the Data page to write the campaign back into it."
        )
    meta = store.dataset_meta(sid, own_key)
    name, sheet = str(meta.get("filename") or "campaign.csv"), meta.get("sheet")
    limits = UploadLimits.from_settings(runtime.current().settings)
    try:
        file = CampaignFile.read(uploaded.content, name, limits, uploaded.row_numbers, sheet)
    except Rejected as rejected:  # only if the limits were lowered since the upload
        raise ValueError(" ".join(p.message for p in rejected.problems)) from None
    history, picks = view.history, view.history[-1]["picks"]
    measured = [row for record in history for row in record["added"]]
    entered = {  # step 0 holds the values the file already had; a simulation adds none
        row: value
        for record in history[1:]
        for row, value in zip(record["added"], record["values"], strict=True)
        if view.config.mode == REAL
    }
    text = file.text(view.config.target, entered, measured, picks)
    return file.encoded(text), _next_name(name)


def _next_name(name: str) -> str:
    """'round1.xlsx' -> 'round1-next.csv': the file written is CSV, beside the user's own."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}-next.csv"

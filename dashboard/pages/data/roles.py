"""The role editor: which columns are inputs (structures, categorical, numeric), targets and id."""

from __future__ import annotations

import time
from dataclasses import replace

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html, no_update

from components.problems import error_alert, problem_alert
from dashboard import catalog, runtime
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.upload import Roles, Table, UploadResult, apply_roles
from dashboard.engine.data.upload.roles import MAX_LABELS
from dashboard.store import SessionError, StorageError

ROLE_FIELDS = (
    "structure_columns",
    "structure_kind",
    "categorical_columns",
    "feature_columns",
    "target_columns",
    "id_column",
)
KIND_OPTIONS = [
    {"label": "chemical formula (composition)", "value": "composition"},
    {"label": "molecule (SMILES)", "value": "smiles"},
    {"label": "none: no structure columns", "value": "none"},
]
NOTES_TITLE = "Notes on these roles:"
KIND_MISSING = (
    "Structure columns are chosen but Kind is 'none': choose how they are read (chemical "
    "formula or SMILES), or clear Structures."
)


def roles_form() -> html.Div:
    """One dropdown per role, filled by the page when a dataset is chosen, and Apply."""

    def field(label: str, control, help_text: str) -> dbc.Row:
        return dbc.Row(
            [dbc.Label(label, width=3), dbc.Col([control, dbc.FormText(help_text)], width=9)],
            className="mb-3",
        )

    return html.Div(
        [
            html.P(
                "The roles were detected from the file; correct them here if needed. The inputs "
                "(structures, categorical and numeric) are what a model learns from, the targets "
                "what it predicts. Each column has one role at most.",
                className="mi-explain",
            ),
            field(
                "Structures",
                dcc.Dropdown(id="data-role-structure_columns", multi=True),
                "Columns that say what each material or reaction component is, as formulas or "
                "SMILES (one column per component, all of one kind).",
            ),
            field(
                "Kind",
                dcc.Dropdown(id="data-role-structure_kind", options=KIND_OPTIONS, clearable=False),
                "How the structure columns are read and turned into features.",
            ),
            field(
                "Categorical inputs",
                dcc.Dropdown(id="data-role-categorical_columns", multi=True),
                "Text labels such as a base, a ligand or a solvent; each label becomes one model "
                f"input (one-hot encoded). At most {MAX_LABELS} labels per column: with more, "
                "most labels are seen in too few rows to learn from.",
            ),
            field(
                "Numeric inputs",
                dcc.Dropdown(id="data-role-feature_columns", multi=True),
                "Process settings (temperature, concentration) and descriptors, used as they are.",
            ),
            field(
                "Targets",
                dcc.Dropdown(id="data-role-target_columns", multi=True),
                "Numeric properties to predict or optimise; empty or PENDING cells mark rows not "
                "measured yet.",
            ),
            field(
                "Id",
                dcc.Dropdown(id="data-role-id_column"),
                "A name or label for each row (optional).",
            ),
            dbc.Button("Apply roles", id="data-roles-apply", color="primary"),
            html.Div(id="data-roles-message", className="mt-3"),
            html.Div(id="data-roles-notes", className="mt-3"),
        ],
        className="pt-3",
    )


def apply_role_edits(
    _clicks, structures, kind, categorical, features, targets, id_column, key, sid
):
    """Check the edited roles on the whole uploaded table; save the result (a copy for built-ins).

    Returns the message, the notes on the saved roles and the picker refresh. Rows left out for
    the old roles come back when the new roles can use them; refused roles change nothing.
    """
    structures = list(structures or [])
    kind = (kind or "none") if structures else "none"
    if kind == "none" and structures:
        return dbc.Alert(KIND_MISSING, color="danger"), no_update, no_update
    chosen = {
        "structure_kind": kind,
        "structure_columns": structures,
        "categorical_columns": list(categorical or []),
        "feature_columns": list(features or []),
        "target_columns": list(targets or []),
        "id_column": id_column,
    }
    store = runtime.current().store
    try:
        dataset = catalog.load(sid, key)
        own = key.startswith(catalog.UPLOAD)
        meta = own_meta(sid, key)
        roles = Roles(**chosen, units=dict(dataset.units), unused=dict(meta.get("unused", {})))
        table = _editable_table(store, sid, key, dataset) if own else _table_of(dataset)
        result = apply_roles(Table(table, dataset.title), roles, dataset.id, edited=True)
        if result.problems:
            alert = problem_alert(
                "These roles do not work:", [p.to_dict() for p in result.problems]
            )
            return alert, no_update, no_update
        new_key = _save(store, sid, key, dataset, result, meta, table)
    except (KeyError, ValueError, SessionError, StorageError) as err:
        return error_alert(err), no_update, no_update
    saved = f"Roles saved: {result.dataset.rows:,} rows used."
    notes = notes_alert([w.message for w in result.warnings])
    selected = catalog.UPLOAD + new_key
    refresh = {"select": selected, "saved": selected, "t": time.time()}
    return dbc.Alert(saved, color="success", dismissable=True), notes, refresh


def roles_message_on_pick(key: str | None, refresh: dict | None):
    """Clear the roles message when another dataset is picked, where it would be stale; keep it
    when the pick is the save's own (a save selects what it saved: a built-in's new copy)."""
    saved = (refresh or {}).get("saved")
    return no_update if saved is not None and saved == key else None


def _save(
    store,
    sid: str,
    key: str,
    dataset: Dataset,
    result: UploadResult,
    meta: dict,
    table: pd.DataFrame,
) -> str:
    """Store the checked roles: over the session's own upload, or as a copy of another dataset.
    Returns the session's key of the saved dataset."""
    edited = result.dataset.with_roles(title=dataset.title, source=dataset.source)
    with store.lock(sid):
        if key.startswith(catalog.UPLOAD):
            own_key = key.removeprefix(catalog.UPLOAD)
            kept = {k: v for k, v in meta.items() if k in ("filename", "sheet")}
            uploaded = store.load_original(sid, own_key)
            original = (
                None if uploaded is None else replace(uploaded, row_numbers=result.row_numbers)
            )
            store.replace_dataset(sid, own_key, edited, saved_meta(kept, result), table, original)
            return own_key
        copy = edited.with_roles(title=f"{dataset.title} (your roles)")
        return store.save_dataset(sid, copy, saved_meta({}, result), table)


def saved_meta(meta: dict, result: UploadResult) -> dict:
    """`meta` with the dataset's size (for the pickers) and its file's (rows left out are the
    difference), the notes on its roles and why detection left columns out, kept so that the
    page shows them again whenever the dataset is chosen."""
    notes = [w.message for w in result.warnings]
    return {
        **meta,
        "rows": result.dataset.rows,
        "file_rows": len(result.table.frame),
        "unused": dict(result.roles.unused),
        "notes": notes,
    }


def notes_alert(notes: list[str]) -> dbc.Alert | None:
    """The notes on a dataset's roles (rows left out, unused columns and why) as a warning list."""
    if not notes:
        return None
    return problem_alert(NOTES_TITLE, [{"message": n} for n in notes], color="warning")


def own_meta(sid: str | None, key: str) -> dict:
    """The stored summary of one of the session's own datasets (file name, sheet, rows, notes);
    {} for built-ins and keys the session does not have."""
    if not key.startswith(catalog.UPLOAD):
        return {}
    return runtime.current().store.dataset_meta(sid, key.removeprefix(catalog.UPLOAD))


def stored_notes(sid: str | None, key: str) -> list[str]:
    """The notes kept with one of the session's datasets ([] for built-ins and older uploads)."""
    try:
        return list(own_meta(sid, key).get("notes", []))
    except SessionError:
        return []


def _table_of(dataset: Dataset) -> pd.DataFrame:
    """A dataset's frame indexed by data row number (1-based), as the role checker expects."""
    return dataset.frame.set_axis(pd.RangeIndex(1, dataset.rows + 1), axis=0)


def _editable_table(store, sid: str, key: str, dataset: Dataset) -> pd.DataFrame:
    """The whole table an upload was made from (older uploads: the dataset's own rows)."""
    table = store.load_table(sid, key.removeprefix(catalog.UPLOAD))
    return _table_of(dataset) if table is None else table

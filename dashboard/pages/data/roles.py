"""The role editor: which column is the structure, the targets, the features and the id."""

from __future__ import annotations

import time

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html, no_update

from components.problems import problem_alert, reason
from dashboard import catalog, runtime
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.data.upload import Roles, Table, apply_roles
from dashboard.store import SessionError, StorageError

ROLE_FIELDS = (
    "structure_column",
    "structure_kind",
    "target_columns",
    "feature_columns",
    "id_column",
)
KIND_OPTIONS = [
    {"label": "chemical formula (composition)", "value": "composition"},
    {"label": "molecule (SMILES)", "value": "smiles"},
    {"label": "none: numeric features only", "value": "none"},
]


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
                "The roles were detected from the file; correct them here if needed.",
                className="mi-explain",
            ),
            field(
                "Structure",
                dcc.Dropdown(id="data-role-structure_column"),
                "The column that says what each material is.",
            ),
            field(
                "Kind",
                dcc.Dropdown(id="data-role-structure_kind", options=KIND_OPTIONS, clearable=False),
                "How the structure column is turned into features.",
            ),
            field(
                "Targets",
                dcc.Dropdown(id="data-role-target_columns", multi=True),
                "Numeric properties to predict or optimise.",
            ),
            field(
                "Features",
                dcc.Dropdown(id="data-role-feature_columns", multi=True),
                "Extra numeric inputs, used as they are.",
            ),
            field(
                "Id",
                dcc.Dropdown(id="data-role-id_column"),
                "A name or label for each row (optional).",
            ),
            dbc.Button("Apply roles", id="data-roles-apply", color="primary"),
            html.Div(id="data-roles-message", className="mt-3"),
        ],
        className="pt-3",
    )


def apply_role_edits(_clicks, structure, kind, targets, features, id_column, key, sid):
    """Check the edited roles on the whole uploaded table; save the result (a copy for built-ins).

    Rows left out for the old roles come back when the new roles can use them.
    """
    kind = kind or "none"
    roles = Roles(
        structure_column=None if kind == "none" else structure,
        structure_kind=kind,
        feature_columns=list(features or []),
        target_columns=list(targets or []),
        id_column=id_column,
    )
    store = runtime.current().store
    try:
        dataset = catalog.load(sid, key)
        own = key.startswith(catalog.UPLOAD)
        table = _editable_table(store, sid, key, dataset) if own else _table_of(dataset)
        roles.units = {c: u for c, u in dataset.units.items()}
        result = apply_roles(Table(table, dataset.title), roles, dataset_id=dataset.id)
        if result.problems:
            problems = [p.to_dict() for p in result.problems]
            return problem_alert("These roles do not work:", problems), no_update
        edited = result.dataset.with_roles(title=dataset.title, source=dataset.source)
        with store.lock(sid):
            if own:
                new_key = key.removeprefix(catalog.UPLOAD)
                meta = {k: v for k, v in _meta(store, sid, new_key).items() if k == "filename"}
                store.replace_dataset(sid, new_key, edited, meta, table)
            else:
                copy = edited.with_roles(title=f"{dataset.title} (your roles)")
                new_key = store.save_dataset(sid, copy, {}, table)
    except (KeyError, ValueError, SessionError, StorageError) as err:
        return dbc.Alert(reason(err), color="danger"), no_update
    note = dbc.Alert(f"Roles saved: {edited.rows:,} rows used.", color="success", duration=5000)
    if result.warnings:
        warned = [w.to_dict() for w in result.warnings]
        note = html.Div([note, problem_alert("Rows left out:", warned, color="warning")])
    return note, {"select": catalog.UPLOAD + new_key, "t": time.time()}


def _table_of(dataset: Dataset) -> pd.DataFrame:
    """A dataset's frame indexed by data row number (1-based), as the role checker expects."""
    return dataset.frame.set_axis(pd.RangeIndex(1, dataset.rows + 1), axis=0)


def _editable_table(store, sid: str, key: str, dataset: Dataset) -> pd.DataFrame:
    """The whole table an upload was made from (older uploads: the dataset's own rows)."""
    table = store.load_table(sid, key.removeprefix(catalog.UPLOAD))
    return _table_of(dataset) if table is None else table


def _meta(store, sid: str, key: str) -> dict:
    return next((item for item in store.list_datasets(sid) if item["key"] == key), {})

"""Data: pick a built-in dataset or upload one, see it in a virtualised table, set column roles."""

from __future__ import annotations

import base64
import binascii
import time

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Input, Output, State, dcc, html, no_update

from components.job_progress import JobProgress
from components.problems import problem_alert, reason
from dashboard import catalog, runtime
from dashboard.engine import summary
from dashboard.engine.dataset import Dataset
from dashboard.engine.export import to_safe_csv
from dashboard.engine.upload import Roles, Table, UploadLimits, apply_roles, parse_upload
from dashboard.figures import data as figures
from dashboard.jobs import reports_failures
from dashboard.store import SessionError, StorageError

DEFAULT_KEY = catalog.BUILTIN + "expt-gap"
GRID_BLOCK = 100
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


def register(app: Dash) -> None:
    dash.register_page(
        __name__, path="/data", name="Data", title="Data · MI Dashboard", order=1, layout=layout
    )
    _register_callbacks(app)


def layout(**_query) -> html.Div:
    settings = runtime.current().settings
    return html.Div(
        [
            html.H1("Data", className="h2"),
            html.P(
                "Everything the other pages learn from starts here: choose a built-in dataset or "
                "add your own. Your files stay on this server, in your session only.",
                className="mi-explain",
            ),
            dcc.Store(id="data-refresh"),
            dcc.Download(id="data-download"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            _picker_card(),
                            _upload_card(settings.upload_max_bytes, settings.upload_max_mb),
                        ],
                        lg=4,
                    ),
                    dbc.Col(
                        [
                            html.Div(id="data-headline", className="mb-2"),
                            dbc.Tabs(
                                [
                                    dbc.Tab(
                                        html.Div(id="data-grid-container", className="pt-2"),
                                        label="Table",
                                        tab_id="table",
                                    ),
                                    dbc.Tab(_roles_form(), label="Column roles", tab_id="roles"),
                                    dbc.Tab(
                                        html.Div(id="data-summary", className="pt-2"),
                                        label="Summary",
                                        tab_id="summary",
                                    ),
                                ],
                                id="data-tabs",
                                active_tab="table",
                            ),
                        ],
                        lg=8,
                    ),
                ],
                className="g-4",
            ),
        ]
    )


def _picker_card() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Dataset", className="h5"),
                dcc.Dropdown(
                    id="data-picker", clearable=False, persistence=True, persistence_type="local"
                ),
                html.Div(id="data-description", className="mi-explain mt-2"),
                html.Div(
                    [
                        dbc.Button(
                            "Download CSV",
                            id="data-download-button",
                            size="sm",
                            color="primary",
                            outline=True,
                            className="me-2",
                        ),
                        dbc.Button(
                            "Remove from my session",
                            id="data-remove-button",
                            size="sm",
                            color="danger",
                            outline=True,
                            disabled=True,
                        ),
                    ],
                    className="mt-3",
                ),
            ]
        ),
        className="mb-3",
    )


def _upload_card(max_bytes: int, max_mb: float) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Your own data", className="h5"),
                html.Div(
                    dcc.Upload(
                        id="data-upload",
                        children=html.Div(["Drop a file here or ", html.A("choose one", href="#")]),
                        className="mi-upload",
                        accept=".csv,.tsv,.txt,.xlsx,.parquet",
                        multiple=False,
                    ),
                    **{"data-max-bytes": str(max_bytes), "data-message-id": "data-upload-message"},
                ),
                html.P(
                    f"CSV, TSV, Excel (.xlsx) or Parquet, up to {max_mb:g} MB. One row per material: a "
                    "column of chemical formulas or SMILES (or numeric features) and at least one "
                    "numeric property.",
                    className="mi-explain mt-2 mb-0",
                ),
                JobProgress("data-upload"),
                html.Div(id="data-upload-message", className="mt-2"),
            ]
        )
    )


def _roles_form() -> html.Div:
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


def _register_callbacks(app: Dash) -> None:
    """Wire the page's callbacks (module-level functions, so tests can call them directly)."""
    app.callback(
        Output("data-picker", "options"),
        Output("data-picker", "value"),
        Input("session-id", "data"),
        Input("data-refresh", "data"),
        State("data-picker", "value"),
    )(refresh_picker)

    app.callback(
        Output("data-headline", "children"),
        Output("data-description", "children"),
        Output("data-grid-container", "children"),
        Output("data-summary", "children"),
        Output("data-remove-button", "disabled"),
        *(
            Output(f"data-role-{name}", "options")
            for name in ROLE_FIELDS
            if name != "structure_kind"
        ),
        *(Output(f"data-role-{name}", "value") for name in ROLE_FIELDS),
        Input("data-picker", "value"),
        State("session-id", "data"),
    )(show_dataset)

    app.callback(
        Output("data-grid", "getRowsResponse"),
        Input("data-grid", "getRowsRequest"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(grid_rows)

    app.callback(
        Output("data-upload-message", "children"),
        Output("data-refresh", "data"),
        Input("data-upload", "contents"),
        State("data-upload", "filename"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("data-upload"),
    )(upload)

    app.callback(
        Output("data-roles-message", "children"),
        Output("data-refresh", "data", allow_duplicate=True),
        Input("data-roles-apply", "n_clicks"),
        *(State(f"data-role-{name}", "value") for name in ROLE_FIELDS),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(apply_role_edits)

    app.callback(
        Output("data-download", "data"),
        Input("data-download-button", "n_clicks"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(download)

    app.callback(
        Output("data-refresh", "data", allow_duplicate=True),
        Input("data-remove-button", "n_clicks"),
        State("data-picker", "value"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(remove)


def refresh_picker(sid: str | None, refresh: dict | None, current: str | None):
    """The session's datasets; select a new upload, else keep the choice while it exists."""
    options = catalog.options(sid)
    keys = {option["value"] for option in options}
    wanted = (refresh or {}).get("select") if dash.ctx.triggered_id == "data-refresh" else current
    return options, wanted if wanted in keys else (current if current in keys else DEFAULT_KEY)


def show_dataset(key: str | None, sid: str | None):
    """Headline, table, summary and role editors of the chosen dataset."""
    try:
        dataset = catalog.load(sid, key)
    except (KeyError, ValueError, SessionError) as err:
        message = dbc.Alert(reason(err), color="warning")
        return (message, "", None, None, True, *([[]] * 4), *([None] * 5))
    columns = [{"label": str(c), "value": c} for c in dataset.frame.columns]
    return (
        _headline(dataset),
        dataset.source,
        _grid(dataset),
        _summary(dataset),
        not key.startswith(catalog.UPLOAD),
        columns,
        columns,
        columns,
        columns,
        dataset.structure_column,
        dataset.structure_kind,
        dataset.target_columns,
        dataset.feature_columns,
        dataset.id_column,
    )


def grid_rows(request: dict | None, key: str, sid: str):
    """One block of rows for the virtualised table, sorted as the table asks."""
    if not request:
        return no_update
    try:
        frame = catalog.load(sid, key).frame
    except (KeyError, ValueError, SessionError):
        return {"rowData": [], "rowCount": 0}
    for order in reversed(request.get("sortModel") or []):
        if order.get("colId") in frame.columns:
            frame = frame.sort_values(
                order["colId"],
                ascending=order.get("sort") != "desc",
                kind="stable",
                na_position="last",
            )
    start, end = int(request.get("startRow", 0)), int(request.get("endRow", GRID_BLOCK))
    block = frame.iloc[start:end]
    return {"rowData": _records(block), "rowCount": len(frame)}


@reports_failures(message_output=0, outputs=2)
def upload(set_progress, contents: str | None, filename: str | None, sid: str | None):
    """Parse the dropped file; store it only when it is usable, else list its problems."""
    set_progress((10, "reading the file"))
    message, key = receive_upload(contents, filename, sid)
    set_progress((100, "done"))
    return message, ({"select": catalog.UPLOAD + key, "t": time.time()} if key else no_update)


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


def download(_clicks, key: str, sid: str):
    """The chosen table as CSV, with spreadsheet formulas neutralised."""
    try:
        dataset = catalog.load(sid, key)
    except (KeyError, ValueError, SessionError):
        return no_update
    return {
        "content": to_safe_csv(dataset.frame),
        "filename": f"{dataset.id}.csv",
        "type": "text/csv",
    }


def remove(_clicks, key: str, sid: str):
    """Delete one of the session's own datasets."""
    if not (isinstance(key, str) and key.startswith(catalog.UPLOAD)):
        return no_update
    store = runtime.current().store
    try:
        with store.lock(sid):
            store.delete_dataset(sid, key.removeprefix(catalog.UPLOAD))
    except (ValueError, SessionError):
        return no_update
    return {"select": DEFAULT_KEY, "t": time.time()}


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
        return dbc.Alert(reason(err), color="danger"), None
    result = parse_upload(content, filename or "upload", UploadLimits.from_settings(rt.settings))
    if result.problems:
        return problem_alert(
            f"{_safe_name(filename)} was not added:", [p.to_dict() for p in result.problems]
        ), None
    try:
        with rt.store.lock(sid):
            key = rt.store.save_dataset(
                sid, result.dataset, {"filename": _safe_name(filename)}, result.table.frame
            )
    except StorageError as err:
        return dbc.Alert(str(err), color="danger"), None
    added = dbc.Alert(
        f"Added {_safe_name(filename)}: {result.dataset.rows:,} rows.",
        color="success",
        dismissable=True,
    )
    if result.warnings:
        note = problem_alert(
            f"{len(result.warnings)} row(s) were left out:",
            [w.to_dict() for w in result.warnings],
            color="warning",
        )
        return html.Div([added, note]), key
    return added, key


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


def _headline(dataset: Dataset) -> list:
    facts = summary.describe(dataset)
    badge = lambda text: dbc.Badge(text, color="secondary", className="me-2 fw-normal")  # noqa: E731
    return [
        html.H2(dataset.title, className="h4"),
        badge(f"{facts['rows']:,} rows"),
        badge(f"{facts['columns']} columns"),
        badge(f"structure: {facts['structure']} ({facts['structure_kind']})"),
        badge("targets: " + (", ".join(facts["targets"]) or "none")),
        badge(f"{facts['missing_cells']:,} missing cells"),
    ]


def _grid(dataset: Dataset) -> dag.AgGrid:
    """A fresh grid on the infinite row model: the browser holds only the rows in view."""
    column_defs = [
        {
            "field": str(c),
            "headerName": str(c),
            "sortable": True,
            "resizable": True,
            "filter": False,
            "headerTooltip": _role_of(dataset, c),
        }
        for c in dataset.frame.columns
    ]
    return dag.AgGrid(
        id="data-grid",
        columnDefs=column_defs,
        rowModelType="infinite",
        dashGridOptions={
            "cacheBlockSize": GRID_BLOCK,
            "maxBlocksInCache": 20,
            "rowBuffer": 20,
            "infiniteInitialRowCount": min(dataset.rows, GRID_BLOCK),
        },
        defaultColDef={"minWidth": 110, "flex": 1},
        className="ag-theme-alpine mi-grid",
    )


def _role_of(dataset: Dataset, column: str) -> str:
    if column == dataset.structure_column:
        return f"structure ({dataset.structure_kind})"
    if column in dataset.target_columns:
        unit = dataset.units.get(column)
        return f"target ({unit})" if unit else "target"
    if column in dataset.feature_columns:
        return "feature"
    return "id" if column == dataset.id_column else "not used"


def _summary(dataset: Dataset) -> list:
    graphs = [
        dcc.Graph(figure=figures.missing_values(dataset.frame), config={"displayModeBar": False})
    ]
    for target in dataset.target_columns:
        graphs.append(
            dcc.Graph(
                figure=figures.target_histogram(
                    dataset.frame[target], target, dataset.units.get(target, "")
                ),
                config={"displayModeBar": False},
            )
        )
    if dataset.structure_kind == "composition":
        counts = summary.element_counts(dataset.frame[dataset.structure_column])
        graphs.append(
            dcc.Graph(figure=figures.element_frequency(counts), config={"displayModeBar": False})
        )
    return graphs


def _records(block) -> list[dict]:
    """JSON-safe rows (NaN and inf as empty cells)."""
    cleaned = block.astype(object).where(block.notna(), None)
    return cleaned.to_dict("records")

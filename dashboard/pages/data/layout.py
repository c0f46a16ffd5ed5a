"""The Data page's layout: dataset picker, upload card, and the table, roles and summary tabs."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import remembered_choice
from components.fields import labelled
from components.job_progress import JobProgress
from dashboard import runtime
from dashboard.pages.data.roles import roles_form


def layout(**_query) -> html.Div:
    """Picker and upload on the left; headline and the Table, Column roles, Summary tabs."""
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
            dcc.Store(id="data-sheet-request"),
            dcc.Download(id="data-download"),
            dcc.ConfirmDialog(id="data-remove-confirm"),
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
                            html.Div(id="data-headline", className="mb-2 mi-headline"),
                            dbc.Tabs(
                                [
                                    dbc.Tab(
                                        html.Div(
                                            id="data-grid-container", className="pt-2 mi-grid-box"
                                        ),
                                        label="Table",
                                        tab_id="table",
                                    ),
                                    dbc.Tab(roles_form(), label="Column roles", tab_id="roles"),
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
                html.Div(dcc.Dropdown(id="data-picker", clearable=False), className="mi-control"),
                remembered_choice.memory("data-picker"),
                html.Div(
                    [
                        labelled(  # not dbc.Select: it always adds an empty first option
                            "Sheet of the workbook",
                            dcc.Dropdown(id="data-sheet", clearable=False, searchable=False),
                            "Another sheet is added as a dataset of its own.",
                        ),
                        JobProgress("data-sheet", "Reading the sheet"),
                    ],
                    id="data-sheet-row",
                    className="mt-2",
                    style={"display": "none"},
                ),
                html.Div(id="data-description", className="mi-explain mt-2 mi-three-lines"),
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
                html.Div(id="data-download-note", className="mi-explain mt-2"),
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
                    className="mi-upload-box",
                    **{"data-max-bytes": str(max_bytes), "data-message-id": "data-upload-message"},
                ),
                html.P(
                    f"CSV, TSV, Excel (.xlsx) or Parquet, up to {max_mb:g} MB. One row per material "
                    "or experiment: inputs (chemical formulas or SMILES, text labels such as a "
                    "solvent, numbers such as a temperature) and at least one numeric property.",
                    className="mi-explain mt-2 mb-0",
                ),
                JobProgress("data-upload", "Reading the upload"),
                html.Div(id="data-upload-message", className="mt-2"),
            ]
        )
    )

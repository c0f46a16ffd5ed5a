"""The Active Learning page's layout: the campaign form, the step buttons, the plots and the picks."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components.explained_graph import GRAPH_CONFIG, explained_graph
from components.job_progress import JobProgress
from dashboard.pages.active_learning.controls import campaign_controls

PLAY_INTERVAL_MS = 1500
COLOUR_BY = {"mean": "predicted mean", "std": "σ", "score": "acquisition score"}


def _buttons() -> html.Div:
    """Step, Run n steps, Play, Back, Reset, Export and Import."""
    button = {"size": "sm", "className": "me-1 mb-1"}
    return html.Div(
        [
            dbc.Button("Step", id="al-step", color="primary", **button),
            dbc.InputGroup(
                [
                    dbc.Button("Run", id="al-run", color="secondary"),
                    dbc.Input(
                        id="al-run-n",
                        type="number",
                        value=10,
                        min=1,
                        max=200,
                        style={"maxWidth": "5rem"},
                    ),
                    dbc.InputGroupText("steps"),
                ],
                size="sm",
                className="d-inline-flex w-auto me-1 mb-1",
            ),
            dbc.Button("Play", id="al-play", color="secondary", outline=True, **button),
            dbc.Button("Back", id="al-back", color="secondary", outline=True, **button),
            dbc.Button("Reset", id="al-reset", color="secondary", outline=True, **button),
            dbc.Button("Export JSON", id="al-export", color="secondary", outline=True, **button),
            dcc.Upload(
                dbc.Button("Import JSON", color="secondary", outline=True, size="sm"),
                id="al-import",
                accept=".json",
                className="d-inline-block me-1 mb-1",
            ),
            dcc.Interval(id="al-play-timer", interval=PLAY_INTERVAL_MS, disabled=True),
            JobProgress("al-run"),
        ]
    )


def layout(**_query) -> html.Div:
    """The page: the form on the left; the buttons, plots and suggestions on the right."""
    return html.Div(
        [
            html.H1("Active learning", className="h2"),
            html.P(
                "Choose a dataset and a target, start a campaign, then step: each step the model is "
                "refitted on what has been measured, scores every candidate and proposes the next "
                "batch. In simulated mode the dataset's known values are revealed as they are chosen.",
                className="mi-explain",
            ),
            dcc.Store(id="al-state"),
            dcc.Download(id="al-download"),
            dbc.Row(
                [
                    dbc.Col(campaign_controls(), lg=3),
                    dbc.Col(
                        [
                            _buttons(),
                            html.Div(id="al-message", className="mt-2"),
                            html.Div(id="al-status", className="my-2"),
                            html.Div(
                                id="al-results",
                                children=[
                                    html.Div(
                                        dcc.Slider(
                                            id="al-slider",
                                            min=0,
                                            max=0,
                                            step=1,
                                            value=0,
                                            marks=None,
                                            tooltip={
                                                "placement": "bottom",
                                                "always_visible": False,
                                            },
                                        ),
                                        className="mb-2",
                                    ),
                                    dbc.Row(
                                        [
                                            explained_graph(
                                                "al-parity",
                                                "Each dot is a material: its true value across, the model's "
                                                "prediction up, with ±σ bars. Measured rows (orange) should lie near the "
                                                "diagonal; long bars mean the model is unsure.",
                                            ),
                                            explained_graph(
                                                "al-ranked",
                                                "All candidates from best to worst predicted, with the ±σ "
                                                "band and the acquisition score; stars are the next picks. An explorer "
                                                "picks far down the list where σ is large.",
                                            ),
                                        ]
                                    ),
                                    dbc.Row(
                                        [
                                            dbc.Col(
                                                [
                                                    dbc.RadioItems(
                                                        id="al-map-colour",
                                                        value="mean",
                                                        inline=True,
                                                        options=[
                                                            {"label": v, "value": k}
                                                            for k, v in COLOUR_BY.items()
                                                        ],
                                                    ),
                                                    dcc.Graph(id="al-map", config=GRAPH_CONFIG),
                                                    html.P(
                                                        "The pool drawn in the two main directions of its features (PCA): "
                                                        "where the measured points sit, and where the model is sure.",
                                                        className="mi-explain",
                                                    ),
                                                ],
                                                lg=6,
                                            ),
                                            explained_graph(
                                                "al-best",
                                                "The best value found so far, and the share of the dataset's "
                                                "top k that has been measured, against random search over 10 seeds.",
                                            ),
                                        ]
                                    ),
                                    dbc.Row(
                                        [
                                            explained_graph(
                                                "al-quality",
                                                "R² and MAE on the not-yet-measured pool, and how often "
                                                "the truth falls within ±1σ and ±2σ: a calibrated model sits near 68 % "
                                                "and 95 %.",
                                            )
                                        ]
                                    ),
                                    html.H2("Next to measure", className="h5 mt-2"),
                                    html.P(id="al-suggestions-help", className="mi-explain"),
                                    dag.AgGrid(
                                        id="al-suggestions-grid",
                                        rowData=[],
                                        columnDefs=[],
                                        defaultColDef={"flex": 1, "minWidth": 90},
                                        dashGridOptions={"domLayout": "autoHeight"},
                                        className="ag-theme-alpine",
                                    ),
                                    dbc.Button(
                                        "Enter these values and step",
                                        id="al-enter",
                                        size="sm",
                                        color="primary",
                                        className="mt-2 me-2",
                                    ),
                                    dbc.Button(
                                        "Download suggestions (CSV)",
                                        id="al-suggestions-csv",
                                        size="sm",
                                        color="secondary",
                                        outline=True,
                                        className="mt-2",
                                    ),
                                    dcc.Download(id="al-suggestions-download"),
                                ],
                            ),
                        ],
                        lg=9,
                    ),
                ],
                className="g-4",
            ),
        ]
    )

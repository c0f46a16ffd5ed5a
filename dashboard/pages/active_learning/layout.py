"""The Active Learning page's layout: the guide, the step buttons (Start first), the summary line
and the best-so-far plot on the first screen; then the other plots, the picks and the settings."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import remembered_choice
from components.explained_graph import GRAPH_CONFIG, UNSEEN, explained_graph
from components.job_progress import JobProgress
from dashboard.pages.active_learning.config_form import GOAL_MEMORY
from dashboard.pages.active_learning.controls import campaign_controls
from dashboard.pages.active_learning.guide import guide_card

PLAY_INTERVAL_MS = 1500
COLOUR_BY = {"mean": "predicted mean", "std": "σ", "score": "acquisition score"}
ACTIONS = ("al-step", "al-run", "al-play", "al-back", "al-reset", "al-export")
"""Buttons that need a campaign: disabled until one exists."""
IDLE, BUSY = "mi-actions", "mi-actions mi-busy"


def _buttons() -> html.Div:
    """Start, Step, Run n steps, Play, Back, Reset, Export and Import, and a busy sign."""
    button = {"size": "sm", "className": "me-1 mb-1", "disabled": True}
    return html.Div(
        [
            dbc.Button("Start", id="al-start", color="primary", size="sm", className="me-1 mb-1"),
            dbc.Button("Step", id="al-step", color="primary", outline=True, **button),
            dbc.Label("Steps to run", html_for="al-run-n", className="visually-hidden"),
            dbc.InputGroup(
                [
                    dbc.Button("Run", id="al-run", color="secondary", disabled=True),
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
                html.Span("Import JSON", className="btn btn-outline-secondary btn-sm"),
                id="al-import",
                accept=".json",
                className="d-inline-block me-1 mb-1",
            ),
            html.Span(
                [dbc.Spinner(size="sm", spinner_class_name="me-1"), "working…"],
                className="mi-busy-sign small",
            ),
            dcc.Interval(id="al-play-timer", interval=PLAY_INTERVAL_MS, disabled=True),
        ],
        id="al-actions",
        className=IDLE,
    )


def _slider() -> html.Div:
    return html.Div(
        dcc.Slider(
            id="al-slider",
            min=0,
            max=0,
            step=1,
            value=0,
            marks=None,
            tooltip={"placement": "bottom", "always_visible": False},
        ),
        className="mb-2",
        **{"data-label": "step shown"},
    )


def _map() -> dbc.Col:
    return dbc.Col(
        [
            dbc.RadioItems(
                id="al-map-colour",
                value="mean",
                inline=True,
                options=[{"label": v, "value": k} for k, v in COLOUR_BY.items()],
            ),
            dcc.Graph(id="al-map", config=GRAPH_CONFIG, style={"height": "420px"}),
            html.P(
                "The pool drawn in the two main directions of its features (PCA): where the "
                "measured points sit, and where the model is sure.",
                className="mi-explain",
            ),
        ],
        lg=6,
    )


def _suggestions() -> list:
    return [
        html.H2("Next to measure", className="h5 mt-2"),
        html.P(id="al-suggestions-help", className="mi-explain"),
        dag.AgGrid(
            id="al-suggestions-grid",
            rowData=[],
            columnDefs=[],
            getRowId="params.data.row",
            defaultColDef={"resizable": True},
            dashGridOptions={"domLayout": "autoHeight", "tooltipShowDelay": 300},
            className="ag-theme-alpine",
        ),
        html.Span(
            [
                dbc.Button(
                    "Enter these values and step",
                    id="al-enter",
                    size="sm",
                    color="primary",
                    className="mt-2 me-2",
                ),
                dbc.Button(
                    "Download campaign file (CSV)",
                    id="al-campaign-file",
                    title="Your uploaded file as it came, with the values measured here and a "
                    "priority column: 1 on the rows to measure next, -1 on those measured",
                    size="sm",
                    color="secondary",
                    outline=True,
                    className="mt-2 me-2",
                ),
            ],
            id="al-real-actions",
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
        dcc.Download(id="al-campaign-file-download"),
    ]


def _results() -> html.Div:
    """The plots, best-so-far first, the slider over past steps and the picks."""
    return html.Div(
        id="al-results",
        style=UNSEEN,
        children=[
            dbc.Row(
                [
                    explained_graph(
                        "al-best",
                        "The best value found so far, and the share of the dataset's top k that "
                        "has been measured, against random search over 10 seeds.",
                    ),
                    explained_graph(
                        "al-parity",
                        "Each dot is a material: its true value across (in a real campaign, the "
                        "measured one), the model's prediction up, with ±σ bars. Measured rows "
                        "(orange) should lie near the diagonal; long bars mean the model is unsure.",
                    ),
                ]
            ),
            _slider(),
            dbc.Row(
                [
                    explained_graph(
                        "al-ranked",
                        "All candidates from best to worst predicted, with the ±σ band and the "
                        "acquisition score; stars are the next picks. An explorer picks far down "
                        "the list where σ is large.",
                    ),
                    _map(),
                ]
            ),
            dbc.Row(
                explained_graph(
                    "al-quality",
                    "In a simulated campaign: R² and MAE on the not-yet-measured pool, and how "
                    "often the truth falls within ±1σ and ±2σ; a calibrated model sits near 68 % "
                    "and 95 %.",
                    height=460,
                )
            ),
            *_suggestions(),
        ],
    )


def layout(guided: str | None = None, **_query) -> html.Div:
    """The page; `?guided=1` starts the guided demo on arrival."""
    return html.Div(
        [
            html.H1("Active learning", className="h2"),
            html.P(
                "A model refitted on what has been measured scores every candidate and proposes "
                "the next batch. Start a campaign with the settings below the plots (or watch the "
                "guided one), then step; in simulated mode the dataset's known values are revealed "
                "as they are chosen.",
                className="mi-explain",
            ),
            guide_card(autostart=guided == "1"),
            dcc.Store(id="al-state"),
            remembered_choice.memory("al-dataset"),
            dcc.Store(id=GOAL_MEMORY, storage_type="local"),
            dcc.Download(id="al-download"),
            _buttons(),
            JobProgress("al-start", "Starting the campaign"),
            JobProgress("al-run", "Running the steps"),
            html.Div(id="al-message", className="mt-2"),
            html.Div(id="al-status", className="my-2 mi-status"),
            html.P(id="al-summary", className="mi-summary mb-2", **{"aria-live": "polite"}),
            dbc.Row(
                [
                    dbc.Col(_results(), lg=9, className="order-1 order-lg-2"),
                    dbc.Col(campaign_controls(), lg=3, className="order-2 order-lg-1"),
                ],
                className="g-4",
            ),
        ]
    )

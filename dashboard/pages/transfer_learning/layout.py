"""The Transfer Learning page's layout: the controls, Train, and the results panel."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.explained_graph import UNSEEN, explained_graph
from components.fields import labelled
from components.job_progress import JobProgress
from dashboard.engine.transfer import DEFAULT_TARGET_MODEL, TARGET_MODELS
from dashboard.pages.transfer_learning.restore import ASKED

DEFAULT_SHARE = 0.1
"""The demo trains on a tenth of the target's training rows: where transfer shows."""
SHARES = {0.05: "5 %", 0.1: "10 %", 0.25: "25 %", 0.5: "50 %", 1.0: "all"}


def layout(**_query) -> html.Div:
    """Controls on the left; what the run says, the transfer switch and the plots on the right."""
    return html.Div(
        [
            html.H1("Transfer learning", className="h2"),
            html.P(
                "A model of a large, cheaper dataset (the source) helps a model of a small, "
                "accurate one (the target). Both are trained on the same target rows and compared "
                "on the same test rows; press Train to see when the help pays.",
                className="mi-explain",
            ),
            dcc.Store(id="tl-state"),
            dcc.Store(id="tl-ready-state"),
            dcc.Store(id="tl-curve-state"),
            dcc.Store(id=ASKED),
            dbc.Row(
                [
                    dbc.Col(_controls(), lg=4, xl=3),
                    dbc.Col(
                        [
                            html.Div(id="tl-message"),
                            dbc.Alert(
                                "The demo learns measured hydration free energies of molecules "
                                "(FreeSolv) from a tenth of its rows, helped by a model of the "
                                "simulated ones. Press Train.",
                                id="tl-empty",
                                color="info",
                            ),
                            html.P(id="tl-verdict", className="lead"),
                            dbc.Switch(
                                id="tl-use-transfer",
                                value=True,
                                disabled=True,
                                label="use the transfer (off: the target model alone)",
                                className="mb-2",
                            ),
                            _results(),
                        ],
                        lg=8,
                        xl=9,
                    ),
                ],
                className="g-4",
            ),
        ]
    )


def _controls() -> dbc.Card:
    """Rows used, approach, target model, learning curve, Train; then source and target."""
    model_options = [{"label": f"{k}: {v}", "value": k} for k, v in TARGET_MODELS.items()]
    return dbc.Card(
        dbc.CardBody(
            [
                labelled(
                    "Target rows used for training",
                    dbc.RadioItems(
                        id="tl-share",
                        value=DEFAULT_SHARE,
                        inline=True,
                        options=[{"label": text, "value": share} for share, text in SHARES.items()],
                    ),
                    "Few rows show transfer best; the test rows stay the same. Waits for Train.",
                ),
                labelled(
                    "Approach",
                    dbc.RadioItems(
                        id="tl-approach",
                        value="lv",
                        inline=True,
                        options=[
                            {"label": "latent variable", "value": "lv"},
                            {"label": "fine-tuning", "value": "ft"},
                        ],
                    ),
                    "LV: the source's prediction is one more input. FT: boosting goes on "
                    "from it. Applies at once after a run.",
                ),
                labelled(
                    "Target model",
                    dcc.Dropdown(
                        id="tl-model",
                        value=DEFAULT_TARGET_MODEL,
                        clearable=False,
                        options=model_options,
                        optionHeight=50,
                    ),
                    "For no transfer and for LV. Applies at once after a run.",
                ),
                dbc.Checklist(
                    id="tl-curve",
                    options=[{"label": "learning curve (drawn after the run)", "value": "on"}],
                    value=["on"],
                    className="mb-2",
                ),
                dbc.Button("Train", id="tl-train", color="primary", className="w-100"),
                JobProgress("tl-train", "Training"),
                html.H2("Source and target", className="h6 mt-3"),
                _pair("source", "Large and cheaper, e.g. computed values. Waits for Train."),
                _pair(
                    "target", "Small and accurate, e.g. measured; same structures. Waits for Train."
                ),
                html.P(id="tl-first-run", className="small mb-0", role="status"),
            ]
        )
    )


def _pair(side: str, hint: str) -> html.Div:
    """A dataset and its column, side by side."""
    return labelled(
        f"{side.capitalize()} dataset and column",
        dbc.Row(
            [
                dbc.Col(dcc.Dropdown(id=f"tl-{side}", clearable=False), width=7),
                dbc.Col(dcc.Dropdown(id=f"tl-{side}-column", clearable=False), width=5),
            ],
            className="g-1",
        ),
        hint,
    )


def _results() -> html.Div:
    """Metric cards, facts, four explained plots and the per-group table; hidden until a run."""
    return html.Div(
        id="tl-results",
        style=UNSEEN,
        children=[
            dbc.Row(id="tl-cards", className="g-2 mb-2"),
            JobProgress("tl-prepare", "Training the other target models"),
            JobProgress("tl-curve-job", "Drawing the learning curve"),
            dbc.Row(
                [
                    explained_graph(
                        "tl-curve-graph",
                        "Test error (MAE, mean ± sd over repeats) against the number of target "
                        "rows used for training, on the same test rows. Where the coloured line "
                        "lies below the grey one, the transfer helps; the ring marks this run.",
                    ),
                    explained_graph(
                        "tl-parity",
                        "Each dot is a test material the models never saw. Closer to the diagonal "
                        "is better; purple (with transfer) against grey (without).",
                    ),
                ]
            ),
            html.P(id="tl-facts", className="mi-explain"),
            dbc.Row(
                [
                    explained_graph(
                        "tl-errors",
                        "How far off the predictions are: a narrower peak around 0 is better.",
                    ),
                    explained_graph(
                        "tl-importance",
                        "Which inputs the transfer model leans on; purple are the source's "
                        "answers. Fine-tuning has none: it starts from the source's answer.",
                    ),
                ]
            ),
            html.H2("Per group", className="h5"),
            html.Div(id="tl-groups"),
        ],
    )

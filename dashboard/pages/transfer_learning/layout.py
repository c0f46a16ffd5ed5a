"""The Transfer Learning page's layout: the source/target controls and the results panel."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.explained_graph import explained_graph
from components.fields import labelled
from components.job_progress import JobProgress
from dashboard.engine.transfer import MLP, TARGET_MODELS


def layout(**_query) -> html.Div:
    """Controls on the left; message, the transfer switch and the results on the right."""
    return html.Div(
        [
            html.H1("Transfer learning", className="h2"),
            html.P(
                "Train on the target alone (the baseline) and with help from the source, on the same "
                "split, and compare them on the same test points. The switch shows the target model "
                "with and without the latent-variable feature.",
                className="mi-explain",
            ),
            dcc.Store(id="tl-state"),
            dbc.Row(
                [
                    dbc.Col(_controls(), lg=3),
                    dbc.Col(
                        [
                            html.Div(id="tl-message"),
                            dbc.Alert(
                                "Choose a source and a target, then press Train. The built-in pair learns "
                                "experimental hydration free energies with help from the simulated ones.",
                                id="tl-empty",
                                color="info",
                            ),
                            dbc.Switch(
                                id="tl-use-transfer",
                                value=True,
                                label="use the transfer (LV feature / pre-trained weights)",
                                className="mb-2",
                            ),
                            _results(),
                        ],
                        lg=9,
                    ),
                ],
                className="g-4",
            ),
        ]
    )


def _controls() -> dbc.Card:
    """Source and target datasets and columns, approach, target model, learning curve, Train."""
    model_options = [{"label": f"{k}: {v}", "value": k} for k, v in TARGET_MODELS.items()]
    model_options.append({"label": "mlp: a neural network (needed for fine-tuning)", "value": MLP})
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Source and target", className="h5"),
                labelled(
                    "Source dataset",
                    dcc.Dropdown(id="tl-source", clearable=False),
                    "Large and cheaper, e.g. computed values.",
                ),
                labelled("Source column", dcc.Dropdown(id="tl-source-column", clearable=False)),
                labelled(
                    "Target dataset",
                    dcc.Dropdown(id="tl-target", clearable=False),
                    "Small and accurate, e.g. measured values; same kind of structure.",
                ),
                labelled("Target column", dcc.Dropdown(id="tl-target-column", clearable=False)),
                labelled(
                    "Approach",
                    dbc.RadioItems(
                        id="tl-approach",
                        value="lv",
                        options=[
                            {"label": "latent variable (LV)", "value": "lv"},
                            {"label": "fine-tuning (FT)", "value": "ft"},
                        ],
                    ),
                    "LV: the source model's prediction becomes a feature. FT: a network pre-trained on the "
                    "source is trained on with the target.",
                ),
                labelled(
                    "Target model",
                    dcc.Dropdown(
                        id="tl-model",
                        value="et",
                        clearable=False,
                        options=model_options,
                        optionHeight=50,
                    ),
                    "Fine-tuning always uses the network.",
                ),
                dbc.Checklist(
                    id="tl-curve",
                    options=[{"label": "learning curve (slower: 35 more fits)", "value": "on"}],
                    value=[],
                    className="mb-2",
                ),
                dbc.Button("Train", id="tl-train", color="primary", className="w-100"),
                JobProgress("tl-train"),
            ]
        )
    )


def _results() -> html.Div:
    """Metric cards, facts, four explained plots and the per-group table; hidden until a run."""
    return html.Div(
        id="tl-results",
        style={"display": "none"},
        children=[
            dbc.Row(id="tl-cards", className="g-2 mb-2"),
            html.P(id="tl-facts", className="mi-explain"),
            dbc.Row(
                [
                    explained_graph(
                        "tl-parity",
                        "Each dot is a test material the models never saw. Closer to the diagonal "
                        "is better; purple (with transfer) against grey (without).",
                    ),
                    explained_graph(
                        "tl-errors",
                        "How far off the predictions are: a narrower peak around 0 is better.",
                    ),
                ]
            ),
            dbc.Row(
                [
                    explained_graph(
                        "tl-curve-graph",
                        "Test MAE (mean ± sd over repeats) against the number of target rows "
                        "used for training: transfer usually helps most when they are few.",
                    ),
                    explained_graph(
                        "tl-importance",
                        "Which inputs the transfer model leans on (importance); purple is the "
                        "source model's prediction, whose rank shows how much it borrowed.",
                    ),
                ]
            ),
            html.H2("Per group", className="h5"),
            html.Div(id="tl-groups"),
        ],
    )

"""The campaign form of the Active Learning page: dataset, target, goal, model, acquisition, sizes."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.fields import labelled
from dashboard.engine.active_learning.config import REAL, SIMULATED
from dashboard.engine.active_learning.surrogates import MODELS

ACQUISITIONS = {
    "auto": "The benchmarks' best: UCB to maximise or minimise (κ = 1 when every input is a "
    "numeric setting, else 2.5), EI to reach a value.",
    "ucb": "Upper confidence bound μ + κσ: balances a good mean against uncertainty (κ sets how much).",
    "ei": "Expected improvement: the expected gain over the best so far (ξ demands a margin).",
    "pi": "Probability of improvement: the chance to beat the best so far (exploit).",
    "greedy": "Greedy: the best predicted mean, ignoring uncertainty (pure exploit).",
    "max-sigma": "Maximum uncertainty: where the model knows least (pure explore).",
    "target": "Closeness to a target value: the chance to land within ± tol of it.",
    "random": "Random choice: the baseline every method must beat.",
    "seed-switch": "The seed study's rule: maximum uncertainty until R² on the pool exceeds 0.2, then PI.",
}


def campaign_controls() -> dbc.Card:
    """The card with every setting of a new campaign (Start, above the plots, uses them)."""
    auto = "auto: by the kind of inputs (choices: gp-additive; settings: a mix weighed on measured rows)"
    model_options = [{"label": auto, "value": "auto"}] + [
        {"label": f"{name}: {text}", "value": name} for name, text in MODELS.items()
    ]
    number = {"type": "number", "size": "sm", "debounce": True}
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Settings of a new campaign", className="h5"),
                labelled(
                    "Dataset",
                    dcc.Dropdown(id="al-dataset", clearable=False),
                    "Built-in or one of your uploads.",
                ),
                labelled(
                    "Target",
                    dcc.Dropdown(id="al-target", clearable=False),
                    "The property to optimise.",
                ),
                labelled(
                    "Goal",
                    dbc.RadioItems(
                        id="al-goal",
                        inline=True,
                        value="max",
                        options=[
                            {"label": "maximise", "value": "max"},
                            {"label": "minimise", "value": "min"},
                            {"label": "reach a value", "value": "value"},
                        ],
                    ),
                    "What a good material is.",
                ),
                dbc.Label("Target value", html_for="al-goal-value", className="visually-hidden"),
                dbc.Input(
                    id="al-goal-value",
                    placeholder="target value, e.g. 1.4",
                    className="mb-2",
                    **number,
                ),
                labelled(
                    "Mode",
                    dbc.RadioItems(
                        id="al-mode",
                        inline=True,
                        value=SIMULATED,
                        options=[
                            {"label": "simulated", "value": SIMULATED},
                            {"label": "real", "value": REAL},
                        ],
                    ),
                    "Simulated reveals the dataset's known values; real waits for your measurements.",
                ),
                labelled(
                    "Model",
                    dcc.Dropdown(
                        id="al-model",
                        value="auto",
                        clearable=False,
                        options=model_options,
                        optionHeight=50,
                    ),
                    "The surrogate that predicts a mean and σ.",
                ),
                labelled(
                    "Acquisition",
                    dcc.Dropdown(
                        id="al-acquisition",
                        value="auto",
                        clearable=False,
                        options=[{"label": k, "value": k} for k in ACQUISITIONS],
                    ),
                    "",
                ),
                html.Div(
                    ACQUISITIONS["auto"], id="al-acquisition-help", className="mi-explain mb-2"
                ),
                html.Div(
                    labelled("Parameter", dbc.Input(id="al-param", **number), ""),
                    id="al-param-box",
                    style={"display": "none"},
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            labelled(
                                "Initial",
                                dbc.Input(id="al-init", value=50, min=1, **number),
                                "rows to start (simulated)",
                            )
                        ),
                        dbc.Col(
                            labelled(
                                "Batch",
                                dbc.Input(id="al-batch", value=10, min=1, **number),
                                "rows a step",
                            )
                        ),
                        dbc.Col(
                            labelled(
                                "Seed",
                                dbc.Input(id="al-seed", value=0, min=0, **number),
                                "repeatable",
                            )
                        ),
                    ],
                    className="g-2",
                ),
                labelled(
                    "Batch method",
                    dbc.RadioItems(
                        id="al-batch-method",
                        value="auto",
                        inline=True,
                        options=[
                            {"label": "auto", "value": "auto"},
                            {"label": "top-q", "value": "top-q"},
                            {"label": "kriging believer", "value": "believer"},
                        ],
                    ),
                    "Top-q takes the q best scores; the believer updates σ after each pick to spread them "
                    "out; auto: the believer for GPs, top-q for the forest.",
                ),
                labelled(
                    "Initial design",
                    dbc.RadioItems(
                        id="al-design",
                        value="random",
                        inline=True,
                        options=[
                            {"label": "random", "value": "random"},
                            {"label": "space-filling", "value": "space-filling"},
                        ],
                    ),
                    "How the first rows are chosen.",
                ),
            ]
        )
    )

"""The Home page's layout: a first step for newcomers, the pages, why materials data are hard,
transfer learning, and active learning with the explorable Gaussian process."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.engine.data import builtin as datasets
from dashboard.figures import home as figures
from dashboard.pages.home.explorer import explorer

GUIDED = "/active-learning?guided=1"

PAGE_CARDS = {
    "/data": "Pick a built-in dataset or drop your own CSV, TSV, Excel or Parquet file; check the "
    "column roles, missing values and the distribution of each target.",
    "/transfer-learning": "Train a model on a large, cheaper dataset and let it help a model of a "
    "small, accurate one. Switch the transfer on and off and compare.",
    "/active-learning": "Let a model with uncertainty choose which material to measure next. Step "
    "through a campaign and watch predictions, uncertainty and the best value found.",
    "/about": "Where every dataset and method comes from: citations, licences and the version.",
}


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Materials informatics, hands on", className="mb-2"),
            html.P(
                "Two techniques help when measurements are few and expensive: transfer learning "
                "borrows knowledge from a related, larger dataset, and active learning spends each "
                "new experiment where it teaches the model most. Try both here on real data.",
                className="lead",
            ),
            html.Div(
                [
                    dbc.Button(
                        "Watch a guided campaign",
                        id="home-guided",
                        href=GUIDED,
                        color="primary",
                        size="lg",
                    ),
                    html.Span(
                        "one click: a model hunts for the molecules with the highest LUMO among "
                        "10,000, step by step, with a word on what to notice",
                        className="mi-explain",
                    ),
                ],
                className="d-flex flex-wrap align-items-center gap-3 mb-4",
            ),
            dbc.Row(page_cards(), className="g-3 mb-4"),
            section_active(),
            section_data(),
            section_transfer(),
        ]
    )


def page_cards() -> list[dbc.Col]:
    """A card per page that exists (pages not built yet are not advertised)."""
    cards = []
    for page in dash.page_registry.values():
        text = PAGE_CARDS.get(page["path"])
        if text is None:
            continue
        card = dbc.Card(
            dbc.CardBody(
                [html.H2(page["name"], className="h5 card-title"), html.P(text, className="mb-0")]
            )
        )
        cards.append(
            dbc.Col(dcc.Link(card, href=page["path"], className="mi-card-link"), md=6, lg=3)
        )
    return cards


def section_data() -> html.Section:
    gaps = datasets.load("expt-gap")
    return html.Section(
        [
            html.H2("Why materials data are hard", className="h4 mt-3"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.P(
                                [
                                    html.Strong("Small: "),
                                    "a synthesis or a measurement can take days, so datasets of a "
                                    "few hundred to a few thousand materials are common. ",
                                    html.Strong("Sparse: "),
                                    "they cover a thin slice of the possible compositions and "
                                    "molecules. ",
                                    html.Strong("Biased: "),
                                    "people publish what worked and study what is easy to make; "
                                    "in the experimental band gaps on the right about half the "
                                    "compounds are metals with a gap of exactly 0 eV. ",
                                    html.Strong("Noisy: "),
                                    "the same compound measured twice rarely gives the same value.",
                                ]
                            ),
                            html.P(
                                "So a model should say how sure it is, and its scores should be "
                                "read with their spread. Every plot in this dashboard shows "
                                "uncertainty where the model has one.",
                                className="mi-explain",
                            ),
                        ],
                        lg=6,
                    ),
                    dbc.Col(
                        dcc.Graph(
                            figure=figures.gap_histogram(gaps.frame["gap"]),
                            id="home-gap-hist",
                            config={"displayModeBar": False},
                            style={"height": "320px"},
                        ),
                        lg=6,
                    ),
                ]
            ),
        ]
    )


def section_transfer() -> html.Section:
    return html.Section(
        [
            html.H2("Transfer learning", className="h4 mt-4"),
            html.P(
                "A model trained on a large dataset of a cheaper, less accurate quantity (for "
                "instance band gaps computed with density-functional theory) already knows a lot "
                "about the accurate one (measured band gaps). Two ways to pass that knowledge on:"
            ),
            dbc.Row(
                [
                    _approach(
                        "Latent variable (LV)",
                        "The source model's prediction for each target material becomes one more "
                        "input feature of the target model. Any model can use it, and you can "
                        "switch it off to see what it adds.",
                        "/assets/transfer-lv.svg",
                        "Latent variable: the source model's prediction for each target material "
                        "becomes an extra input of the target model",
                    ),
                    _approach(
                        "Fine-tuning (FT)",
                        "A neural network is trained on the source first; the target network "
                        "starts from those weights instead of random ones and is trained on with "
                        "the few accurate values.",
                        "/assets/transfer-ft.svg",
                        "Fine-tuning: the target network starts from the weights of the network "
                        "trained on the source",
                    ),
                ]
            ),
        ]
    )


def _approach(title: str, text: str, diagram: str, alt: str) -> dbc.Col:
    """One transfer approach: its name, a sentence and its diagram, half the row on wide screens."""
    return dbc.Col(
        [
            html.H3(title, className="h5"),
            html.P(text),
            html.Img(src=diagram, className="mi-diagram", alt=alt),
        ],
        lg=6,
    )


def section_active() -> html.Section:
    return html.Section(
        [
            html.H2("Active learning: how a model chooses what to measure", className="h4 mt-3"),
            html.P(
                "A model that predicts a mean and an uncertainty σ for every candidate scores them "
                "with an acquisition function; the best-scoring one is measured, the model is "
                "refitted, and the loop repeats. Exploit (greedy, probability or expected "
                "improvement) measures where the model expects the best value; explore (maximum σ) "
                "where it knows least; the upper confidence bound μ + κσ balances the two. Below, "
                "the dashboard's own Gaussian process and acquisition functions on a made-up "
                "function: try it."
            ),
            explorer(),
        ],
        id="gp-explorer",
    )

"""The chosen dataset at a glance: a headline of badges and the summary figures."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.engine.data import summary
from dashboard.engine.data.dataset import Dataset
from dashboard.figures import data as figures


def headline(dataset: Dataset) -> list:
    """The dataset's title above badges with its size, roles and missing cells."""
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


def summary_figures(dataset: Dataset) -> list:
    """Missing values, one histogram per target and, for compositions, element frequency."""
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

"""The chosen dataset at a glance: a headline of badges and the summary figures."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard.engine.data import summary
from dashboard.engine.data.dataset import Dataset
from dashboard.figures import data as figures


def headline(dataset: Dataset) -> list:
    """The dataset's title above badges with its size, roles and missing cells."""
    facts = summary.describe(dataset)
    texts = [
        f"{facts['rows']:,} rows",
        f"{facts['columns']} columns",
        *_inputs(dataset),
        "targets: " + (", ".join(facts["targets"]) or "none"),
        f"{facts['missing_cells']:,} missing cells",
    ]
    badges = [dbc.Badge(text, color="secondary", className="me-2 mb-1 fw-normal") for text in texts]
    return [html.H2(dataset.title, className="h4"), *badges]


def _inputs(dataset: Dataset) -> list[str]:
    """The design space in words: 'structure: formula (composition)', 'categorical: base,
    solvent', 'numeric inputs: 2' (the last two only when there are any)."""
    columns = dataset.structure_columns
    label = "structures" if len(columns) > 1 else "structure"
    words = [
        f"{label}: {', '.join(columns)} ({dataset.structure_kind})"
        if columns
        else "structure: none"
    ]
    if dataset.categorical_columns:
        words.append("categorical: " + ", ".join(dataset.categorical_columns))
    if dataset.feature_columns:
        words.append(f"numeric inputs: {len(dataset.feature_columns)}")
    return words


def summary_figures(dataset: Dataset) -> list:
    """Missing values, one histogram per target and, for compositions, element frequency (over
    every structure column)."""
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
        formulas = pd.concat([dataset.frame[c] for c in dataset.structure_columns])
        counts = summary.element_counts(formulas)
        graphs.append(
            dcc.Graph(figure=figures.element_frequency(counts), config={"displayModeBar": False})
        )
    return graphs

"""About: where every dataset and method comes from, the licences, and the version."""

from __future__ import annotations

from importlib import metadata

import dash
import dash_bootstrap_components as dbc
from dash import Dash, html

from dashboard import __version__
from dashboard.engine.data import builtin as datasets

METHODS = (
    (
        "Magpie composition features",
        "L. Ward, A. Agrawal, A. Choudhary, C. Wolverton, “A general-purpose "
        "machine learning framework for predicting properties of inorganic materials”, npj Comput. Mater. 2, "
        "16028 (2016).",
    ),
    (
        "matminer",
        "L. Ward et al., “Matminer: An open source toolkit for materials data mining”, Comput. "
        "Mater. Sci. 152, 60–69 (2018).",
    ),
    (
        "ECFP / Morgan fingerprints",
        "D. Rogers, M. Hahn, “Extended-Connectivity Fingerprints”, J. Chem. "
        "Inf. Model. 50, 742–754 (2010).",
    ),
    (
        "Gaussian processes",
        "C. E. Rasmussen, C. K. I. Williams, Gaussian Processes for Machine Learning, "
        "MIT Press (2006).",
    ),
    (
        "Tanimoto kernel",
        "L. Ralaivola, S. J. Swamidass, H. Saigo, P. Baldi, “Graph kernels for chemical "
        "informatics”, Neural Networks 18, 1093–1110 (2005); R.-R. Griffiths et al., “GAUCHE: A Library for "
        "Gaussian Processes in Chemistry”, NeurIPS 2023.",
    ),
    (
        "Probability of improvement",
        "H. J. Kushner, “A new method of locating the maximum point of an "
        "arbitrary multipeak curve in the presence of noise”, J. Basic Eng. 86, 97–106 (1964).",
    ),
    (
        "Expected improvement",
        "D. R. Jones, M. Schonlau, W. J. Welch, “Efficient Global Optimization of "
        "Expensive Black-Box Functions”, J. Global Optim. 13, 455–492 (1998).",
    ),
    (
        "Upper confidence bound",
        "N. Srinivas, A. Krause, S. Kakade, M. Seeger, “Gaussian Process "
        "Optimization in the Bandit Setting: No Regret and Experimental Design”, ICML 2010.",
    ),
    (
        "Kriging believer batches",
        "D. Ginsbourger, R. Le Riche, L. Carraro, “Kriging is well-suited to "
        "parallelize optimization”, in Computational Intelligence in Expensive Optimization Problems, "
        "Springer (2010).",
    ),
    (
        "Calibration of uncertainty",
        "V. Kuleshov, N. Fenner, S. Ermon, “Accurate Uncertainties for Deep "
        "Learning Using Calibrated Regression”, ICML 2018.",
    ),
    (
        "Latent-variable transfer",
        "J. Hutchinson et al., “Overcoming data scarcity with transfer "
        "learning”, arXiv:1711.05099 (2017).",
    ),
    (
        "Fine-tuning transfer",
        "D. Jha et al., “Enhancing materials property prediction by leveraging "
        "computational and experimental data using deep transfer learning”, Nat. Commun. 10, 5316 (2019).",
    ),
    (
        "Matbench",
        "A. Dunn, Q. Wang, A. Ganose, D. Dopp, A. Jain, “Benchmarking materials property "
        "prediction methods: the Matbench test set and Automatminer reference algorithm”, npj Comput. "
        "Mater. 6, 138 (2020).",
    ),
)

SOFTWARE = (
    ("dash", "MIT"),
    ("dash-bootstrap-components", "Apache-2.0"),
    ("dash-ag-grid", "MIT"),
    ("plotly", "MIT"),
    ("scikit-learn", "BSD-3-Clause"),
    ("numpy", "BSD-3-Clause"),
    ("scipy", "BSD-3-Clause"),
    ("pandas", "BSD-3-Clause"),
    ("pymatgen", "MIT"),
    ("matminer", "modified BSD"),
    ("rdkit", "BSD-3-Clause"),
    ("gunicorn", "MIT"),
    ("celery", "BSD-3-Clause"),
    ("diskcache", "Apache-2.0"),
)


def register(app: Dash) -> None:
    dash.register_page(
        __name__, path="/about", name="About", title="About · MI Dashboard", order=9, layout=layout
    )


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("About", className="h2"),
            html.P(
                [
                    f"MI Dashboard version {__version__}. ",
                    "Built-in data and methods are listed with the work to cite; data/README.md in the "
                    "source tree records how each dataset was rebuilt, row by row.",
                ],
                className="lead",
            ),
            html.H2("Datasets", className="h4 mt-4"),
            dbc.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th("Dataset"),
                                html.Th("Rows"),
                                html.Th("Source"),
                                html.Th("Licence"),
                            ]
                        )
                    )
                ]
                + [
                    html.Tbody(
                        [
                            html.Tr(
                                [
                                    html.Td(info.title),
                                    _cell("Rows", f"{info.rows:,}"),
                                    _cell("Source", info.source),
                                    _cell("Licence", info.licence),
                                ]
                            )
                            for info in datasets.list_datasets()
                        ]
                    )
                ],
                bordered=False,
                hover=True,
                className="align-middle mi-stacked",
            ),
            html.H2("Methods", className="h4 mt-4"),
            html.Dl([item for name, cite in METHODS for item in (html.Dt(name), html.Dd(cite))]),
            html.H2("Software", className="h4 mt-4"),
            html.P(
                "The dashboard stands on these open-source packages (versions as installed here):"
            ),
            html.Ul(
                [html.Li(f"{name} {_version(name)} — {licence}") for name, licence in SOFTWARE]
            ),
            html.P(
                "Bootstrap 5.3.6 (MIT) styles the pages; its CSS ships in assets/vendor.",
                className="mi-explain",
            ),
            html.H2("Licence of the data", className="h4 mt-4"),
            html.P(
                "Each dataset keeps the terms of its source: cite the papers above when you use "
                "them. Where the source states no licence for the values themselves, data/README.md "
                "says so rather than guessing.",
            ),
        ]
    )


def _cell(column: str, value: str) -> html.Td:
    """A cell that names its column on a phone, where the table is stacked (app.css): a row of
    four columns did not fit 390 px and hid its licence behind a sideways scroll."""
    return html.Td([html.Span(f"{column}: ", className="mi-cell-label d-sm-none"), value])


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"

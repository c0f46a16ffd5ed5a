"""The Home page's explorable Gaussian process: click to measure, choose the length scale and
noise or let the marginal likelihood fit them, pick an acquisition and measure its next pick."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html

from components.fields import labelled
from dashboard.figures import home as figures
from dashboard.pages.home import toy

FITTED, BY_HAND = "fitted", "by-hand"
WHY = {
    "greedy": "the highest predicted mean, whatever σ",
    "ei": "the largest expected gain over the best measured value",
    "pi": "the best chance to beat the best measured value",
    "ucb": "the highest mean + κσ",
    "max-sigma": "where the model is least sure",
}


def explorer() -> dbc.Row:
    """Controls on the left, the live plot on the right, drawn for the five starting points."""
    figure, words, lengthscale, noise = draw(toy.start_points(), "ei", 2.0, FITTED, 1.0, 0.05)
    slider = {"updatemode": "mouseup", "marks": None, "disabled": True}
    controls = [
        html.P(
            "Click the upper plot to measure the made-up function there; click a measured point "
            "to take it back. Watch the mean pass through the points and σ shrink around them.",
            className="mi-explain",
        ),
        html.Div(
            [
                dbc.Button("Measure the next pick", id="toy-measure", color="primary", size="sm"),
                dbc.Button(
                    "Start over", id="toy-reset", color="secondary", outline=True, size="sm"
                ),
            ],
            className="d-flex gap-2 mb-3",
        ),
        labelled(
            "Acquisition",
            dbc.RadioItems(
                id="toy-acquisition",
                value="ei",
                options=[{"label": v, "value": k} for k, v in toy.ACQUISITIONS.items()],
            ),
        ),
        html.Div(
            labelled(
                "κ (weight of σ)",
                dcc.Slider(id="toy-kappa", min=0, max=5, step=0.5, value=2, marks=None),
            ),
            id="toy-kappa-box",
            style={"display": "none"},
        ),
        labelled(
            "Length scale and noise",
            dbc.RadioItems(
                id="toy-mode",
                value=FITTED,
                options=[
                    {"label": "fitted by the marginal likelihood", "value": FITTED},
                    {"label": "set by hand", "value": BY_HAND},
                ],
            ),
        ),
        labelled(
            "Length scale (x units)",
            dcc.Slider(
                id="toy-lengthscale", min=0.1, max=3, step=0.01, value=lengthscale, **slider
            ),
        ),
        labelled(
            "Noise σ (y units)",
            dcc.Slider(id="toy-noise", min=0.0, max=0.5, step=0.001, value=noise, **slider),
        ),
        html.P(words, id="toy-summary", className="small", **{"aria-live": "polite"}),
        dcc.Store(id="toy-points", data=toy.start_points()),
    ]
    graph = dcc.Graph(
        id="toy-graph", config={"displayModeBar": False}, figure=figure, style={"height": "500px"}
    )
    return dbc.Row([dbc.Col(controls, lg=4), dbc.Col(graph, lg=8)], className="g-3")


def explored(points, acquisition, kappa, mode, lengthscale, noise) -> toy.Toy | None:
    """The toy for the controls' values (length scale and noise only when set by hand)."""
    by_hand = mode == BY_HAND
    return toy.explore(
        points,
        acquisition,
        float(kappa if kappa is not None else 2.0),
        lengthscale=float(lengthscale) if by_hand else None,
        noise=float(noise) if by_hand else None,
    )


def draw(points, acquisition, kappa, mode, lengthscale, noise):
    """The figure, the sentence under the controls and the sliders' values for these settings."""
    state = explored(points, acquisition, kappa, mode, lengthscale, noise)
    truth = toy.hidden(toy.GRID)
    label = toy.ACQUISITIONS[acquisition] + (f" (κ = {kappa:g})" if acquisition == "ucb" else "")
    if state is None:
        figure = figures.gp_explorer(toy.GRID, truth, None, None, [], None, None, label)
        return (
            figure,
            "Nothing measured yet: click the plot to measure a point.",
            lengthscale,
            noise,
        )
    figure = figures.gp_explorer(
        toy.GRID, truth, state.mean, state.std, state.points, state.scores, state.pick, label
    )
    how = "fitted by the marginal likelihood" if state.fitted else "set by hand"
    words = (
        f"{len(state.points)} measured. Length scale {state.lengthscale:.2f}, noise σ "
        f"{state.noise:.3f} ({how})."
    )
    if state.pick is not None:
        words += f" Next pick: x = {toy.GRID[state.pick]:.2f}, {WHY[acquisition]}."
    if not state.fitted:
        return figure, words, lengthscale, noise
    return figure, words, round(state.lengthscale, 2), round(state.noise, 3)


def update(click, _measure, _reset, acquisition, kappa, mode, lengthscale, noise, points):
    """Apply a click, Measure or Start over to the points, then redraw everything."""
    trigger = dash.ctx.triggered_id
    points = list(points or [])
    if trigger == "toy-graph" and click and click.get("points"):
        points = toy.toggle(points, float(click["points"][0]["x"]))
    elif trigger == "toy-reset":
        points = toy.start_points()
    elif trigger == "toy-measure":
        state = explored(points, acquisition, kappa, mode, lengthscale, noise)
        if state is not None and state.pick is not None:
            points = sorted({*points, state.pick})
    figure, words, shown_lengthscale, shown_noise = draw(
        points, acquisition, kappa, mode, lengthscale, noise
    )
    by_hand = mode == BY_HAND
    kappa_box = {} if acquisition == "ucb" else {"display": "none"}
    return (
        points,
        figure,
        words,
        shown_lengthscale,
        shown_noise,
        not by_hand,
        not by_hand,
        kappa_box,
    )


def register_callbacks(app: Dash) -> None:
    app.callback(
        Output("toy-points", "data"),
        Output("toy-graph", "figure"),
        Output("toy-summary", "children"),
        Output("toy-lengthscale", "value"),
        Output("toy-noise", "value"),
        Output("toy-lengthscale", "disabled"),
        Output("toy-noise", "disabled"),
        Output("toy-kappa-box", "style"),
        Input("toy-graph", "clickData"),
        Input("toy-measure", "n_clicks"),
        Input("toy-reset", "n_clicks"),
        Input("toy-acquisition", "value"),
        Input("toy-kappa", "value"),
        Input("toy-mode", "value"),
        Input("toy-lengthscale", "value"),
        Input("toy-noise", "value"),
        State("toy-points", "data"),
        prevent_initial_call=True,
    )(update)

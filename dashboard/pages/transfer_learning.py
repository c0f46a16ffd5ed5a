"""Transfer Learning: a model of a large, cheaper dataset helps a model of a small, accurate one."""

from __future__ import annotations

import math

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from components.explained_graph import explained_graph
from components.fields import labelled
from components.job_progress import JobProgress
from components.problems import error_alert
from dashboard import catalog, runtime
from dashboard.engine.transfer import MLP, TARGET_MODELS, TransferConfig, run_transfer
from dashboard.figures import transfer as figures
from dashboard.jobs import reports_failures
from dashboard.store import SessionError, StorageError

KIND = "transfer"
NAME = "current"
DEFAULT_PAIR = (catalog.BUILTIN + "freesolv", "calc", "expt")
METRICS = (("r2", "R²", True), ("mae", "MAE", False), ("rmse", "RMSE", False))


def register(app: Dash) -> None:
    dash.register_page(
        __name__,
        path="/transfer-learning",
        name="Transfer Learning",
        title="Transfer Learning · MI Dashboard",
        order=2,
        layout=layout,
    )
    _register_callbacks(app)


def layout(**_query) -> html.Div:
    model_options = [{"label": f"{k}: {v}", "value": k} for k, v in TARGET_MODELS.items()]
    model_options.append({"label": "mlp: a neural network (needed for fine-tuning)", "value": MLP})
    controls = dbc.Card(
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
                    dbc.Col(controls, lg=3),
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
                            html.Div(
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
                            ),
                        ],
                        lg=9,
                    ),
                ],
                className="g-4",
            ),
        ]
    )


def _register_callbacks(app: Dash) -> None:
    """Wire the page's callbacks (module-level functions, so tests can call them directly)."""
    for side in ("source", "target"):
        app.callback(
            Output(f"tl-{side}", "options"),
            Output(f"tl-{side}", "value"),
            Input("session-id", "data"),
            State(f"tl-{side}", "value"),
        )(dataset_options_for(side))
        app.callback(
            Output(f"tl-{side}-column", "options"),
            Output(f"tl-{side}-column", "value"),
            Input(f"tl-{side}", "value"),
            State("session-id", "data"),
        )(column_options_for(side))
    app.callback(
        Output("tl-state", "data"),
        Output("tl-message", "children"),
        Input("tl-train", "n_clicks"),
        State("session-id", "data"),
        State("tl-source", "value"),
        State("tl-source-column", "value"),
        State("tl-target", "value"),
        State("tl-target-column", "value"),
        State("tl-approach", "value"),
        State("tl-model", "value"),
        State("tl-curve", "value"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("tl-train"),
    )(train)
    app.callback(
        Output("tl-empty", "style"),
        Output("tl-results", "style"),
        Output("tl-cards", "children"),
        Output("tl-facts", "children"),
        Output("tl-parity", "figure"),
        Output("tl-errors", "figure"),
        Output("tl-curve-graph", "figure"),
        Output("tl-importance", "figure"),
        Output("tl-groups", "children"),
        Input("tl-state", "data"),
        Input("tl-use-transfer", "value"),
        Input("session-id", "data"),
    )(render)


def dataset_options_for(side: str):
    def dataset_options(sid: str | None, current: str | None):
        options = catalog.options(sid)
        keys = {o["value"] for o in options}
        return options, current if current in keys else DEFAULT_PAIR[0]

    dataset_options.__name__ = f"{side}_dataset_options"
    return dataset_options


def column_options_for(side: str):
    preferred = DEFAULT_PAIR[1] if side == "source" else DEFAULT_PAIR[2]

    def column_options(key: str | None, sid: str | None):
        try:
            dataset = catalog.load(sid, key)
        except (KeyError, ValueError, SessionError):
            return [], None
        columns = dataset.target_columns + dataset.feature_columns
        options = [{"label": c, "value": c} for c in columns]
        return options, preferred if preferred in columns else (columns[0] if columns else None)

    column_options.__name__ = f"{side}_column_options"
    return column_options


@reports_failures(message_output=1, outputs=2)
def train(
    set_progress,
    _clicks,
    sid,
    source_key,
    source_column,
    target_key,
    target_column,
    approach,
    model,
    curve,
):
    """Run the transfer study as a background job and keep its result in the session."""
    store = runtime.current().store
    try:
        store.require(sid)
        if not all((source_key, source_column, target_key, target_column)):
            raise ValueError("Choose the source and target datasets and their columns first.")
        source, target = catalog.load(sid, source_key), catalog.load(sid, target_key)
        config = TransferConfig(
            approach=approach,
            model=MLP if approach == "ft" else model,
            learning_curve="on" in (curve or []),
        )

        def progress(fraction: float, message: str) -> None:
            set_progress((int(100 * fraction), message))

        result = run_transfer(
            source,
            source_column,
            target,
            target_column,
            config,
            cache_dir=runtime.current().cache_dir,
            progress=progress,
        )
        document = {
            **result.to_dict(),
            "source": source.title,
            "target": target.title,
            "unit": target.units.get(target_column, ""),
        }
        with store.lock(sid):
            store.save_json(sid, KIND, NAME, _json_safe(document))
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    note = f"Trained in {result.seconds:.1f} s" + (
        " (source model from the cache)." if result.source_cached else "."
    )
    return {"seconds": result.seconds}, dbc.Alert(note, color="success", duration=5000)


def render(_state, use_transfer: bool, sid):
    """Cards, plots and the group table of the session's last run, with or without transfer."""
    try:
        result = runtime.current().store.load_json(runtime.current().store.require(sid), KIND, NAME)
    except SessionError:
        result = None
    if result is None:
        return ({}, {"display": "none"}) + (no_update,) * 7
    label = result["target_column"] + (f" ({result['unit']})" if result.get("unit") else "")
    shown = bool(use_transfer)
    return (
        {"display": "none"},
        {},
        _cards(result, shown),
        _facts(result),
        figures.parity(result, shown, label),
        figures.error_histogram(result, shown, label),
        figures.learning_curve(result.get("learning_curve")),
        figures.importances(result),
        _group_table(result, shown),
    )


def _cards(result: dict, use_transfer: bool) -> list[dbc.Col]:
    active, other = ("transfer", "baseline") if use_transfer else ("baseline", "transfer")
    cards = []
    for key, name, higher_better in METRICS:
        value, reference = result[active][key], result[other][key]
        delta = None if value is None or reference is None else value - reference
        better = (delta > 0) == higher_better if delta else None
        color = "success" if better else ("danger" if better is False else "secondary")
        versus = "without" if use_transfer else "with"
        change = "—" if delta is None else f"{delta:+.3f}"
        cards.append(
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.Div(name, className="small text-body-secondary"),
                            html.Div(
                                _number(value), className="fs-3 fw-semibold", id=f"tl-card-{key}"
                            ),
                            dbc.Badge(
                                f"{change} vs {versus} transfer", color=color, className="fw-normal"
                            ),
                        ]
                    )
                ),
                md=4,
            )
        )
    return cards


def _facts(result: dict) -> str:
    ranks = result.get("lv_ranks") or {}
    rank_text = "; ".join(
        f"{name} ranks #{rank} of {len(result['feature_names'])} features"
        for name, rank in ranks.items()
    )
    overlap = (
        f" {result['n_overlap']} target rows also occur in the source."
        if result.get("n_overlap")
        else ""
    )
    return (
        f"{result['approach'].upper()} with {result['model']}: source {result['source']} "
        f"({result['n_source']:,} rows of {result['source_column']}), target {result['target']} "
        f"({result['n_train']:,} training and {result['n_test']:,} test rows of {result['target_column']}). "
        f"{rank_text}.{overlap}"
    )


def _group_table(result: dict, use_transfer: bool) -> dbc.Table | html.P:
    rows = [
        r for r in result.get("group_metrics") or [] if use_transfer or r["model"] == "baseline"
    ]
    if not rows:
        return html.P("No grouping for this target.", className="mi-explain")
    header = html.Thead(
        html.Tr([html.Th(h) for h in ("group", "model", "test points", "R²", "MAE", "RMSE")])
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(r["group"]),
                    html.Td(r["model"]),
                    html.Td(r["n"]),
                    html.Td(_number(r["r2"])),
                    html.Td(_number(r["mae"])),
                    html.Td(_number(r["rmse"])),
                ]
            )
            for r in rows
        ]
    )
    return dbc.Table([header, body], hover=True, size="sm", responsive=True)


def _number(value: float | None) -> str:
    return (
        "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
    )


def _json_safe(value):
    """NaN (an undefined R²) as null, so the stored JSON is standard."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value

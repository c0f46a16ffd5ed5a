"""Active Learning: a model with uncertainty picks what to measure next, step by step."""

from __future__ import annotations

import base64
import binascii
import json
import time

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
from dash import Dash, Input, Output, State, dcc, html, no_update

from components.explained_graph import GRAPH_CONFIG, explained_graph
from components.fields import labelled
from components.job_progress import JobProgress
from components.problems import error_alert, reason
from dashboard import campaigns, catalog, runtime
from dashboard.engine.acquisition import PARAMETERS
from dashboard.engine.campaign_config import REAL, SIMULATED, CampaignConfig
from dashboard.engine.export import to_safe_csv
from dashboard.engine.surrogates import MODELS
from dashboard.figures import active_learning as figures
from dashboard.jobs import reports_failures
from dashboard.store import SessionError, StorageError

DEFAULT_DATASET = catalog.BUILTIN + "qm9"
MAX_IMPORT_BYTES = 20 * 1024 * 1024
PLAY_INTERVAL_MS = 1500
ACQUISITIONS = {
    "auto": "The benchmark's best: UCB (κ = 2.5) to maximise or minimise, EI to reach a value.",
    "ucb": "Upper confidence bound μ + κσ: balances a good mean against uncertainty (κ sets how much).",
    "ei": "Expected improvement: the expected gain over the best so far (ξ demands a margin).",
    "pi": "Probability of improvement: the chance to beat the best so far (exploit).",
    "greedy": "Greedy: the best predicted mean, ignoring uncertainty (pure exploit).",
    "max-sigma": "Maximum uncertainty: where the model knows least (pure explore).",
    "target": "Closeness to a target value: the chance to land within ± tol of it.",
    "random": "Random choice: the baseline every method must beat.",
    "seed-switch": "The seed study's rule: maximum uncertainty until R² on the pool exceeds 0.2, then PI.",
}
PARAM_LABELS = {"xi": "ξ (margin)", "kappa": "κ (weight of σ)", "tol": "tolerance (target units)"}
ACTIONS = ("al-step", "al-back", "al-reset", "al-play-timer")
COLOUR_BY = {"mean": "predicted mean", "std": "σ", "score": "acquisition score"}


def register(app: Dash) -> None:
    dash.register_page(
        __name__,
        path="/active-learning",
        name="Active Learning",
        title="Active Learning · MI Dashboard",
        order=3,
        layout=layout,
    )
    _register_callbacks(app)


def _controls() -> dbc.Card:
    model_options = [{"label": "auto: the benchmark's best for the data", "value": "auto"}] + [
        {"label": f"{name}: {text}", "value": name} for name, text in MODELS.items()
    ]
    number = {"type": "number", "size": "sm", "debounce": True}
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Campaign", className="h5"),
                labelled(
                    "Dataset",
                    dcc.Dropdown(
                        id="al-dataset", clearable=False, persistence=True, persistence_type="local"
                    ),
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
                html.Div(id="al-acquisition-help", className="mi-explain mb-2"),
                html.Div(
                    labelled("Parameter", dbc.Input(id="al-param", **number), ""), id="al-param-box"
                ),
                dbc.Row(
                    [
                        dbc.Col(
                            labelled(
                                "Initial",
                                dbc.Input(id="al-init", value=50, min=1, **number),
                                "rows to start",
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
                dbc.Button(
                    "Start a new campaign", id="al-start", color="primary", className="w-100 mt-2"
                ),
                JobProgress("al-start"),
            ]
        )
    )


def _buttons() -> html.Div:
    button = {"size": "sm", "className": "me-1 mb-1"}
    return html.Div(
        [
            dbc.Button("Step", id="al-step", color="primary", **button),
            dbc.InputGroup(
                [
                    dbc.Button("Run", id="al-run", color="secondary"),
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
                dbc.Button("Import JSON", color="secondary", outline=True, size="sm"),
                id="al-import",
                accept=".json",
                className="d-inline-block me-1 mb-1",
            ),
            dcc.Interval(id="al-play-timer", interval=PLAY_INTERVAL_MS, disabled=True),
            JobProgress("al-run"),
        ]
    )


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1("Active learning", className="h2"),
            html.P(
                "Choose a dataset and a target, start a campaign, then step: each step the model is "
                "refitted on what has been measured, scores every candidate and proposes the next "
                "batch. In simulated mode the dataset's known values are revealed as they are chosen.",
                className="mi-explain",
            ),
            dcc.Store(id="al-state"),
            dcc.Download(id="al-download"),
            dbc.Row(
                [
                    dbc.Col(_controls(), lg=3),
                    dbc.Col(
                        [
                            _buttons(),
                            html.Div(id="al-message", className="mt-2"),
                            html.Div(id="al-status", className="my-2"),
                            html.Div(
                                id="al-results",
                                children=[
                                    html.Div(
                                        dcc.Slider(
                                            id="al-slider",
                                            min=0,
                                            max=0,
                                            step=1,
                                            value=0,
                                            marks=None,
                                            tooltip={
                                                "placement": "bottom",
                                                "always_visible": False,
                                            },
                                        ),
                                        className="mb-2",
                                    ),
                                    dbc.Row(
                                        [
                                            explained_graph(
                                                "al-parity",
                                                "Each dot is a material: its true value across, the model's "
                                                "prediction up, with ±σ bars. Measured rows (orange) should lie near the "
                                                "diagonal; long bars mean the model is unsure.",
                                            ),
                                            explained_graph(
                                                "al-ranked",
                                                "All candidates from best to worst predicted, with the ±σ "
                                                "band and the acquisition score; stars are the next picks. An explorer "
                                                "picks far down the list where σ is large.",
                                            ),
                                        ]
                                    ),
                                    dbc.Row(
                                        [
                                            dbc.Col(
                                                [
                                                    dbc.RadioItems(
                                                        id="al-map-colour",
                                                        value="mean",
                                                        inline=True,
                                                        options=[
                                                            {"label": v, "value": k}
                                                            for k, v in COLOUR_BY.items()
                                                        ],
                                                    ),
                                                    dcc.Graph(id="al-map", config=GRAPH_CONFIG),
                                                    html.P(
                                                        "The pool drawn in the two main directions of its features (PCA): "
                                                        "where the measured points sit, and where the model is sure.",
                                                        className="mi-explain",
                                                    ),
                                                ],
                                                lg=6,
                                            ),
                                            explained_graph(
                                                "al-best",
                                                "The best value found so far, and the share of the dataset's "
                                                "top k that has been measured, against random search over 10 seeds.",
                                            ),
                                        ]
                                    ),
                                    dbc.Row(
                                        [
                                            explained_graph(
                                                "al-quality",
                                                "R² and MAE on the not-yet-measured pool, and how often "
                                                "the truth falls within ±1σ and ±2σ: a calibrated model sits near 68 % "
                                                "and 95 %.",
                                            )
                                        ]
                                    ),
                                    html.H2("Next to measure", className="h5 mt-2"),
                                    html.P(id="al-suggestions-help", className="mi-explain"),
                                    dag.AgGrid(
                                        id="al-suggestions-grid",
                                        rowData=[],
                                        columnDefs=[],
                                        defaultColDef={"flex": 1, "minWidth": 90},
                                        dashGridOptions={"domLayout": "autoHeight"},
                                        className="ag-theme-alpine",
                                    ),
                                    dbc.Button(
                                        "Enter these values and step",
                                        id="al-enter",
                                        size="sm",
                                        color="primary",
                                        className="mt-2 me-2",
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
    app.callback(
        Output("al-dataset", "options"),
        Output("al-dataset", "value"),
        Input("session-id", "data"),
        State("al-dataset", "value"),
    )(dataset_options)
    app.callback(
        Output("al-target", "options"),
        Output("al-target", "value"),
        Input("al-dataset", "value"),
        State("session-id", "data"),
    )(target_options)
    app.callback(
        Output("al-acquisition-help", "children"),
        Output("al-param-box", "style"),
        Output("al-param-box", "children"),
        Input("al-acquisition", "value"),
    )(acquisition_help)
    app.callback(
        Output("al-state", "data"),
        Output("al-message", "children"),
        Input("al-start", "n_clicks"),
        State("session-id", "data"),
        State("al-dataset", "value"),
        State("al-target", "value"),
        State("al-goal", "value"),
        State("al-goal-value", "value"),
        State("al-mode", "value"),
        State("al-model", "value"),
        State("al-acquisition", "value"),
        State("al-param", "value"),
        State("al-init", "value"),
        State("al-batch", "value"),
        State("al-seed", "value"),
        State("al-batch-method", "value"),
        State("al-design", "value"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("al-start"),
    )(start_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-run", "n_clicks"),
        State("al-run-n", "value"),
        State("session-id", "data"),
        background=True,
        prevent_initial_call=True,
        **JobProgress.callback_kwargs("al-run"),
    )(run_steps)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        *(
            Input(name, "n_intervals" if name == "al-play-timer" else "n_clicks")
            for name in ACTIONS
        ),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(act)
    app.callback(
        Output("al-play-timer", "disabled"),
        Output("al-play", "children"),
        Input("al-play", "n_clicks"),
        State("al-play-timer", "disabled"),
        prevent_initial_call=True,
    )(toggle_play)
    app.callback(
        Output("al-parity", "figure"),
        Output("al-ranked", "figure"),
        Output("al-map", "figure"),
        Output("al-best", "figure"),
        Output("al-quality", "figure"),
        Output("al-status", "children"),
        Output("al-slider", "max"),
        Output("al-slider", "value"),
        Output("al-suggestions-grid", "rowData"),
        Output("al-suggestions-grid", "columnDefs"),
        Output("al-suggestions-help", "children"),
        Output("al-enter", "style"),
        Output("al-results", "style"),
        Input("al-state", "data"),
        Input("al-slider", "value"),
        Input("al-map-colour", "value"),
        Input("session-id", "data"),
    )(render)
    app.callback(
        Output("al-download", "data"),
        Input("al-export", "n_clicks"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(export_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-import", "contents"),
        State("al-import", "filename"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(import_campaign)
    app.callback(
        Output("al-state", "data", allow_duplicate=True),
        Output("al-message", "children", allow_duplicate=True),
        Input("al-enter", "n_clicks"),
        State("al-suggestions-grid", "rowData"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(enter_measurements)
    app.callback(
        Output("al-suggestions-download", "data"),
        Input("al-suggestions-csv", "n_clicks"),
        State("session-id", "data"),
        prevent_initial_call=True,
    )(download_suggestions)


# choosing ----------------------------------------------------------------------------------------


def dataset_options(sid: str | None, current: str | None):
    options = catalog.options(sid)
    keys = {o["value"] for o in options}
    return options, current if current in keys else DEFAULT_DATASET


def target_options(key: str | None, sid: str | None):
    try:
        dataset = catalog.load(sid, key)
    except (KeyError, ValueError, SessionError):
        return [], None
    options = [
        {"label": f"{t} ({dataset.units[t]})" if t in dataset.units else t, "value": t}
        for t in dataset.target_columns
    ]
    preferred = "lumo" if "lumo" in dataset.target_columns else dataset.target_columns[0]
    return options, preferred


def acquisition_help(name: str):
    params = PARAMETERS.get(name, {})
    if name == "seed-switch":
        params = {"xi": 0.0}
    if not params:
        return ACQUISITIONS.get(name, ""), {"display": "none"}, no_update
    ((param, default),) = params.items()
    control = labelled(
        PARAM_LABELS[param],
        dbc.Input(id="al-param", type="number", size="sm", value=default, debounce=True),
        f"default {default:g}",
    )
    return ACQUISITIONS.get(name, ""), {"display": "block"}, control


def build_config(
    key,
    target,
    goal,
    goal_value,
    mode,
    model,
    acquisition,
    param,
    init,
    batch,
    seed,
    batch_method,
    design,
) -> CampaignConfig:
    """The campaign settings from the page's controls; ValueError with a sentence when wrong."""
    if not key or not target:
        raise ValueError("Choose a dataset and a target first.")
    if goal == "value":
        if goal_value is None:
            raise ValueError("Enter the target value for the goal 'reach a value'.")
        goal = f"value:{goal_value}"
    params = {}
    names = list(PARAMETERS.get(acquisition, {})) or (
        ["xi"] if acquisition == "seed-switch" else []
    )
    if names and param is not None:
        params[names[0]] = float(param)
    whole = {}
    for name, value in (("initial size", init), ("batch size", batch), ("seed", seed)):
        if value is None or float(value) != int(float(value)):
            raise ValueError(f"The {name} must be a whole number.")
        whole[name] = int(float(value))
    return CampaignConfig(
        dataset_id=key,
        target=target,
        goal=goal,
        model=model,
        acquisition=acquisition,
        params=params,
        batch_method=batch_method,
        initial_design=design,
        initial_size=whole["initial size"],
        batch_size=whole["batch size"],
        seed=whole["seed"],
        mode=mode,
    )


# changing the campaign ---------------------------------------------------------------------------


def _changed() -> dict:
    return {"t": time.time()}


@reports_failures(message_output=1, outputs=2)
def start_campaign(set_progress, _clicks, sid, *controls):
    """Featurise the dataset, fit the first model and save the new campaign (a background job)."""
    set_progress((5, "reading the settings"))
    try:
        config = build_config(*controls)
        set_progress((10, "computing features and fitting the first model"))

        def featurising(fraction: float) -> None:
            message = f"RDKit descriptors of {fraction:.0%} of the rows (kept for next time)"
            if fraction >= 1:
                message = "fitting the first model"
            set_progress((10 + int(80 * fraction), message))

        store = runtime.current().store
        with store.lock(store.require(sid)):
            campaign = campaigns.start(sid, config, featurising)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    set_progress((100, "done"))
    note = f"Started: {campaign.pool_rows.size:,} candidates, model {campaign.model_name}."
    return _changed(), dbc.Alert(note, color="success", duration=5000)


@reports_failures(message_output=1, outputs=2)
def run_steps(set_progress, _clicks, n, sid):
    """Take n simulated steps, saving after each so that Cancel keeps the finished ones."""
    try:
        n = int(n or 0)
        if not 1 <= n <= 200:
            raise ValueError("Run between 1 and 200 steps at a time.")
        store = runtime.current().store
        for done in range(n):
            with store.lock(store.require(sid)):
                campaign = campaigns.load(sid)
                if campaign.config.mode != SIMULATED:
                    raise ValueError(
                        "Run needs a simulated campaign; a real one steps on your values."
                    )
                campaign.step()
                campaigns.save(sid, campaign)
            set_progress(
                (int(100 * (done + 1) / n), f"step {campaign.step_index} ({done + 1} of {n})")
            )
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return _changed(), error_alert(err)
    return _changed(), None


def act(_step, _back, _reset, _tick, sid):
    """Step, Back, Reset, or one tick of Play; the campaign is unchanged when it fails."""
    action = dash.ctx.triggered_id
    store = runtime.current().store
    try:
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid)
            if action in ("al-step", "al-play-timer"):
                campaign.step()
            elif action == "al-back":
                campaign.back()
            elif action == "al-reset":
                campaign.reset()
            campaigns.save(sid, campaign)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    return _changed(), None


def toggle_play(_clicks, disabled: bool):
    playing = bool(disabled)
    return not playing, "Pause" if playing else "Play"


def enter_measurements(_clicks, rows: list[dict] | None, sid):
    """Real mode: take the values typed into the suggestions table, then step."""
    values = {
        int(r["row"]): r["measured"] for r in rows or [] if r.get("measured") not in (None, "")
    }
    store = runtime.current().store
    try:
        if not values:
            raise ValueError("Type at least one measured value in the table first.")
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid)
            campaign.add_measurements(values)
            campaign.step()
            campaigns.save(sid, campaign)
    except (ValueError, KeyError, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    return _changed(), dbc.Alert(
        f"{len(values)} value(s) taken in.", color="success", duration=4000
    )


def export_campaign(_clicks, sid):
    try:
        document = campaigns.saved(runtime.current().store.require(sid))
    except SessionError:
        return no_update
    if document is None:
        return no_update
    return {
        "content": json.dumps(document, indent=1),
        "filename": "campaign.json",
        "type": "application/json",
    }


def import_campaign(contents: str | None, filename: str | None, sid):
    """Load an exported campaign; a damaged file or one for other data leaves the current one."""
    try:
        if not contents or "," not in contents:
            raise ValueError("The campaign file arrived empty.")
        raw = base64.b64decode(contents.split(",", 1)[1], validate=True)
        if len(raw) > MAX_IMPORT_BYTES:
            raise ValueError("This campaign file is too large.")
        try:
            document = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ValueError(f"{filename or 'The file'} is not a campaign JSON file.") from err
        store = runtime.current().store
        with store.lock(store.require(sid)):
            campaign = campaigns.load(sid, document if isinstance(document, dict) else [])
            campaigns.save(sid, campaign, new=True)
    except (ValueError, KeyError, binascii.Error, SessionError, StorageError) as err:
        return no_update, error_alert(err)
    return _changed(), dbc.Alert(
        f"Imported: step {campaign.step_index}.", color="success", duration=4000
    )


def download_suggestions(_clicks, sid):
    try:
        view = campaigns.view(sid)
        frame = _suggestion_frame(view, sid)
    except (ValueError, KeyError, SessionError):
        return no_update
    return {"content": to_safe_csv(frame), "filename": "suggestions.csv", "type": "text/csv"}


# showing it --------------------------------------------------------------------------------------


def render(_state, step, colour_by, sid):
    """All plots, the status line, the slider and the suggestions of the chosen step."""
    try:
        view = campaigns.view(sid, None if dash.ctx.triggered_id != "al-slider" else step)
    except (ValueError, KeyError, SessionError) as err:
        note = dbc.Alert(reason(err), color="info")
        hidden = {"display": "none"}
        return (no_update,) * 5 + (note, 0, 0, [], [], "", hidden, hidden)
    label = view.config.target
    colour = {"mean": view.mean, "std": view.std, "score": view.score}[colour_by or "mean"]
    record = view.history[view.step]
    return (
        figures.parity(view.mean, view.std, view.truth, view.measured, view.picks, label),
        figures.ranked_candidates(view.mean, view.std, view.score, view.utility, view.picks, label),
        figures.pool_map(
            view.coords, colour, COLOUR_BY[colour_by or "mean"], view.measured, view.picks
        ),
        figures.best_so_far(
            [r["best_so_far"] for r in view.history],
            [r["top_k_recall"] for r in view.history],
            view.random_best,
            view.random_recall,
            view.true_best,
            view.config.top_k,
            label,
        ),
        figures.model_quality(view.history),
        _status(view, record),
        view.steps,
        view.step,
        *_suggestion_grid(view, sid),
        _suggestion_help(view),
        {} if view.config.mode == REAL and view.step == view.steps else {"display": "none"},
        {},
    )


def _status(view: campaigns.View, record: dict) -> list:
    def badge(text: str) -> dbc.Badge:
        return dbc.Badge(text, color="secondary", className="me-2 fw-normal")

    measured = int(view.measured.sum())
    items = [
        badge(f"step {view.step} of {view.steps}"),
        badge(f"{measured:,} measured"),
        badge(f"{int((~view.measured).sum()):,} candidates"),
        badge(f"acquisition: {view.acquisition}"),
    ]
    if record.get("best_so_far") is not None:
        items.append(badge(f"best so far: {record['best_so_far']:.4g}"))
    if record.get("top_k_recall") is not None:
        items.append(badge(f"top-{view.config.top_k} recall: {record['top_k_recall']:.2f}"))
    if record.get("r2") is not None:
        items.append(badge(f"R² on pool: {record['r2']:.2f}"))
    return items


def _suggestion_frame(view: campaigns.View, sid):
    dataset = catalog.load(sid, view.config.dataset_id)
    positions = np.flatnonzero(view.picks)
    rows = view.pool_rows[positions]
    shown = [c for c in (dataset.id_column, dataset.structure_column) if c]
    frame = dataset.frame.iloc[rows][shown].copy()
    frame.insert(0, "row", rows)
    frame["predicted"] = np.round(view.mean[positions], 4)
    frame["sigma"] = np.round(view.std[positions], 4)
    frame["score"] = view.score[positions]
    return frame.sort_values("score", ascending=False)


def _suggestion_grid(view: campaigns.View, sid) -> tuple[list[dict], list[dict]]:
    """Rows and columns of the suggestions table (empty while reviewing a past step)."""
    if view.step != view.steps:
        return [], []
    frame = _suggestion_frame(view, sid)
    columns = [{"field": str(c), "headerName": str(c)} for c in frame.columns]
    if view.config.mode == REAL:
        frame["measured"] = None
        columns.append(
            {
                "field": "measured",
                "headerName": "measured (type here)",
                "editable": True,
                "cellDataType": "number",
            }
        )
    return frame.astype(object).where(frame.notna(), None).to_dict("records"), columns


def _suggestion_help(view: campaigns.View) -> str:
    if view.step != view.steps:
        return "Reviewing a past step: move the slider to the end to see the current picks."
    if view.config.mode == REAL:
        return (
            "Measure these, type the values in the last column and press the button; rows "
            "you leave empty stay candidates."
        )
    return "Step reveals these rows' known values; in real mode you would measure them."

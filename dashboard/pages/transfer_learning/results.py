"""The results of a run as text: metric cards against the other model, facts, per-group table."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import html

METRICS = (("r2", "R²", True), ("mae", "MAE", False), ("rmse", "RMSE", False))


def metric_cards(result: dict, use_transfer: bool) -> list[dbc.Col]:
    """R², MAE and RMSE of the shown model, each with its change against the other one."""
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


def facts(result: dict) -> str:
    """One paragraph: approach, model, the datasets and their sizes, where the LV feature ranks."""
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


def group_table(result: dict, use_transfer: bool) -> dbc.Table | html.P:
    """Test metrics per group (the baseline only, when the transfer is switched off)."""
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

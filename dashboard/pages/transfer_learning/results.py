"""The results of a run as text: metric cards against the other model, facts, per-group table."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
from dash import html

from dashboard.engine.transfer import TARGET_MODELS

METRICS = (("r2", "R²", True), ("mae", "MAE", False), ("rmse", "RMSE", False))


def metric_cards(result: dict, use_transfer: bool) -> list[dbc.Col]:
    """R², MAE and RMSE of the shown model, each with its change against the other one; the
    errors are in the target's unit, which their titles name."""
    active, other = ("transfer", "baseline") if use_transfer else ("baseline", "transfer")
    cards = []
    for key, name, higher_better in METRICS:
        value, reference = result[active][key], result[other][key]
        delta = None if value is None or reference is None else value - reference
        better = (delta > 0) == higher_better if delta else None
        color = "success" if better else ("danger" if better is False else "secondary")
        versus = "without" if use_transfer else "with"
        change = "—" if delta is None else f"{delta:+.3f}".replace("-", "−")  # as the verdict
        cards.append(
            dbc.Col(
                dbc.Card(
                    dbc.CardBody(
                        [
                            html.Div(
                                _titled(name, key, result.get("unit")),
                                className="small text-body-secondary",
                            ),
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


def _titled(name: str, key: str, unit: str | None) -> str:
    """'MAE (kcal/mol)'; R² has no unit."""
    return f"{name} ({unit})" if unit and key != "r2" else name


def facts(result: dict) -> str:
    """What was trained on what, in plain words, and how much the transfer model leans on the
    source."""
    source, target = result["source_column"], result["target_column"]
    tested = f"were tested on {result['n_test']:,} others they never saw"
    if result.get("same_dataset"):
        sentences = [
            f"Source and target are two columns of one table, {result['target']}: the source "
            f"model learned {source} from its {result['n_source']:,} rows outside the test set; "
            f"the target models learned {target} from {result['n_train']:,} of them and {tested}."
        ]
    else:
        sentences = [
            f"The source model learned {source} from {result['n_source']:,} rows of "
            f"{result['source']}.",
            f"The target models learned {target} from {result['n_train']:,} rows of "
            f"{result['target']} and {tested}.",
        ]
    if result.get("n_overlap") and not result.get("same_dataset"):
        sentences.append(
            f"{result['n_overlap']:,} target materials also occur in the source; for them the "
            "source's own value is an input too."
        )
    if result.get("model") in TARGET_MODELS:
        sentences.append(f"Target model: {TARGET_MODELS[result['model']]}.")
    if result["approach"] == "ft":
        sentences.append(
            "Fine-tuning started from the source's value of each material and added trees that "
            "learned its error from the target rows."
        )
    sentences.append(_reliance(result))
    return " ".join(s for s in sentences if s)


def _reliance(result: dict) -> str:
    """How highly the transfer model ranks the source's inputs among all of its inputs."""
    ranks = result.get("lv_ranks") or {}
    if not ranks:
        return ""
    name, rank = min(ranks.items(), key=lambda item: item[1])
    what, total = _lv_words(name), len(result["feature_names"])
    if rank == 1:
        return f"Of its {total:,} inputs, the transfer model relies most on {what}."
    place = f"{rank}{_ordinal_suffix(rank)}"
    if rank <= 10:
        return (
            f"Among its {total:,} inputs, {what} comes {place} in how much the model relies on it."
        )
    return (
        f"The transfer model hardly uses the source: {what} comes only {place} of {total:,} inputs."
    )


def _lv_words(name: str) -> str:
    if name.startswith("source model: P("):
        return "the source model's probability that " + name.removeprefix("source model: P(")[:-1]
    if name.startswith("source model: "):
        return f"the source model's prediction of {name.removeprefix('source model: ')}"
    if name.startswith("source value: "):
        return f"the source's own {name.removeprefix('source value: ')} value"
    return "whether the material occurs in the source"


def _ordinal_suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def group_table(result: dict, use_transfer: bool) -> dbc.Table | html.P:
    """Test metrics per group (the baseline only, when the transfer is switched off)."""
    rows = [
        r for r in result.get("group_metrics") or [] if use_transfer or r["model"] == "baseline"
    ]
    if not rows:
        return html.P(
            "No groups for this target: the test rows are split only where many target values "
            "are 0 (metals among band gaps), into those and the rest.",
            className="mi-explain",
        )
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

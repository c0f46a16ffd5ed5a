"""Alerts listing problems or warnings by row and column, as the upload parser reports them."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

MAX_LISTED = 50


def problem_alert(title: str, problems: list[dict], color: str = "danger") -> dbc.Alert:
    """An alert with a title and the first MAX_LISTED problems, the rest counted.

    Each problem's message already names its row and column; it is shown as text, never as HTML.
    """
    items = [html.Li(str(p["message"])) for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        items.append(html.Li(f"… and {len(problems) - MAX_LISTED} more"))
    return dbc.Alert(
        [html.Strong(title), html.Ul(items, className="mi-problems mb-0 mt-2")],
        color=color,
        dismissable=True,
    )


def reason(err: Exception) -> str:
    """The sentence an exception was raised with (KeyError's repr quotes would only confuse)."""
    return err.args[0] if err.args and isinstance(err.args[0], str) else str(err)


def as_sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and a full stop (engine errors are written
    as clauses: "already at step 0: there is no step to take back")."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def error_alert(err: Exception, color: str = "danger") -> dbc.Alert:
    """An exception's message as a dismissable alert, shown as text and made a sentence, so that
    every page shows an engine error the same way."""
    return dbc.Alert(as_sentence(reason(err)), color=color, dismissable=True)

"""A dropdown whose choice survives a reload, kept in the browser's local storage beside it.

Dash's own `persistence` is not used for pickers whose options a callback fills: on a reload it
writes the remembered value into the dropdown before the options exist, and Dash 4's dropdown
then drops a value it cannot find — a race that now and then left the dataset picker empty (seen
in CI under load). Here the choice lives in a plain store; the callback that fills the options
reads it as State and sets options and value together, so they always agree.
"""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, no_update


def memory_id(dropdown_id: str) -> str:
    """The id of the store that remembers `dropdown_id`'s last choice."""
    return f"{dropdown_id}-remembered"


def memory(dropdown_id: str) -> dcc.Store:
    """The store to place anywhere in the page's layout."""
    return dcc.Store(id=memory_id(dropdown_id), storage_type="local")


def remember(value: str | None):
    """What to keep: the new choice; an emptied picker keeps the last real one."""
    return value if value else no_update


def register(app: Dash, dropdown_id: str) -> None:
    """Copy every choice of `dropdown_id` into its store."""
    app.callback(
        Output(memory_id(dropdown_id), "data"),
        Input(dropdown_id, "value"),
        prevent_initial_call=True,
    )(remember)

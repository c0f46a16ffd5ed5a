"""Progress bar, status line and Cancel button for one background callback."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html

HIDDEN = {"display": "none"}
SHOWN = {"display": "block"}


class JobProgress(html.Div):
    """A hidden-until-running block: striped progress bar with a label, and a Cancel button.

    `JobProgress.callback_kwargs(name)` gives the `progress`, `running` and `cancel` arguments of
    the background callback that drives it; the callback then calls
    `set_progress((percent, "what is happening"))`.
    """

    class ids:
        container = staticmethod(lambda name: f"{name}-job")
        bar = staticmethod(lambda name: f"{name}-job-bar")
        cancel = staticmethod(lambda name: f"{name}-job-cancel")

    def __init__(self, name: str) -> None:
        super().__init__(
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Progress(
                            id=self.ids.bar(name),
                            value=0,
                            striped=True,
                            animated=True,
                            style={"height": "1.4rem"},
                        ),
                    ),
                    dbc.Col(
                        dbc.Button(
                            "Cancel",
                            id=self.ids.cancel(name),
                            size="sm",
                            color="secondary",
                            outline=True,
                        ),
                        width="auto",
                    ),
                ],
                className="g-2 align-items-center",
            ),
            id=self.ids.container(name),
            style=HIDDEN,
            className="my-2",
        )

    @classmethod
    def callback_kwargs(cls, name: str) -> dict:
        """Arguments for `app.callback(..., background=True, **kwargs)` tied to this block."""
        return {
            "progress": [Output(cls.ids.bar(name), "value"), Output(cls.ids.bar(name), "label")],
            "progress_default": [0, ""],
            "running": [(Output(cls.ids.container(name), "style"), SHOWN, HIDDEN)],
            "cancel": [Input(cls.ids.cancel(name), "n_clicks")],
        }

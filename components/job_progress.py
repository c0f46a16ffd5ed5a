"""Progress bar, status line and Cancel button for one background callback."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, html

HIDDEN = {"display": "none"}
SHOWN = {"display": "block"}
POLL_MS = 250
"""How often the browser asks whether a job has finished (Dash's default is 1,000 ms, so a job of
2 s was seen done up to a second late). A poll is a small request the server answers from the
job's cache entry, and a page polls only while its job runs."""
STARTING = "Starting…"
"""What the block says from the click until the job's first report, on a full striped bar: the
job takes about a second to start, and an empty bar with no label looked broken meanwhile."""


class JobProgress(html.Div):
    """A hidden-until-running block: striped progress bar with a label, and a Cancel button.

    `JobProgress.callback_kwargs(name)` gives the `progress`, `running` and `cancel` arguments of
    the background callback that drives it; the callback then calls
    `set_progress((percent, "what is happening"))`. With `detail`, that sentence goes on a line
    under the bar instead (for long ones, which the bar's label would cut).
    """

    class ids:
        container = staticmethod(lambda name: f"{name}-job")
        bar = staticmethod(lambda name: f"{name}-job-bar")
        text = staticmethod(lambda name: f"{name}-job-text")
        cancel = staticmethod(lambda name: f"{name}-job-cancel")

    def __init__(self, name: str, detail: bool = False) -> None:
        super().__init__(
            [
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
                html.Div(id=self.ids.text(name), className="small mt-1", role="status")
                if detail
                else None,
            ],
            id=self.ids.container(name),
            style=HIDDEN,
            className="my-2",
        )

    @classmethod
    def callback_kwargs(
        cls, name: str, detail: bool = False, extra_running: list | None = None
    ) -> dict:
        """Arguments for `app.callback(..., background=True, **kwargs)` tied to this block (made
        with the same `detail`); `extra_running` adds (output, while running, after) entries.
        From the click to the first report the bar is full and says STARTING."""
        sentence = (
            Output(cls.ids.text(name), "children") if detail else Output(cls.ids.bar(name), "label")
        )
        return {
            "progress": [Output(cls.ids.bar(name), "value"), sentence],
            "progress_default": [0, ""],
            "running": [
                (Output(cls.ids.container(name), "style"), SHOWN, HIDDEN),
                (Output(cls.ids.bar(name), "value"), 100, 0),
                (sentence, STARTING, ""),
                *(extra_running or []),
            ],
            "cancel": [Input(cls.ids.cancel(name), "n_clicks")],
            "interval": POLL_MS,
        }

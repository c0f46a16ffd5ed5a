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
    """A hidden-until-running block: striped progress bar, a Cancel button, and a line under them.

    `JobProgress.callback_kwargs(name)` gives the `progress`, `running` and `cancel` arguments of
    the background callback that drives it; the callback then calls
    `set_progress((percent, "what is happening"))`, and that sentence goes on the line under the
    bar: as the bar's label it was cut to the filled part (nothing at 0 %, and a narrow bar of
    10 % hid 'source model' for the ten seconds the Transfer page's Train spends on it).
    """

    class ids:
        container = staticmethod(lambda name: f"{name}-job")
        bar = staticmethod(lambda name: f"{name}-job-bar")
        text = staticmethod(lambda name: f"{name}-job-text")
        cancel = staticmethod(lambda name: f"{name}-job-cancel")

    def __init__(self, name: str, label: str) -> None:
        """`label` names the bar for screen readers (what the job does, e.g. "Training");
        assets/a11y.js gives it to the bar, which dbc.Progress renders without a name."""
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
                html.Div(id=self.ids.text(name), className="small mt-1", role="status"),
            ],
            id=self.ids.container(name),
            style=HIDDEN,
            **{"data-label": label},
            className="my-2",
        )

    @classmethod
    def callback_kwargs(cls, name: str, extra_running: list | None = None) -> dict:
        """Arguments for `app.callback(..., background=True, **kwargs)` tied to this block;
        `extra_running` adds (output, while running, after) entries. From the click to the first
        report the bar is full and the line says STARTING."""
        sentence = Output(cls.ids.text(name), "children")
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

    @classmethod
    def reported_kwargs(cls, name: str) -> dict:
        """Arguments for a background callback whose block stays hidden until the job reports,
        for work that runs unseen unless someone waits on it: the callback calls
        `set_progress((percent, sentence, SHOWN))`, and the block hides again when it ends."""
        return {
            "progress": [
                Output(cls.ids.bar(name), "value"),
                Output(cls.ids.text(name), "children"),
                Output(cls.ids.container(name), "style"),
            ],
            "progress_default": [0, "", HIDDEN],
            "cancel": [Input(cls.ids.cancel(name), "n_clicks")],
            "interval": POLL_MS,
        }

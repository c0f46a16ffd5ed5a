"""Where a request's time goes, as the W3C Server-Timing header (`load;dur=12.3, fit;dur=60.2`).

A Step's round trip is the server's load, fit, score and save plus what surrounds them (the callback's
own answer, the network) and the redraw request after it; the header tells `bench load` (and a
browser's network panel) the server's part, phase by phase, without a log to collect.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import dash
from dash.exceptions import MissingCallbackContextException

HEADER = "Server-Timing"


class Phases:
    """Named durations of one request, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the `with` block as `name` (a failed block counts too)."""
        began = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - began

    def split(self, name: str, first: str, seconds: float, rest: str) -> None:
        """Replace phase `name` by `first` (`seconds` of it) and `rest` (the remainder), in its
        place: a Step's "step" becomes the model's fit and the scoring and choosing after it."""
        phases = {}
        for key, value in self.seconds.items():
            if key == name:
                phases[first], phases[rest] = seconds, max(value - seconds, 0.0)
            else:
                phases[key] = value
        self.seconds = phases

    def header(self) -> str:
        return ", ".join(f"{name};dur={1000 * s:.1f}" for name, s in self.seconds.items())

    def send(self) -> None:
        """Put the header on the running callback's response (nothing outside a request, as
        when tests call a callback function directly)."""
        with suppress(MissingCallbackContextException, AttributeError, RuntimeError):
            dash.ctx.response.set_header(HEADER, self.header())


def parse(header: str | None) -> dict[str, float]:
    """The phases of a Server-Timing header in seconds (entries without a duration are left out)."""
    phases = {}
    for entry in (header or "").split(","):
        name, *params = (part.strip() for part in entry.split(";"))
        duration = next((p[4:] for p in params if p.startswith("dur=")), None)
        if name and duration is not None:
            try:
                phases[name] = float(duration) / 1000
            except ValueError:
                continue
    return phases

"""The session's newest Train: the page's jobs for an older run (its learning curve, the other
target models prepared for a switch) give way to it, so that a new run never waits for work
whose result is no longer shown. The newest run's id is a small document of the session."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from dashboard.store import SessionStore

KIND = "transfer"
NAME = "current"
"""The session's document of its last run (result, request, key)."""
NEWEST = "newest-run"


class Superseded(Exception):
    """A newer Train of the session made this job's work obsolete."""


def mark_newest(store: SessionStore, sid: str) -> str:
    """Record a new run as the session's newest, before it waits for a job slot; its id."""
    run = secrets.token_hex(8)
    store.save_json(sid, KIND, NEWEST, {"run": run})
    return run


def giving_way(
    store: SessionStore, sid: str, run: str | None, set_progress: Callable[[tuple], None]
) -> Callable[[tuple], None]:
    """`set_progress` that first raises Superseded when a newer run than `run` was marked; a job
    calls it between fits and while it is queued."""

    def report(update: tuple) -> None:
        newest = store.load_json(sid, KIND, NEWEST) or {}
        if newest.get("run", run) != run:
            raise Superseded
        set_progress(update)

    return report

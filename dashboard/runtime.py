"""The configuration a running dashboard process shares with its pages and background jobs.

`create_app` (web server, Celery worker) calls `configure`; background jobs forked from the server
inherit it. Only configuration lives here, never a user's state: that is in the SessionStore.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.settings import Settings
from dashboard.store import SessionStore


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    store: SessionStore

    @property
    def cache_dir(self):
        """Shared cache of features and models, keyed by content hashes."""
        return self.settings.cache_dir


_current: Runtime | None = None


def configure(settings: Settings) -> Runtime:
    """Make `settings` the process's configuration and return it."""
    global _current
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    _current = Runtime(settings, SessionStore(settings.storage_dir, settings.session_ttl_hours))
    return _current


def current() -> Runtime:
    """The configuration set by `configure` (from the environment when nothing was set)."""
    return _current if _current is not None else configure(Settings.from_env())

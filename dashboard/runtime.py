"""The configuration a running dashboard process shares with its pages and background jobs.

`create_app` (web server, Celery worker) calls `configure`; background jobs forked from the server
inherit it. Only configuration lives here, never a user's state: that is in the SessionStore.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.redis_store import RedisSessionStore
from dashboard.settings import Settings
from dashboard.store import SessionStore

Store = SessionStore | RedisSessionStore
"""Both keep sessions with the same verbs: on disk, or in Redis when MI_STATE_URL is set."""


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    store: Store

    @property
    def cache_dir(self):
        """Shared cache of features and models, keyed by content hashes."""
        return self.settings.cache_dir


_current: Runtime | None = None


def configure(settings: Settings) -> Runtime:
    """Make `settings` the process's configuration and return it."""
    global _current
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    _current = Runtime(settings, _store(settings))
    return _current


def _store(settings: Settings) -> Store:
    """Redis at MI_STATE_URL (local copies of datasets under the storage folder), else the disk."""
    if settings.state_url:
        return RedisSessionStore(
            settings.state_url, settings.storage_dir / "state-copies", settings.session_ttl_hours
        )
    return SessionStore(settings.storage_dir, settings.session_ttl_hours)


def current() -> Runtime:
    """The configuration set by `configure` (from the environment when nothing was set)."""
    return _current if _current is not None else configure(Settings.from_env())

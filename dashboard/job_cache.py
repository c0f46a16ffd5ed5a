"""The job queue's disk cache, used by one thread of a process at a time and never across a fork.

Dash's disk manager forks each background job from a server thread while other threads poll,
write progress and end finished jobs in the same SQLite database. A child forked while another
thread of its parent is inside a write (Dash's own manager holds a transaction for up to a
second while it ends a job) inherits SQLite's in-process record of that lock. The child's own
connection then believes the lock is taken, its every write waits for a release that never
comes, and after the cache's timeout (60 s) its answer is lost: the page's job never ends.
SQLite's documentation says the same: a process must not carry a database's lock state across
fork(). So every use of the cache, and the fork of a job, take one lock of the process; a child
gets a new lock.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator

_lock = threading.RLock()


def _new_lock_after_fork() -> None:
    """A forked child has one thread: a lock held by another thread of its parent stays held."""
    global _lock
    _lock = threading.RLock()


os.register_at_fork(after_in_child=_new_lock_after_fork)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """No other thread of this process uses a job cache during the `with` block (a fork)."""
    with _lock:
        yield


class ForkSafeCache:
    """A diskcache.Cache whose every call, and every transaction, holds this process's lock."""

    def __init__(self, cache) -> None:
        self._cache = cache

    def __getattr__(self, name: str):
        value = getattr(self._cache, name)
        if not callable(value):
            return value

        @functools.wraps(value)
        def locked(*args, **kwargs):
            with held():
                return value(*args, **kwargs)

        return locked

    @contextlib.contextmanager
    def transact(self, retry: bool = False) -> Iterator[None]:
        with held(), self._cache.transact(retry):
            yield

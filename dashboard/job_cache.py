"""The job queue's disk cache, used from one thread of a process and never across a fork.

Dash's disk manager forks each background job from a server thread while other threads poll,
write progress and end finished jobs in the same SQLite database. A child forked while another
thread of its parent is inside SQLite inherits that thread's locks as they were. Two ways were
seen here: a thread inside a write (Dash's own manager holds a transaction for up to a second
while it ends a job) left the child's writes waiting for a database lock until the cache's
timeout (60 s), and a request thread that had ended, closing its connection, left SQLite's
global mutex held, so the child hung for ever closing the connection it inherited. Either way
the job's answer is lost and the page's job never ends; SQLite's documentation says a process
must not carry a database's state across fork().

So every call on the cache runs in one long-lived thread of the process (short-lived request
threads own no connection, so none closes one as it ends), callers take turns through one lock,
and a job forks holding that lock, when no SQLite call is under way. A forked child starts its
own thread, and with it its own connection, on its first call.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

_lock = threading.RLock()
_worker: ThreadPoolExecutor | None = None


def _after_fork_in_child() -> None:
    """A forked child has one thread: a lock held by another thread of its parent would stay
    held, and the parent's cache thread does not exist here."""
    global _lock, _worker
    _lock, _worker = threading.RLock(), None


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """No call on a job cache runs during the `with` block (a fork)."""
    with _lock:
        yield


def _in_cache_thread(call: Callable, *args, **kwargs):
    """call(*args, **kwargs) in the process's cache thread, one caller at a time."""
    global _worker
    with held():
        if _worker is None:
            _worker = ThreadPoolExecutor(1, thread_name_prefix="job-cache")
        return _worker.submit(call, *args, **kwargs).result()


class ForkSafeCache:
    """A diskcache.Cache whose every call, and every transaction, runs in the cache thread."""

    def __init__(self, cache) -> None:
        self._cache = cache

    def __getattr__(self, name: str):
        value = getattr(self._cache, name)
        if not callable(value):
            return value

        def in_cache_thread(*args, **kwargs):
            return _in_cache_thread(value, *args, **kwargs)

        return in_cache_thread

    @contextlib.contextmanager
    def transact(self, retry: bool = False) -> Iterator[None]:
        """The cache's transaction, begun and ended in the cache thread; the caller keeps the
        lock in between, so that only its own calls join the transaction."""
        with held():
            transaction = _in_cache_thread(self._cache.transact, retry)
            _in_cache_thread(transaction.__enter__)
            try:
                yield
            except BaseException as err:
                if not _in_cache_thread(transaction.__exit__, type(err), err, err.__traceback__):
                    raise
            else:
                _in_cache_thread(transaction.__exit__, None, None, None)

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
import functools
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future

_lock = threading.RLock()


class _CacheThread:
    """One long-lived thread that runs the calls it is given, in order."""

    def __init__(self) -> None:
        self.calls: queue.SimpleQueue = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, name="job-cache", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                call, future = self.calls.get()
            except SystemExit:  # ended while idle: the next caller sees it gone
                return
            try:
                future.set_result(call())
            except SystemExit as stop:  # this thread is being ended: the caller tries again
                future.set_exception(_Ended(stop))
                return
            except BaseException as err:
                future.set_exception(err)

    def run(self, call: Callable) -> object:
        """call()'s answer, or _Ended when this thread ended before it answered."""
        future: Future = Future()
        self.calls.put((call, future))
        while True:
            try:
                return future.result(timeout=_CHECK_SECONDS)
            except TimeoutError:
                if not self.thread.is_alive() and not future.done():
                    raise _Ended from None


class _Ended(Exception):
    """The cache thread ended (Dash's threaded test server ends every thread started while it
    ran, by raising SystemExit in it) before it answered; the call is made again."""


_CHECK_SECONDS = 0.5
_thread: _CacheThread | None = None


def _after_fork_in_child() -> None:
    """A forked child has one thread: a lock held by another thread of its parent would stay
    held, and the parent's cache thread does not exist here."""
    global _lock, _thread
    _lock, _thread = threading.RLock(), None


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """No call on a job cache runs during the `with` block (a fork)."""
    with _lock:
        yield


def _in_cache_thread(call: Callable, *args, **kwargs):
    """call(*args, **kwargs) in the process's cache thread, one caller at a time."""
    global _thread
    with held():
        while True:
            if _thread is None or not _thread.thread.is_alive():
                _thread = _CacheThread()
            try:
                return _thread.run(functools.partial(call, *args, **kwargs))
            except _Ended:
                _thread = None


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

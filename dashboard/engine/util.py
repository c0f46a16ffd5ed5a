"""Process-level helpers the engine's packages share: an exclusive file lock across processes
(sessions, feature cache), a lock per key across threads, and running heavy linear algebra on one
BLAS thread."""

from __future__ import annotations

import fcntl
import functools
import os
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

BLAS_THREADS = 1
"""On a shared 2-core machine OpenBLAS's extra threads spin while they wait for a core: a 1,000-row
Cholesky took 1.3 s instead of 11 ms, and a web server runs several requests at once anyway."""

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of the file `path` (created if missing) for the `with` block;
    other processes asking for it wait. The lock goes with the process if it dies (POSIX advisory
    locks through fcntl)."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class KeyedLocks:
    """One lock per key, made when a thread first asks for it and dropped when no thread holds or
    waits for it. Threads that would compute the same costly result (a pool's kernel parts, a
    dataset's features) take its key's lock, so one computes while the others wait and then
    find the result, instead of all computing it at once on a 2-core machine."""

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        """Start empty: a forked child has none of the threads that held or awaited a lock."""
        self._guard = threading.Lock()
        self._locks: dict[Hashable, tuple[threading.Lock, list[int]]] = {}

    @contextmanager
    def hold(self, key: Hashable) -> Iterator[None]:
        """Hold `key`'s lock for the `with` block."""
        with self._guard:
            lock, users = self._locks.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users[0] -= 1
                if users[0] == 0 and self._locks.get(key, (None, None))[1] is users:
                    del self._locks[key]  # (after a fork the child's table is a new one)


@functools.cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate `function` to run with BLAS limited to BLAS_THREADS threads."""

    @functools.wraps(function)
    def limited(*args: P.args, **kwargs: P.kwargs) -> R:
        with _controller().limit(limits=BLAS_THREADS, user_api="blas"):
            return function(*args, **kwargs)

    return limited

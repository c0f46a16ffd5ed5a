"""Two process-level helpers the engine's packages share: an exclusive file lock across processes
(sessions, feature cache) and running heavy linear algebra on one BLAS thread."""

from __future__ import annotations

import fcntl
import functools
from collections.abc import Callable, Iterator
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

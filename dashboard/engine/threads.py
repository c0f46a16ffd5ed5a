"""Run heavy linear algebra on one BLAS thread.

On a shared 2-core machine OpenBLAS's extra threads spin while they wait for a core: a 1,000-row
Cholesky took 1.3 s instead of 11 ms, and a web server runs several requests at once anyway.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

BLAS_THREADS = 1
P = ParamSpec("P")
R = TypeVar("R")


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

"""An exclusive lock on a file, across processes (POSIX advisory locks through fcntl)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the exclusive lock of the file `path` (created if missing) for the `with` block;
    other processes asking for it wait. The lock goes with the process if it dies."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

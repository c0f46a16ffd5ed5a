"""At most MI_MAX_JOBS heavy background jobs at once on this host, and one at a time per session.

A counting semaphore of lock files under MI_STORAGE_DIR/job-slots: `slot-0.lock` ... `slot-{N-1}
.lock`, each taken with an exclusive non-blocking flock, so it holds across every process that runs
jobs (the disk manager's job processes, gunicorn's workers, Celery's) on one host. The kernel drops
a lock when its process dies, so a cancelled or killed job frees its slot. A job that finds no
slot waits and says so, and gives up after MI_JOB_WAIT_SECONDS, having started nothing. (The lock
of engine/util.py waits as long as it takes; a slot is tried without waiting, one after another.)
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from dashboard.settings import Settings

FOLDER = "job-slots"
POLL_SECONDS = 0.1
"""How often a queued job tries again for a slot: a try is one non-blocking lock of a file, and
a job queued behind a short one (a switch of the transfer page's model waiting for the
preparation's fit) started up to 0.5 s late with the 0.5 s it was."""


def openmp_threads(settings: Settings, cores: int | None = None) -> int:
    """OpenMP threads for one job: the host's cores shared among the MI_MAX_JOBS jobs that may
    run at once. OpenMP's threads spin while they wait for each other, so jobs that together
    ask for more threads than there are cores slow each other down many times over: two jobs of
    two threads on two cores took a median of 45 s for a boosting fit of 0.55 s alone, and 2 s
    with one thread each; alone, one thread costs 1.1-1.7 times two (scikit-learn's boosting on
    FreeSolv's and Matbench's training rows). Forests' threads take turns without spinning."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, settings.max_jobs))


class QueueTimeout(Exception):
    """A job waited MI_JOB_WAIT_SECONDS for a slot and did not start; the message says so."""


@dataclass(frozen=True)
class JobSlots:
    """The slots of one storage folder: `capacity` jobs at once, waits of at most `wait_seconds`."""

    folder: Path
    capacity: int
    wait_seconds: float
    poll_seconds: float = POLL_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> JobSlots:
        return cls(
            settings.storage_dir / FOLDER, max(1, settings.max_jobs), settings.job_wait_seconds
        )

    @contextmanager
    def held(self, session: str | None, report: Callable[[str], None]) -> Iterator[None]:
        """Run the `with` block holding the session's own slot (when a session is named) and one
        of the server's, waiting for them while `report` has a sentence about the wait; raise
        QueueTimeout, with nothing started, when they stay taken longer than `wait_seconds`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with ExitStack() as slots:
            if session is not None:
                take_own = functools.partial(_take_own, self._own_file(session))
                slots.enter_context(
                    self._waiting(take_own, started, report, *self._own_sentences())
                )
            slots.enter_context(
                self._waiting(self._take_server_slot, started, report, *self._server_sentences())
            )
            yield

    def _own_file(self, session: str) -> Path:
        """The session's lock file, named by a hash so that the id never becomes a path."""
        return self.folder / f"session-{hashlib.sha256(session.encode()).hexdigest()[:32]}.lock"

    def _own_sentences(self) -> tuple[str, str]:
        """While the session's other job runs: (queued, gave up)."""
        return "Queued: your other job is still running…", (
            f"Your other job in this session was still running after {self.wait_seconds:.0f} s, "
            "so this one did not start and nothing was changed. Wait for it to finish (or cancel "
            "it), then try again."
        )

    def _server_sentences(self) -> tuple[str, str]:
        """While every slot of the server is taken: (queued, gave up)."""
        return f"Server busy: your job is queued ({self.capacity} running)…", (
            f"The server stayed busy for {self.wait_seconds:.0f} s ({self.capacity} running), "
            "so your job did not start and nothing was changed. Try again in a few minutes."
        )

    @contextmanager
    def _waiting(
        self,
        take: Callable[[], Callable[[], None] | None],
        started: float,
        report: Callable[[str], None],
        queued: str,
        gave_up: str,
    ) -> Iterator[None]:
        """Hold what `take` gets (it gives the function that lets it go, or None while taken),
        trying every `poll_seconds`: `report` hears `queued` once, QueueTimeout says `gave_up`
        when `wait_seconds` have gone by since `started`. (The sentences are short enough for a
        progress bar's label.)"""
        reported = False
        while (release := take()) is None:
            if time.monotonic() - started >= self.wait_seconds:
                raise QueueTimeout(gave_up)
            if not reported:
                report(queued)
                reported = True
            time.sleep(self.poll_seconds)
        try:
            yield
        finally:
            release()

    def _take_server_slot(self) -> Callable[[], None] | None:
        for index in range(self.capacity):
            handle = _locked(self.folder / f"slot-{index}.lock")
            if handle is not None:
                return lambda: _let_go(handle)
        return None


def _locked(path: Path) -> IO | None:
    """The open file `path` with its exclusive lock, or None when another process holds it."""
    handle = open(path, "a")  # noqa: SIM115 - it stays open while the lock is held
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def _take_own(path: Path) -> Callable[[], None] | None:
    """The lock of a file that its holder deletes when it lets go, so that lock files of sessions
    do not pile up. A lock won on a file just deleted is worth nothing: try the path again."""
    while (handle := _locked(path)) is not None:
        try:
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                return lambda: _delete_and_close(path, handle)
        except FileNotFoundError:
            pass
        handle.close()
    return None


def _delete_and_close(path: Path, handle: IO) -> None:
    """Delete the file while still holding its lock, then let the lock go: a waiter that opened
    it before finds its lock on a deleted file and opens the path afresh."""
    path.unlink(missing_ok=True)
    _let_go(handle)


def _let_go(handle: IO) -> None:
    """Unlock, then close: unlocking frees the slot even when a process the job forked still has
    the file open."""
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()

"""KeyedLocks (engine/util.py): threads wait for each other on one key only, and the table of
locks empties once nobody holds or awaits one."""

from __future__ import annotations

import os
import threading
import time

from dashboard.engine.util import KeyedLocks


def run_together(locks: KeyedLocks, keys: list[str]) -> list[tuple[str, str, float]]:
    """Each key's thread holds its lock 0.2 s; the (key, event, time) of entries and exits."""
    events: list[tuple[str, str, float]] = []

    def hold(key: str) -> None:
        with locks.hold(key):
            events.append((key, "in", time.monotonic()))
            time.sleep(0.2)
            events.append((key, "out", time.monotonic()))

    threads = [threading.Thread(target=hold, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return events


def test_threads_on_one_key_take_turns_and_the_table_empties():
    locks = KeyedLocks()
    events = run_together(locks, ["a", "a"])
    assert [event for _, event, _ in events] == ["in", "out", "in", "out"]
    assert locks._locks == {}


def test_threads_on_different_keys_do_not_wait_for_each_other():
    events = run_together(KeyedLocks(), ["a", "b"])
    assert [event for _, event, _ in events][:2] == ["in", "in"]


def test_a_forked_child_finds_no_lock_held_by_its_parents_threads():
    locks = KeyedLocks()
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with locks.hold("a"):
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    inside.wait(10)
    child = os.fork()
    if child == 0:  # the thread holding "a" does not exist here
        acquired = threading.Event()

        def take() -> None:
            with locks.hold("a"):
                acquired.set()

        threading.Thread(target=take, daemon=True).start()
        os._exit(0 if acquired.wait(5) else 1)
    _, status = os.waitpid(child, 0)
    release.set()
    thread.join()
    assert os.waitstatus_to_exitcode(status) == 0

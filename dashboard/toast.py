"""The shell's error toast: its id, and the props that show a message in it.

A message closes by itself after DURATION_MS; one that offers an action (Retry after a lost
job) stays until the user closes it, so that the action is not gone before it is read.
"""

from __future__ import annotations

TOAST = "global-error"
DURATION_MS = 12000


def shown(children: object, stays: bool = False) -> dict:
    """Props that open the toast with `children`; `stays` keeps it open until dismissed."""
    return {"children": children, "is_open": True, "duration": None if stays else DURATION_MS}

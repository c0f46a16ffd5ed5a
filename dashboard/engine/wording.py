"""Counts and times in the engine's messages: "1 row", "2 rows", "3 rows are", "about 2 min"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` (with thousands separators) and the noun in the number it needs."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def verb(n: int, singular: str, plural: str) -> str:
    """The verb form that agrees with a count of `n` ("is"/"are", "was"/"were")."""
    return singular if n == 1 else plural


def about(seconds: float) -> str:
    """A time to wait, rounded as a person would say it: "about 40 s", "about 12 min"."""
    if seconds < 90:
        return f"about {max(10, round(seconds, -1)):.0f} s"
    return f"about {round(seconds / 60):.0f} min"

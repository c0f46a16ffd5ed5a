"""Counts in the engine's messages: "1 row", "2 rows", "1 row is", "3 rows are"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` (with thousands separators) and the noun in the number it needs."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def verb(n: int, singular: str, plural: str) -> str:
    """The verb form that agrees with a count of `n` ("is"/"are", "was"/"were")."""
    return singular if n == 1 else plural

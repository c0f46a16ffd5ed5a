"""Problems by row and column: what the upload pipeline reports. The bottom of the pipeline:
every other step imports it, it imports none of them."""

from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED = 100
"""At most this many row-level problems are listed one by one; the rest are counted."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload, in words a chemist understands.

    `row` is the 1-based data row (row 1 is the first row under the header) or None for the whole
    file; `column` the column name or None. `message` is a full sentence that already names the row
    and column, so it can be shown on its own.
    """

    row: int | None
    column: str | None
    message: str

    def to_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def cell_problem(row: int, column: str, reason: str) -> Problem:
    """A problem of one cell, worded as "row 17, column 'formula': <reason>".

    Unprintable characters of the cell (escape codes, NUL) are shown as '?'.
    """
    reason = "".join(c if c.isprintable() else "?" for c in reason)
    return Problem(row, column, f"row {row}, column '{column}': {reason}")


def listed(problems: list[Problem], what: str) -> list[Problem]:
    """The first MAX_LISTED problems, plus one line counting the others (`what` names them)."""
    if len(problems) <= MAX_LISTED:
        return list(problems)
    more = len(problems) - MAX_LISTED
    return [*problems[:MAX_LISTED], Problem(None, None, f"... and {more:,} more {what}.")]


class Rejected(Exception):
    """Raised inside the upload pipeline when the file cannot become a dataset."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

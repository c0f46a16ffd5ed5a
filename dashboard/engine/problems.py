"""What checking an uploaded table gives back: problems by row and column, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dashboard.engine.dataset import Dataset

if TYPE_CHECKING:
    from dashboard.engine.roles import Roles
    from dashboard.engine.table import Table

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


@dataclass
class UploadResult:
    """Either `dataset` (with `warnings` about dropped rows) or a non-empty `problems` list.

    `table` is the typed table before any row was dropped and `roles` the roles that were tried:
    the Data page passes both back to `apply_roles` when the user edits the roles.
    """

    dataset: Dataset | None = None
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    table: Table | None = None
    roles: Roles | None = None

    @property
    def ok(self) -> bool:
        return self.dataset is not None and not self.problems

    def to_dict(self) -> dict:
        """The answer of `python -m dashboard check --json`."""
        if not self.ok:
            return {"ok": False, "problems": [p.to_dict() for p in self.problems]}
        data = self.dataset
        used = {data.structure_column, data.id_column, *data.feature_columns, *data.target_columns}
        return {
            "ok": True,
            "title": data.title,
            "rows": data.rows,
            "columns": len(data.frame.columns),
            "structure_column": data.structure_column,
            "structure_kind": data.structure_kind,
            "targets": list(data.target_columns),
            "features": list(data.feature_columns),
            "id_column": data.id_column,
            "units": dict(data.units),
            "other_columns": [c for c in data.frame.columns if c not in used],
            "warnings": [w.to_dict() for w in self.warnings],
        }

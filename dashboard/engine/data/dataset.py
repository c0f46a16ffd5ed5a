"""The Dataset: a table plus the roles of its columns, the unit every other engine module takes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

StructureKind = Literal["composition", "smiles", "none"]
STRUCTURE_KINDS: tuple[str, ...] = ("composition", "smiles", "none")


@dataclass
class Dataset:
    """A frame and what each column is for: structure, features, targets (with units), id.

    `structure_kind` says how `structure_column` is featurised ("composition": chemical formulas,
    "smiles": molecules, "none": the numeric `feature_columns` are the only inputs).
    """

    id: str
    title: str
    frame: pd.DataFrame
    structure_column: str | None = None
    structure_kind: StructureKind = "none"
    feature_columns: list[str] = field(default_factory=list)
    target_columns: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    id_column: str | None = None
    source: str = ""

    def __post_init__(self) -> None:
        self.validate_roles()

    def validate_roles(self) -> None:
        """Raise ValueError when a role names a column the frame lacks or the kind is unknown."""
        if self.structure_kind not in STRUCTURE_KINDS:
            raise ValueError(f"unknown structure kind {self.structure_kind!r}")
        if (self.structure_kind == "none") != (self.structure_column is None):
            raise ValueError(
                "a structure column needs a structure kind, and 'none' needs no column"
            )
        named = [self.structure_column, self.id_column, *self.feature_columns, *self.target_columns]
        missing = [c for c in named if c is not None and c not in self.frame.columns]
        if missing:
            raise ValueError(f"dataset {self.id!r} has no column(s) {missing}")

    @property
    def rows(self) -> int:
        return len(self.frame)

    def content_hash(self) -> str:
        """A short stable hash of the values and roles, for caching features and models."""
        digest = hashlib.sha256()
        digest.update(json.dumps(self.roles(), sort_keys=True).encode())
        hashed = pd.util.hash_pandas_object(self.frame, index=False).to_numpy()
        digest.update(hashed.tobytes())
        digest.update("\x1f".join(map(str, self.frame.columns)).encode())
        return digest.hexdigest()[:20]

    def roles(self) -> dict:
        """Everything but the frame, as JSON-ready values."""
        return {
            "id": self.id,
            "title": self.title,
            "structure_column": self.structure_column,
            "structure_kind": self.structure_kind,
            "feature_columns": list(self.feature_columns),
            "target_columns": list(self.target_columns),
            "units": dict(self.units),
            "id_column": self.id_column,
            "source": self.source,
        }

    def with_roles(self, **changes) -> Dataset:
        """A copy sharing the frame, with some roles changed (validated)."""
        return Dataset(frame=self.frame, **{**self.roles(), **changes})

    def save(self, folder: Path) -> None:
        """Write the frame as Parquet and the roles as JSON into `folder` (created if needed)."""
        folder.mkdir(parents=True, exist_ok=True)
        self.frame.to_parquet(folder / "frame.parquet", index=False)
        (folder / "roles.json").write_text(json.dumps(self.roles(), indent=1))

    @classmethod
    def load_saved(cls, folder: Path) -> Dataset:
        """Read back what `save` wrote."""
        roles = json.loads((folder / "roles.json").read_text())
        return cls(frame=pd.read_parquet(folder / "frame.parquet"), **roles)

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


ParameterKind = Literal["composition", "smiles", "categorical", "numeric"]


@dataclass(frozen=True)
class Parameter:
    """One input of a design space: a column and how it is read."""

    column: str
    kind: ParameterKind


@dataclass
class Dataset:
    """A frame and what each column is for: inputs, targets (with units), id.

    The inputs are the design space (`parameters`): structure columns, all of one
    `structure_kind` ("composition": chemical formulas, "smiles": molecules, e.g. one column per
    reaction component; "none": no structure), `categorical_columns` (text labels such as a base
    or a solvent) and numeric `feature_columns` (process settings, descriptors). `structure_column`
    is the first structure column. A column has exactly one role: a target is never an input.
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
    structure_columns: list[str] = field(default_factory=list)
    categorical_columns: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.structure_column and not self.structure_columns:
            self.structure_columns = [self.structure_column]
        if self.structure_columns:
            self.structure_column = self.structure_columns[0]
        self.validate_roles()

    def validate_roles(self) -> None:
        """Raise ValueError when a role names a column the frame lacks or the kind is unknown."""
        if self.structure_kind not in STRUCTURE_KINDS:
            raise ValueError(f"unknown structure kind {self.structure_kind!r}")
        if (self.structure_kind == "none") != (self.structure_column is None):
            raise ValueError(
                "a structure column needs a structure kind, and 'none' needs no column"
            )
        named = [
            *self.structure_columns,
            *self.categorical_columns,
            *self.feature_columns,
            *self.target_columns,
            *([self.id_column] if self.id_column else []),
        ]
        missing = [c for c in named if c not in self.frame.columns]
        if missing:
            raise ValueError(f"dataset {self.id!r} has no column(s) {missing}")
        twice = sorted({c for c in named if named.count(c) > 1})
        if twice:
            raise ValueError(f"column(s) {twice} have more than one role; give each one role")

    @property
    def parameters(self) -> list[Parameter]:
        """The design space: every input column with its kind, structures first."""
        structures = [Parameter(c, self.structure_kind) for c in self.structure_columns]
        categorical = [Parameter(c, "categorical") for c in self.categorical_columns]
        return structures + categorical + [Parameter(c, "numeric") for c in self.feature_columns]

    @property
    def input_columns(self) -> list[str]:
        return [p.column for p in self.parameters]

    def without_target_inputs(self, target: str) -> Dataset:
        """This dataset with `target` as a target only: never an input of a model of it."""
        if target not in self.input_columns:
            return self
        structures = [c for c in self.structure_columns if c != target]
        return self.with_roles(
            structure_columns=structures,
            structure_column=None,
            structure_kind=self.structure_kind if structures else "none",
            categorical_columns=[c for c in self.categorical_columns if c != target],
            feature_columns=[c for c in self.feature_columns if c != target],
            target_columns=[*self.target_columns, target]
            if target not in self.target_columns
            else self.target_columns,
        )

    @property
    def rows(self) -> int:
        return len(self.frame)

    def content_hash(self) -> str:
        """A short stable hash of the values and roles, for caching features and models."""
        digest = hashlib.sha256()
        digest.update(json.dumps(self._hashed_roles(), sort_keys=True).encode())
        hashed = pd.util.hash_pandas_object(self.frame, index=False).to_numpy()
        digest.update(hashed.tobytes())
        digest.update("\x1f".join(map(str, self.frame.columns)).encode())
        return digest.hexdigest()[:20]

    def _hashed_roles(self) -> dict:
        """The roles, without the design-space fields where they add nothing to the older
        single-structure roles: hashes (and so feature caches and saved campaigns) stay valid."""
        roles = self.roles()
        if roles["structure_columns"] == ([self.structure_column] if self.structure_column else []):
            del roles["structure_columns"]
        if not roles["categorical_columns"]:
            del roles["categorical_columns"]
        return roles

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
            "structure_columns": list(self.structure_columns),
            "categorical_columns": list(self.categorical_columns),
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

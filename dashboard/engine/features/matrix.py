"""FeatureMatrix: the numbers a model learns from, with names, valid rows and named blocks."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from dashboard.engine.features.blocks import BlockMatrix, compact_part


@dataclass
class FeatureMatrix:
    """Features of every row of a dataset.

    `X` (rows, features) reads as float64: an array, or a BlockMatrix of the blocks. `valid[i]`
    says row i's features are usable (its structure could be featurised and its numeric features
    are finite), and invalid rows are NaN.
    `blocks` names the column ranges, in order and covering all columns: "magpie"
    (compositions), "ecfp" and "descriptors" (molecules), "numeric" (feature columns).
    """

    X: np.ndarray | BlockMatrix
    names: list[str]
    valid: np.ndarray
    blocks: dict[str, slice]

    def __post_init__(self) -> None:
        if self.X.shape != (len(self.valid), len(self.names)):
            raise ValueError(
                f"X has shape {self.X.shape} but there are {len(self.valid)} rows "
                f"and {len(self.names)} names"
            )
        stops = [0] + [s.stop for s in self.blocks.values()]
        starts = [s.start for s in self.blocks.values()] + [len(self.names)]
        if stops != starts:
            raise ValueError(f"blocks {self.blocks} do not cover the {len(self.names)} columns")

    def block(self, name: str) -> np.ndarray:
        """The columns of one block, e.g. `fm.block("ecfp")`."""
        return self.X[:, self.blocks[name]]

    @classmethod
    def stacked(
        cls, parts: list[tuple[str, np.ndarray, list[str], np.ndarray]], compact: bool = False
    ) -> FeatureMatrix:
        """Join (block name, X, names, valid) parts side by side.

        A row is valid when it is valid in every part; other rows become NaN. With `compact`, X
        is a BlockMatrix (bits and labels as uint8: a seventh of the memory on molecules), else
        one float64 array.
        """
        widths = np.cumsum([0] + [values.shape[1] for _, values, _, _ in parts])
        bounds = zip(parts, pairwise(widths), strict=True)
        blocks = {part[0]: slice(int(a), int(b)) for part, (a, b) in bounds}
        valid = np.logical_and.reduce([part_valid for *_, part_valid in parts])
        X = BlockMatrix([compact_part(values, ~valid) for _, values, _, _ in parts], ~valid)
        names = [name for _, _, part_names, _ in parts for name in part_names]
        return cls(X=X if compact else np.asarray(X), names=names, valid=valid, blocks=blocks)

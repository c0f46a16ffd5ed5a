"""Data: a Dataset (a frame plus the roles of its columns), the built-in datasets, the upload
pipeline (bytes -> Dataset or problems by row and column), CSV export and summaries."""

from dashboard.engine.data.dataset import STRUCTURE_KINDS, Dataset, StructureKind

__all__ = ["STRUCTURE_KINDS", "Dataset", "StructureKind"]

"""Computing the built-in datasets' features before anyone asks, so that the first campaign on
qm9 starts in seconds instead of waiting a minute for RDKit's descriptors."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from dashboard.engine.data import builtin as datasets
from dashboard.engine.features import featurize


def warm(cache_dir: Path, report: Callable[[str], None] = print) -> None:
    """Featurise every built-in dataset into `cache_dir` as a campaign with the default model
    would (RDKit descriptors for molecules); already cached ones cost a file read."""
    for info in datasets.list_datasets():
        started = time.perf_counter()
        dataset = datasets.load(info.id)
        featurize(dataset, cache_dir, descriptors=dataset.structure_kind == "smiles")
        report(f"{info.id}: features ready ({time.perf_counter() - started:.1f} s)")

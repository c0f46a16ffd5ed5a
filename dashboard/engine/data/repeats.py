"""Repeated measurements: rows whose inputs are all the same, found and, on request, merged.

Liang et al.'s AgNP set has 3,295 rows but 164 distinct inputs; a campaign pool should hold each
input once (the paper averages repeats before a campaign), or the model sees one input many times
and a "new" pick may be a repeat of a measured one.
"""

from __future__ import annotations

from dashboard.engine.data.dataset import Dataset
from dashboard.engine.wording import counted, verb

COUNT_COLUMN = "n_measurements"


def repeat_count(dataset: Dataset) -> int:
    """How many rows repeat the inputs of an earlier row (0 when every input is distinct)."""
    inputs = dataset.input_columns
    if not inputs:
        return 0
    return int(dataset.frame.duplicated(subset=inputs).sum())


def merge_repeats(dataset: Dataset) -> Dataset:
    """One row per distinct input: targets averaged over their measured values (a target never
    measured for that input stays empty), `n_measurements` counting the rows merged, the id and
    other columns taken from the first row. The result's roles are the dataset's."""
    inputs = dataset.input_columns
    if not inputs or repeat_count(dataset) == 0:
        return dataset
    frame = dataset.frame
    grouped = frame.groupby(inputs, sort=False, dropna=False)
    first = grouped.first().reset_index()
    means = grouped[dataset.target_columns].mean().reset_index(drop=True)
    merged = first.assign(**{c: means[c].to_numpy() for c in dataset.target_columns})
    merged[COUNT_COLUMN] = grouped.size().to_numpy()
    merged = merged[[*frame.columns, COUNT_COLUMN]]
    title = f"{dataset.title} (repeats merged)"
    return Dataset(frame=merged.reset_index(drop=True), **{**dataset.roles(), "title": title})


def repeats_note(dataset: Dataset) -> str | None:
    """A sentence about repeated inputs for the upload's warnings, or None."""
    repeats = repeat_count(dataset)
    if not repeats:
        return None
    distinct = dataset.rows - repeats
    return (
        f"{counted(repeats, 'row')} {verb(repeats, 'repeats', 'repeat')} the inputs of an "
        f"earlier row ({counted(distinct, 'distinct input')} in {counted(dataset.rows, 'row')}): "
        "a campaign would propose measured inputs again. Merge them "
        "into one row each (mean of each target, the count kept in 'n_measurements'; on the "
        "command line `campaign --merge-repeats`), or keep them to see the spread of repeats."
    )

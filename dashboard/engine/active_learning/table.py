"""A campaign as a table: the dataset's rows with their status, step and value, for export; the
EDBO+-style campaign file (PENDING where not measured) and measured values read back from a table."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd


def campaign_table(
    frame: pd.DataFrame,
    usable: np.ndarray,
    history: list[dict],
    pending: list[int],
    entered: Mapping[int, float],
) -> pd.DataFrame:
    """`frame` with columns `campaign_status` (measured / pending / entered / candidate /
    unusable), `campaign_step` and `campaign_value`; `usable` marks the rows in the pool."""
    if len(frame) != usable.size:
        raise ValueError(f"the frame has {len(frame)} rows, the campaign's data {usable.size}")
    status = np.where(usable, "candidate", "unusable").astype(object)
    step = np.full(len(frame), np.nan)
    value = np.full(len(frame), np.nan)
    for record in history:
        status[record["added"]] = "measured"
        step[record["added"]] = record["step"]
        value[record["added"]] = record["values"]
    status[pending] = "pending"
    for row, number in entered.items():
        status[row], value[row] = "entered", number
    return frame.assign(campaign_status=status, campaign_step=step, campaign_value=value)


PENDING = "PENDING"
PRIORITY_COLUMN = "priority"


def pending_table(
    frame: pd.DataFrame,
    target: str,
    history: list[dict],
    pending: list[int],
    entered: Mapping[int, float],
) -> pd.DataFrame:
    """The campaign as an EDBO+-style file: every candidate a row, `target` holding the measured
    (or entered) values and PENDING elsewhere, `priority` 1 on the rows to measure next and 0 on
    the others. Read back by the upload, it is the same campaign one batch later."""
    values = frame[target].astype(object).where(frame[target].notna(), PENDING)
    for record in history:
        values.iloc[record["added"]] = record["values"]
    for row, number in entered.items():
        values.iloc[row] = number
    priority = np.zeros(len(frame), dtype=int)
    priority[pending] = 1
    return frame.drop(columns=[PRIORITY_COLUMN], errors="ignore").assign(
        **{target: values, PRIORITY_COLUMN: priority}
    )


def measurements_from(
    frame: pd.DataFrame, measured: pd.DataFrame, inputs: list[str], target: str
) -> dict[int, float]:
    """{campaign row: value} for the rows of `measured` (a table of inputs and a `target`
    column) whose inputs match a candidate of `frame` exactly; ValueError naming the first row
    (1-based, as in a spreadsheet) that is not a candidate, e.g. a label the campaign lacks."""
    missing = [c for c in [*inputs, target] if c not in measured.columns]
    if missing:
        raise ValueError(f"the table of measurements has no column(s) {missing}")
    keys = {tuple(map(str, row)): i for i, row in enumerate(frame[inputs].to_numpy())}
    found = {}
    for number, row in enumerate(measured[[*inputs, target]].to_numpy(), start=1):
        key = tuple(map(str, row[:-1]))
        if key not in keys:
            raise ValueError(f"row {number}: {_not_a_candidate(frame, inputs, row[:-1])}")
        value = pd.to_numeric(pd.Series([row[-1]]), errors="coerce").iloc[0]
        if not np.isfinite(value):
            raise ValueError(f"row {number}: {target} {row[-1]!r} is not a number")
        found[keys[key]] = float(value)
    return found


def _not_a_candidate(frame: pd.DataFrame, inputs: list[str], values: np.ndarray) -> str:
    """Why a row of inputs matches no candidate: the first input whose value is unknown."""
    for column, value in zip(inputs, values, strict=True):
        known = {str(v) for v in frame[column].unique()}
        if str(value) not in known:
            shown = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "")
            return (
                f"{column} {value!r} is not one of the campaign's values ({shown}); correct the "
                "label or add the candidate to the campaign file"
            )
    return "this combination of inputs is not a candidate of the campaign"

"""A campaign as a table: the dataset's rows with their status, step and value, for export (the
EDBO+-style campaign file is written by campaign_file.py)."""

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

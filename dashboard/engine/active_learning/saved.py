"""The saved form of a campaign: its header and the checks a loaded step record must pass.

A campaign file is JSON written by `Campaign.to_dict`; nothing in it is trusted: the header must
name this format and version and the data it was made with, and every step record must have
exactly the fields below, with their JSON types and counts that add up.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FORMAT = "mi-dashboard-campaign"
VERSION = 1
_NUMBER = (int, float)
_OPTIONAL = (int, float, type(None))
_RECORD_TYPES: dict[str, tuple[type, ...]] = {
    "step": (int,),
    "added": (list,),
    "values": (list,),
    "hyperparameters": (dict,),
    "r2": _OPTIONAL,
    "mae": _OPTIONAL,
    "within_1sigma": _OPTIONAL,
    "within_2sigma": _OPTIONAL,
    "best_so_far": _OPTIONAL,
    "top_k_recall": _OPTIONAL,
    "found_best": (bool, type(None)),
    "picks": (list,),
    "pick_mean": (list,),
    "pick_std": (list,),
    "acquisition": (str,),
    "seconds": _NUMBER,
}
"""The fields of every step record and their JSON types (None where a step has no model or no
known values)."""


def check_header(saved: object, data_hash: str, rows: int) -> dict:
    """`saved` as a dict if it is a campaign file of this version saved for this data."""
    if not isinstance(saved, dict) or saved.get("format") != FORMAT:
        raise ValueError("this is not a saved MI Dashboard campaign")
    if saved.get("version") != VERSION:
        raise ValueError(f"campaign files of version {saved.get('version')!r} are not supported")
    if saved.get("data_hash") != data_hash or saved.get("rows") != rows:
        raise ValueError(
            "this campaign was saved for other data (its fingerprint does not match): load "
            "the dataset it was made with"
        )
    return saved


def _check_shape(record: object, step: int) -> dict:
    """`record` if it has the fields and types of step `step` and its lists add up."""
    if not isinstance(record, dict) or set(record) != set(_RECORD_TYPES):
        raise ValueError(f"step {step} does not have the fields of a campaign step")
    for key, kinds in _RECORD_TYPES.items():
        value = record[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ValueError(f"step {step}: {key!r} has the wrong type")
    if record["step"] != step or len(record["added"]) != len(record["values"]):
        raise ValueError(f"step {step}: the step number or the added rows do not add up")
    if not len(record["picks"]) == len(record["pick_mean"]) == len(record["pick_std"]):
        raise ValueError(f"step {step}: the picks and their predictions do not add up")
    return record


def check_record(
    record: object,
    step: int,
    measured_rows: list[int],
    position_of: Callable[[object], int],
    truth: np.ndarray | None,
) -> dict:
    """`record` if it can be step `step` after `measured_rows`: its rows are candidates not yet
    measured (pool position from `position_of`, -1 when not in the pool), its values finite and,
    when `truth` is given (a simulated campaign), the known values of its rows."""
    record = _check_shape(record, step)
    measured = set(measured_rows)
    for row, value in zip(record["added"], record["values"], strict=True):
        position = position_of(row)
        if position < 0 or row in measured or finite_number(value) is None:
            raise ValueError(f"step {step}: row {row!r} with value {value!r} cannot be measured")
        if truth is not None and value != truth[position]:
            raise ValueError(f"step {step}: row {row} has value {value}, the data another")
        measured.add(row)
    if any(position_of(row) < 0 or row in measured for row in record["picks"]):
        raise ValueError(f"step {step}: a pick is not a candidate")
    return record


def finite_number(value: object) -> float | None:
    """The value as a finite float, or None (bools and text are not numbers here)."""
    if isinstance(value, bool | str) or value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None

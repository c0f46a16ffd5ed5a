"""Sentences about a campaign for the Active Learning page: the one-line summary over the plots
and what the guided demo says at each stage."""

from __future__ import annotations

import math

import numpy as np

from dashboard.engine.active_learning.config import REAL
from dashboard.engine.active_learning.goals import Goal, utility
from dashboard.engine.wording import counted


def random_steps_needed(
    truth: np.ndarray, best: float, goal: Goal, initial: int, batch: int
) -> int | None:
    """Steps (after `initial` random rows, `batch` a step) that random search needs, in the
    median, to measure a value at least as good as `best`; None when the pool has none.

    Drawing m rows without replacement from P misses all c good ones with probability
    prod_{i<m} (P - c - i) / (P - i); the median m is the first where that drops to 1/2 or below.
    """
    known = np.asarray(truth, dtype=float)
    known = known[np.isfinite(known)]
    good = int((utility(known, goal) >= utility(np.asarray([best]), goal)[0]).sum())
    if good == 0 or batch <= 0:
        return None
    size = known.size
    draws = np.arange(size - good + 1)
    miss = np.cumprod((size - good - draws) / (size - draws))
    median = int(np.argmax(miss <= 0.5)) + 1
    return max(0, math.ceil((median - initial) / batch))


def number_text(value: float) -> str:
    """A value as a person reads it: 1,244 (not 1.24e+03) from a thousand up, else three
    significant figures (751, 2.46, 0.0123)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def summary_line(history: list[dict], truth: np.ndarray | None, config, unit: str) -> str:
    """'Best 2.46 → 2.86 eV in 10 steps; random search would need ≈ 31 steps.' for the step
    shown (the last record of `history`); at the start, the best of the rows measured then."""
    first, last = history[0].get("best_so_far"), history[-1].get("best_so_far")
    steps = len(history) - 1
    suffix = f" {unit}" if unit else ""
    if first is None or last is None:
        return f"No value measured yet. {_next_move(config)}"
    if steps == 0:
        start = _start(len(history[0]["added"]))
        return f"Start: {start} is {number_text(first)}{suffix}. {_next_move(config)}"
    after = counted(steps, "step")
    if not _better(last, first, config.goal):
        best = f"{number_text(first)}{suffix}"
        return f"No better value in {after}: the best is still {best}, measured at the start."
    line = f"Best {number_text(first)} → {number_text(last)}{suffix} in {after}"
    if truth is None:
        return line + "."
    needed = random_steps_needed(truth, last, config.goal, config.initial_size, config.batch_size)
    if needed:
        line += f"; random search would need ≈ {counted(needed, 'step')} (median)"
    elif needed == 0:
        first_rows = counted(config.initial_size, "random row")
        line += f"; random search would find one as good among its first {first_rows} (median)"
    return line + "."


def _next_move(config) -> str:
    """What to do at the start: step (simulated), or measure the picks and enter them (real)."""
    if config.mode == REAL:
        return "Measure the picks below, type their values and press 'Enter these values and step'."
    return "Step to let the model choose."


def _start(measured: int) -> str:
    """What the start's best is the best of: the rows measured before the first step."""
    if measured == 1:
        return "the one measurement so far"
    return f"the best of the {measured:,} first measurements"


def _better(value: float, than: float, goal) -> bool:
    """Whether `value` is better than `than` under the goal."""
    scores = utility(np.asarray([value, than]), goal)
    return bool(scores[0] > scores[1])


def stage_note(stage: int, stages: int, history: list[dict], line: str, unit: str) -> str:
    """What to notice after the guided demo's stage `stage` (0 = the start)."""
    record, start = history[-1], history[0]
    head = f"Stage {stage + 1} of {stages}: "
    unit = f" {unit}" if unit else ""
    if stage == 0:
        return head + (
            f"the start. {len(start['added'])} molecules picked at random are 'measured' (their "
            "value revealed) and the model is fitted to them. The stars are the ones it wants "
            "next: in the ranked plot, do they sit at the top of the prediction (exploit) or "
            "where the band of σ is wide (explore)?"
        )
    if stage == stages - 1:
        inside1, inside2 = record.get("within_1sigma"), record.get("within_2sigma")
        return head + (
            f"calibration. {_share(inside1)} of the unmeasured molecules lie within ±1σ of the "
            f"prediction and {_share(inside2)} within ±2σ; a well-calibrated model gives 68 % and "
            "95 %. That is the whole loop: now change the settings of a new campaign and press "
            "Start for one of your own."
        )
    if stage == 1:
        before, after = start.get("mae"), record.get("mae")
        if before is not None and after is not None and after < 0.97 * before:
            fell = f"{number_text(before)} to {number_text(after)}{unit}"
            change = f"fell from {fell}: each pick taught it"
        else:
            moved = "rose" if before and after and after > 1.03 * before else "hardly moved"
            change = (
                f"{moved} ({_ratio(before)} → {_ratio(after)}{unit}): a model hunting for the "
                "best measures where it expects high values, not where it would learn most"
            )
        return head + (
            f"first picks. The model's error on the molecules it has not seen (MAE) {change}. "
            "In the parity plot the measured points (orange) gather at the top right."
        )
    return head + f"best found against random search. {line}"


def _ratio(value: float | None) -> str:
    return "?" if value is None else number_text(value)


def _share(value: float | None) -> str:
    return "?" if value is None else f"{value:.0%}"

"""The browser benchmark's figures: medians, nearest-rank 95th percentiles and maxima."""

from __future__ import annotations

from dashboard.browser_bench import BrowserTimings


def test_figures_are_the_median_the_nearest_rank_p95_and_the_maximum():
    steps = [0.1 * (i + 1) for i in range(20)]  # 0.1 ... 2.0 s
    timings = BrowserTimings(12.345, 1.234, steps[::-1], [30_000] * 19 + [90_500])
    figures = timings.figures()
    assert figures["steps"] == 20
    assert figures["step_median_seconds"] == 1.05
    assert figures["step_p95_seconds"] == 1.9  # the 19th of 20: one slow step may stay out
    assert figures["step_max_seconds"] == 2.0
    assert figures["step_kb_median"] == 30.0 and figures["step_kb_max"] == 90.5
    assert figures["start_first_seconds"] == 12.35 and figures["start_warm_seconds"] == 1.23


def test_one_step_is_its_own_median_and_percentile():
    figures = BrowserTimings(1.0, 1.0, [0.4], [1000]).figures()
    assert figures["step_median_seconds"] == figures["step_p95_seconds"] == 0.4

"""The Home page's Gaussian-process toy: values of the engine's GP, not pictures."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.figures import home as figures
from dashboard.pages.home import explorer, toy


def test_adding_a_point_moves_the_mean_through_it_and_shrinks_sigma_there():
    before = toy.explore(toy.start_points(), "ei")
    x = 2.7
    after = toy.explore(toy.toggle(before.points, x), "ei")
    i = toy.nearest(x)
    truth = float(toy.hidden(toy.GRID[i]))
    assert abs(after.mean[i] - truth) < 0.05 < abs(before.mean[i] - truth)
    assert after.std[i] < 0.5 * before.std[i]


def test_clicking_a_measured_point_takes_it_back():
    points = toy.start_points()
    assert toy.toggle(points, toy.GRID[points[2]] + 0.05) == points[:2] + points[3:]


def test_the_five_starting_points_fit_a_curve_not_a_flat_line():
    state = toy.explore(toy.start_points(), "ei")
    assert state.fitted and 0.3 < state.lengthscale < 1.5
    measured = toy.hidden(toy.GRID[state.points])
    assert np.abs(state.mean[state.points] - measured).max() < 0.05
    assert np.ptp(state.mean) > 0.9 * np.ptp(measured)


def test_hand_set_length_scale_and_noise_are_used_as_given():
    state = toy.explore(toy.start_points(), "ei", lengthscale=0.3, noise=0.2)
    assert not state.fitted
    assert state.lengthscale == pytest.approx(0.3) and state.noise == pytest.approx(0.2)
    assert state.std.min() >= 0.2 - 1e-9  # σ of a new measurement includes the noise


@pytest.mark.parametrize("acquisition", list(toy.ACQUISITIONS))
def test_each_acquisition_picks_an_unmeasured_point_where_its_score_is_highest(acquisition):
    state = toy.explore(toy.start_points(), acquisition, kappa=2.0)
    assert state.pick not in state.points
    open_rows = np.setdiff1d(np.arange(toy.GRID.size), state.points)
    assert state.scores[state.pick] == pytest.approx(state.scores[open_rows].max())


def test_max_sigma_picks_the_widest_gap_and_greedy_the_highest_mean():
    points = toy.start_points()
    sigma = toy.explore(points, "max-sigma")
    greedy = toy.explore(points, "greedy")
    assert 2.0 < toy.GRID[sigma.pick] < 3.4 or toy.GRID[sigma.pick] > 4.3
    assert greedy.mean[greedy.pick] == pytest.approx(np.delete(greedy.mean, points).max())


def test_measure_adds_the_pick_and_the_summary_names_the_fit(monkeypatch):
    monkeypatch.setattr(explorer.dash, "ctx", type("Ctx", (), {"triggered_id": "toy-measure"}))
    points = toy.start_points()
    pick = toy.explore(points, "ucb", 2.0).pick
    result = explorer.update(None, 1, None, "ucb", 2.0, explorer.FITTED, 1.0, 0.05, points)
    assert result[0] == sorted([*points, pick])
    assert "fitted by the marginal likelihood" in result[2] and "Next pick" in result[2]


def test_the_explorer_figure_marks_the_pick_and_draws_the_band():
    state = toy.explore(toy.start_points(), "ei")
    fig = figures.gp_explorer(
        toy.GRID,
        toy.hidden(toy.GRID),
        state.mean,
        state.std,
        state.points,
        state.scores,
        state.pick,
        "expected improvement",
    )
    names = [trace.name for trace in fig.data]
    assert {"±2σ", "model mean", "next pick", "expected improvement"} <= set(names)
    assert fig.layout.shapes[0].x0 == pytest.approx(toy.GRID[state.pick])

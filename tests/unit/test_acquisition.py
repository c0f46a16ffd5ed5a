"""Acquisition functions against values worked by hand, goals, seed switch and batch selection."""

import numpy as np
import pytest

from dashboard.engine.active_learning import acquisition as acq
from dashboard.engine.active_learning.goals import (
    best_value,
    default_goal,
    goal_text,
    parse_goal,
    utility,
)

PHI_1 = 0.8413447460685429  # Φ(1)
PHI_HALF = 0.6914624612740131  # Φ(0.5)
PDF_1 = 0.24197072451914337  # φ(1)
PDF_0 = 0.3989422804014327  # φ(0)


def test_goal_text_is_parsed_and_written_back():
    assert parse_goal("MAX") == "max"
    assert parse_goal("value:1.4") == ("value", 1.4)
    assert parse_goal(["value", 2]) == ("value", 2.0)
    assert goal_text(("value", 1.4)) == "value:1.4"


@pytest.mark.parametrize("bad", ["biggest", "value:", "value:abc", "value:inf", ("value",), 3])
def test_a_goal_that_is_not_max_min_or_value_is_refused(bad):
    with pytest.raises(ValueError, match="goal"):
        parse_goal(bad)


def test_utility_turns_every_goal_into_higher_is_better():
    y = np.array([1.0, 3.0, 2.0])
    assert utility(y, "max").tolist() == [1.0, 3.0, 2.0]
    assert utility(y, "min").tolist() == [-1.0, -3.0, -2.0]
    assert utility(y, ("value", 2.5)).tolist() == [-1.5, -0.5, -0.5]
    assert best_value(y, ("value", 1.2)) == 1.0


def test_greedy_is_the_mean_as_utility():
    mean, std = np.array([1.0, 3.0]), np.ones(2)
    assert acq.greedy(mean, std, 0.0, "min").tolist() == [-1.0, -3.0]


def test_probability_of_improvement_by_hand():
    one = np.array([1.0])
    assert acq.probability_of_improvement(one, one, 0.0, "max")[0] == pytest.approx(PHI_1)
    assert acq.probability_of_improvement(one, one, 0.0, "max", xi=0.5)[0] == pytest.approx(
        PHI_HALF
    )
    # minimising: best 2, mean 1, σ 2 -> z = (2 - 1) / 2
    assert acq.probability_of_improvement(one, 2 * one, 2.0, "min")[0] == pytest.approx(PHI_HALF)


def test_probability_of_improvement_for_a_value_is_landing_closer_than_the_best():
    # target 0, best so far 1 away: P(-1 < y < 1) for y ~ N(0, 1) = 2Φ(1) - 1
    p = acq.probability_of_improvement(np.array([0.0]), np.array([1.0]), 1.0, ("value", 0.0))
    assert p[0] == pytest.approx(2 * PHI_1 - 1)


def test_expected_improvement_by_hand():
    one = np.array([1.0])
    # (μ - f*) Φ(z) + σ φ(z) with μ - f* = 1, σ = 1
    assert acq.expected_improvement(one, one, 0.0, "max")[0] == pytest.approx(PHI_1 + PDF_1)
    assert acq.expected_improvement(one, one, 2.0, "min")[0] == pytest.approx(PHI_1 + PDF_1)


def test_expected_improvement_without_uncertainty_is_the_plain_improvement():
    mean = np.array([1.0, 0.0])
    assert acq.expected_improvement(mean, np.zeros(2), 0.5, "max") == pytest.approx([0.5, 0.0])


def test_expected_improvement_for_a_value_by_hand():
    # E[(1 - |y|)+] for y ~ N(0, 1) = 2[(Φ(1) - 1/2) - (φ(0) - φ(1))]
    expected = 2 * ((PHI_1 - 0.5) - (PDF_0 - PDF_1))
    ei = acq.expected_improvement(np.array([0.0]), np.array([1.0]), 1.0, ("value", 0.0))
    assert ei[0] == pytest.approx(expected)
    sure = acq.expected_improvement(np.array([0.5, 3.0]), np.zeros(2), 1.0, ("value", 0.0))
    assert sure == pytest.approx([0.5, 0.0])


def test_upper_confidence_bound_by_hand():
    mean, std = np.array([1.0]), np.array([0.5])
    assert acq.upper_confidence_bound(mean, std, 0.0, "max", kappa=2.0)[0] == 2.0
    assert acq.upper_confidence_bound(mean, std, 0.0, "min", kappa=2.0)[0] == 0.0
    assert acq.upper_confidence_bound(mean, std, 0.0, ("value", 2.0), kappa=2.0)[0] == 0.0


def test_target_probability_is_the_mass_within_the_tolerance():
    p = acq.target_probability(np.array([1.4]), np.array([0.1]), 0.0, ("value", 1.4), tol=0.1)
    assert p[0] == pytest.approx(2 * PHI_1 - 1)


def test_target_probability_keeps_far_tails_ordered():
    p = acq.target_probability(np.array([-9.0, -10.0]), np.ones(2), 0.0, ("value", 0.0), tol=0.1)
    assert p[0] > p[1] > 0


def test_target_probability_needs_a_value_goal():
    with pytest.raises(ValueError, match="value:T"):
        acq.target_probability(np.zeros(1), np.ones(1), 0.0, "max")


def test_max_sigma_scores_the_uncertainty():
    assert acq.max_sigma(np.zeros(2), np.array([0.2, 0.7]), 0.0, "max").tolist() == [0.2, 0.7]


def test_random_scores_depend_only_on_the_seed():
    mean = np.zeros(50)
    first = acq.random_scores(mean, mean, 0.0, "max", seed=3)
    assert np.array_equal(first, acq.random_scores(mean + 1, mean, 9.0, "min", seed=3))
    assert not np.array_equal(first, acq.random_scores(mean, mean, 0.0, "max", seed=4))


def test_score_refuses_unknown_acquisitions_and_parameters():
    zeros = np.zeros(2)
    with pytest.raises(ValueError, match="unknown acquisition"):
        acq.score("thompson", zeros, zeros, 0.0, "max")
    with pytest.raises(ValueError, match="no parameter"):
        acq.score("ei", zeros, zeros, 0.0, "max", kappa=2.0)


def test_seed_switch_explores_until_r2_passes_the_threshold_then_stays_on_pi():
    assert acq.seed_switch([None, 0.1]) == "max-sigma"
    assert acq.seed_switch([0.1, 0.25]) == "pi"
    assert acq.seed_switch([0.3, 0.1]) == "pi"


def test_top_q_breaks_ties_by_position_and_ranks_nan_last():
    assert acq.top_q(np.array([1.0, 3.0, 3.0, 2.0]), 2).tolist() == [1, 2]
    assert acq.top_q(np.array([np.nan, 0.0]), 1).tolist() == [1]
    with pytest.raises(ValueError, match="cannot pick"):
        acq.top_q(np.zeros(3), 4)


def test_kriging_believer_skips_the_near_duplicate_of_its_first_pick():
    mean, std = np.array([1.0, 1.0, 0.9]), np.ones(3)

    def condition(pick):
        assert pick == 0
        return np.array([0.0, 0.1, 1.0])  # candidate 1 is almost the same as candidate 0

    def scorer(m, s, best):
        return acq.upper_confidence_bound(m, s, best, "max", kappa=2.0)

    picks = acq.kriging_believer(mean, std, 0.0, "max", 2, scorer, condition)
    assert picks.tolist() == [0, 2]
    assert acq.top_q(scorer(mean, std, 0.0), 2).tolist() == [0, 1]


def test_top_q_breaks_score_ties_by_the_tie_breaker_first():
    scores = np.zeros(4)
    assert acq.top_q(scores, 2, tie_break=np.array([0.1, 0.5, 0.3, 0.5])).tolist() == [1, 3]


def test_the_default_goal_minimises_what_a_name_says_is_better_low():
    assert [default_goal(n) for n in ("loss", "Instability index", "Cost (USD)", "rmse")] == [
        "min"
    ] * 4
    assert [default_goal(n) for n in ("yield", "toughness", "gap (eV)", "lossless_ratio")] == [
        "max"
    ] * 4

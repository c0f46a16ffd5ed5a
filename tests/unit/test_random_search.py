"""The random-search baseline read off running bests equals the prefix-by-prefix definition."""

import numpy as np
import pytest

from dashboard.engine.active_learning.goals import best_value
from dashboard.engine.active_learning.metrics import random_search, recall, top_k


def by_prefix(truth, goal, top, sizes, seeds):
    """The definition: best_value and recall of each prefix of each seed's order."""
    best = np.empty((seeds, sizes.size))
    found = np.empty((seeds, sizes.size))
    for seed in range(seeds):
        order = np.random.default_rng(seed).permutation(truth.size)
        best[seed] = [best_value(truth[order[:size]], goal) for size in sizes]
        found[seed] = [recall(order[:size], top) for size in sizes]
    return best, found


@pytest.mark.parametrize("goal", ["max", "min", ("target", 0.3)])
def test_random_search_equals_best_and_recall_of_every_prefix(goal):
    rng = np.random.default_rng(5)
    truth = rng.integers(-20, 20, size=400) / 10.0  # many ties, and two values at 0.3 ± d
    top = top_k(truth, goal, 25)
    sizes = np.array([1, 2, 5, 17, 60, 399, 400])
    got = random_search(truth, goal, top, sizes, seeds=4)
    best, found = by_prefix(truth, goal, top, sizes, 4)
    np.testing.assert_array_equal(got["best_so_far"], best)
    np.testing.assert_array_equal(got["top_k_recall"], found)


def test_random_search_keeps_argmax_semantics_for_nan_and_empty_top():
    truth = np.array([0.5, np.nan, 2.0, 1.0, np.nan, 3.0])
    sizes = np.arange(1, truth.size + 1)
    got = random_search(truth, "max", np.array([], dtype=int), sizes, seeds=3)
    best, found = by_prefix(truth, "max", np.array([], dtype=int), sizes, 3)
    np.testing.assert_array_equal(got["best_so_far"], best)  # NaN where argmax finds a NaN
    assert (got["top_k_recall"] == 0).all() and (found == 0).all()
    with pytest.raises(ValueError, match="no measured values"):
        random_search(truth, "max", np.array([0]), np.array([0, 1]), seeds=1)

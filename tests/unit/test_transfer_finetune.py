"""Fine-tuning by continued boosting: it starts from the source's value, rescales it to the
target, and beats the same booster trained on the target alone when the source knows a lot."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor

from dashboard.engine.transfer.finetune import BOOSTER_PARAMS, ContinuedBoosting


def pair(rows: int, seed: int):
    """A known pair: the target is 1.3 times the source property plus a small offset, both
    functions of five features; the source's value of each row is exact."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(rows, 5))
    source_value = np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + np.abs(X[:, 3])
    target = 1.3 * source_value + 0.2 + 0.05 * rng.normal(size=rows)
    return X, source_value, target


def mae(predicted, truth):
    return float(np.mean(np.abs(predicted - truth)))


def test_fine_tuning_beats_the_same_booster_without_the_source_on_few_rows():
    X, start, y = pair(60, 0)
    X_test, start_test, y_test = pair(500, 1)
    tuned = ContinuedBoosting(0).fit(X, y, start)
    scratch = ContinuedBoosting(0).fit(X, y)
    tuned_error = mae(tuned.predict(X_test, start_test), y_test)
    scratch_error = mae(scratch.predict(X_test), y_test)
    assert tuned_error < 0.5 * scratch_error
    assert tuned_error < 0.15


def test_the_start_is_rescaled_to_the_target_by_least_absolute_deviations():
    X, start, y = pair(200, 2)
    tuned = ContinuedBoosting(0).fit(X, y, start)
    intercept, slope = tuned.line_
    assert slope == pytest.approx(1.3, abs=0.05)
    assert intercept == pytest.approx(0.2, abs=0.05)


def test_losses_absolute_error_from_the_source_and_squared_error_from_scratch():
    X, start, y = pair(80, 3)
    assert ContinuedBoosting(0).fit(X, y, start).booster_.loss == "absolute_error"
    assert ContinuedBoosting(0).fit(X, y).booster_.loss == "squared_error"


def test_a_constant_start_shifts_to_the_target_median():
    X, _, y = pair(30, 4)
    tuned = ContinuedBoosting(0).fit(X, y, np.full(len(y), 7.0))
    assert tuned.line_ == (pytest.approx(float(np.median(y)) - 7.0), 1.0)


def test_the_same_seed_gives_the_same_predictions():
    X, start, y = pair(80, 5)
    first = ContinuedBoosting(3).fit(X, y, start).predict(X, start)
    again = ContinuedBoosting(3).fit(X, y, start).predict(X, start)
    assert np.array_equal(first, again)


def test_columns_no_tree_can_split_are_left_out_without_changing_a_prediction():
    """Rare fingerprint bits (set in fewer than min_samples_leaf rows) never split, so the
    booster skips them; with early stopping its hold-out and rounds are those of all columns."""
    X, start, y = pair(200, 6)
    rare = np.zeros((200, 40))
    rare[np.arange(40) % 200, np.arange(40)] = 1.0  # each bit set in one row
    wide = np.column_stack([X, rare])
    sklearn_booster = HistGradientBoostingRegressor(
        loss="absolute_error", random_state=0, **BOOSTER_PARAMS
    )
    tuned = ContinuedBoosting(0).fit(wide, y, start)
    offset = tuned.line_[0] + tuned.line_[1] * start
    sklearn_booster.fit(wide, y - offset)
    assert tuned.columns_.tolist() == list(range(5))
    assert tuned.booster_.n_iter_ == sklearn_booster.n_iter_
    np.testing.assert_array_equal(
        tuned.predict(wide, start), offset + sklearn_booster.predict(wide)
    )

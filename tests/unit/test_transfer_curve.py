"""Learning curves: their shape, nested training sets and determinism."""

import numpy as np
import pytest

from dashboard.engine.data.builtin import load
from dashboard.engine.data.dataset import Dataset
from dashboard.engine.transfer import TransferConfig, learning_curve, run_transfer
from dashboard.engine.transfer.curve import SHARES, WORK_EXPONENT, TimeLeft

Y = np.linspace(0.0, 10.0, 60)
TRAIN = np.arange(50)
TEST = np.arange(50, 60)


def mean_of_training(rows, seed):
    """A toy method: predicts the mean of its training values everywhere."""
    return np.full(len(TEST), Y[rows].mean())


def test_curve_has_one_mae_per_repeat_and_share():
    curve = learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=1, repeats=3)
    assert curve.shares == list(SHARES)
    assert curve.mae["a"].shape == (3, len(SHARES))
    assert curve.n_train == [3, 5, 10, 20, 30, 40, 50]
    assert curve.mean("a").shape == curve.sd("a").shape == (len(SHARES),)


def test_full_share_uses_every_training_row_in_every_repeat():
    curve = learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=1, repeats=4)
    expected = np.abs(Y[TEST] - Y[TRAIN].mean()).mean()
    assert np.allclose(curve.mae["a"][:, -1], expected)
    assert curve.sd("a")[-1] == pytest.approx(0.0)


def test_same_seed_gives_the_same_curve_and_another_seed_another():
    first = learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=7)
    again = learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=7)
    other = learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=8)
    assert np.array_equal(first.mae["a"], again.mae["a"])
    assert not np.array_equal(first.mae["a"], other.mae["a"])


def test_larger_shares_hold_the_smaller_ones_within_a_repeat():
    seen: list[tuple[int, set]] = []

    def record(rows, seed):
        seen.append((seed, set(rows.tolist())))
        return np.zeros(len(TEST))

    learning_curve({"a": record}, Y, TRAIN, TEST, seed=3, repeats=2)
    for seed in (3, 4):
        sets = [rows for s, rows in seen if s == seed]
        assert all(small <= large for small, large in zip(sets, sets[1:], strict=False))
        assert all(rows <= set(TRAIN.tolist()) for rows in sets)


def test_every_method_sees_the_same_training_rows():
    calls: dict[str, list] = {"a": [], "b": []}

    def method(name):
        def fit(rows, seed):
            calls[name].append((rows.tolist(), seed))
            return np.zeros(len(TEST))

        return fit

    learning_curve({"a": method("a"), "b": method("b")}, Y, TRAIN, TEST, seed=0, repeats=2)
    assert calls["a"] == calls["b"]


def reported(**options) -> list[tuple[float, str]]:
    """The (fraction, message) reports of a toy curve drawn with `options`."""
    messages = []
    learning_curve(
        {"a": mean_of_training},
        Y,
        TRAIN,
        TEST,
        seed=0,
        progress=lambda f, m: messages.append((f, m)),
        **options,
    )
    return messages


def test_progress_is_reported_between_steps():
    messages = reported(repeats=2)
    fractions = [f for f, _ in messages]
    assert len(messages) == 2 * len(SHARES)
    assert fractions == sorted(fractions) and fractions[0] >= 0.0 and fractions[-1] < 1.0
    assert messages[1][1] == "learning curve: 10%, repeat 1 of 2"


def test_progress_counts_each_fit_by_its_work_not_one_by_one():
    """A fit of 50 rows weighs 2^1.5 = 2.8 fits of 25: the bar reaches the last fit of a
    repeat at 1 / (1 + 2.8) of it, not at half."""
    fractions = [f for f, _ in reported(shares=(0.5, 1.0), repeats=1)]
    assert fractions == [0.0, pytest.approx(1 / (1 + 2**WORK_EXPONENT))]


def test_the_time_left_is_said_once_a_twentieth_and_ten_seconds_have_passed():
    now, said = [0.0], []
    told = TimeLeft(lambda f, m: said.append(m), clock=lambda: now[0])
    now[0] = 5.0
    told(0.5, "early")  # 5 s: too soon to tell
    now[0] = 60.0
    told(0.01, "small")  # a hundredth of the work: the first fits say little
    told(0.25, "curve")  # a quarter in a minute: three more to go
    now[0] = 600.0
    told(0.5, "half")
    assert said == ["early", "small", "curve · about 3 min left", "half · about 10 min left"]


def test_bad_shares_are_refused():
    with pytest.raises(ValueError, match="shares"):
        learning_curve({"a": mean_of_training}, Y, TRAIN, TEST, seed=0, shares=(0.0, 0.5))


@pytest.mark.slow
def test_transfer_run_gives_a_deterministic_curve_of_baseline_and_lv(tmp_path):
    frame = load("expt-gap").frame.sample(260, random_state=1).reset_index(drop=True)
    source = Dataset(
        id="s",
        title="s",
        frame=frame.iloc[:200],
        structure_column="formula",
        structure_kind="composition",
        target_columns=["gap"],
    )
    target = Dataset(
        id="t",
        title="t",
        frame=frame.iloc[200:].reset_index(drop=True),
        structure_column="formula",
        structure_kind="composition",
        target_columns=["gap"],
    )
    config = TransferConfig(
        n_jobs=1, model="et", learning_curve=True, curve_shares=(0.25, 1.0), curve_repeats=2
    )
    first = run_transfer(source, "gap", target, "gap", config, tmp_path / "a")
    again = run_transfer(source, "gap", target, "gap", config, tmp_path / "b")
    curve = first.learning_curve
    assert set(curve.mae) == {"baseline", "lv"}
    assert curve.n_train == [12, 48]
    assert curve.mae["lv"].shape == (2, 2)
    assert np.array_equal(curve.mae["lv"], again.learning_curve.mae["lv"])
    assert np.array_equal(curve.mae["baseline"], again.learning_curve.mae["baseline"])
    # at the full share the curve repeats the run itself (same rows, same seed in repeat 0)
    assert curve.mae["lv"][0, -1] == pytest.approx(first.transfer.mae)
    assert first.summary()["learning_curve"]["mae"]["lv"]["mean"] == curve.mean("lv").tolist()

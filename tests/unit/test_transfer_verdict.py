"""The page's sentence on whether transfer helped is derived from the numbers, and honest."""

from dashboard.pages.transfer_learning.verdict import curve_sentence, run_sentence, verdict


def result(baseline: float, transfer: float, curve=None, n_train=51, approach="lv") -> dict:
    return {
        "approach": approach,
        "n_train": n_train,
        "n_train_all": 513,
        "unit": "kcal/mol",
        "baseline": {"mae": baseline},
        "transfer": {"mae": transfer},
        "learning_curve": curve,
        "model": "gbr",
    }


def curve(baseline: list[float], transfer: list[float], name: str = "lv") -> dict:
    return {
        "n_train": [26, 51, 128, 256, 513][: len(baseline)],
        "mae": {"baseline": {"mean": baseline}, name: {"mean": transfer}},
    }


def test_the_run_sentence_gives_both_errors_and_the_change():
    assert run_sentence(result(1.22, 1.104)) == (
        "Trained on 51 of the 513 target training rows, the latent variable lowers the test "
        "error from 1.220 to 1.104 kcal/mol (−10%)."
    )


def test_a_change_under_three_percent_is_called_about_the_same():
    sentence = run_sentence(result(0.583, 0.592, n_train=513, approach="ft"))
    assert sentence == (
        "Trained on all 513 target training rows, fine-tuning leaves the test error about the "
        "same (from 0.583 to 0.592 kcal/mol)."
    )


def test_a_transfer_that_helps_with_few_rows_and_hurts_with_all_says_both():
    sentence = curve_sentence(
        result(1.2, 1.1, curve([1.56, 1.23, 1.0, 0.81, 0.6], [1.14, 1.07, 0.91, 0.79, 0.71], "ft"))
        | {"approach": "ft"}
    )
    assert sentence == (
        "The learning curve shows it helping with 26, 51 and 128 target rows, most with 26 rows "
        "(−27% on average); with all 513 it does worse than the target alone (+18%)."
    )


def test_a_transfer_that_never_helps_is_said_to_never_help():
    sentence = curve_sentence(result(1.0, 1.1, curve([1.0, 0.8], [1.1, 0.85])))
    assert sentence == (
        "The learning curve shows no size at which it helps on this pair; with 26 rows it "
        "does worse (+10%)."
    )


def test_help_at_every_size_names_where_it_helps_most():
    sentence = curve_sentence(result(1.0, 0.9, curve([1.5, 1.2, 1.0], [1.2, 1.1, 0.95])))
    assert sentence == (
        "The learning curve shows it helping at every size tried, from 26 to 128 target rows, "
        "most with 26 rows (−20% on average)."
    )


def test_without_a_curve_the_verdict_is_the_run_alone():
    assert verdict(result(1.0, 0.8)) == run_sentence(result(1.0, 0.8))


def test_the_curve_says_its_change_is_an_average_so_the_run_may_differ_at_its_size():
    """The run at 51 rows said −7 %, the curve 'most with 51 rows (−11 %)': they looked at odds."""
    sentence = verdict(result(1.23, 1.148, curve([1.6, 1.37, 0.95], [1.45, 1.22, 0.9])))
    assert "(−7%)" in sentence and "most with 51 rows (−11% on average)" in sentence


def test_fine_tuning_says_a_change_of_target_model_moves_only_the_baseline():
    """A switch of model under FT changed the grey numbers and left the purple ones: say why."""
    sentence = verdict(result(1.2, 1.1, curve([1.5, 1.2], [1.2, 1.1], "ft"), approach="ft"))
    assert sentence.endswith(
        "Fine-tuning does not use the target model (gbr): a change of it moves only the "
        "no-transfer baseline."
    )


def test_the_latent_variable_says_nothing_of_the_kind():
    """LV is the target model with more inputs: a change of it moves both."""
    assert "does not use the target model" not in verdict(result(1.2, 1.1))

"""Counts in messages agree with their number; times are rounded as a person says them."""

from dashboard.engine.wording import about, counted, verb


def test_counted_uses_the_singular_for_one_only():
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(2_500, "value") == "2,500 values"
    assert counted(3, "repeat", "repeats of a row") == "3 repeats of a row"


def test_verb_agrees_with_the_count():
    assert verb(1, "is", "are") == "is"
    assert verb(4, "was", "were") == "were"


def test_a_time_to_wait_is_rounded_to_tens_of_seconds_or_whole_minutes():
    assert about(3) == "about 10 s"
    assert about(34) == "about 30 s"
    assert about(89) == "about 90 s"
    assert about(700) == "about 12 min"

"""Counts in messages agree with their number."""

from dashboard.engine.wording import counted, verb


def test_counted_uses_the_singular_for_one_only():
    assert counted(1, "row") == "1 row"
    assert counted(0, "row") == "0 rows"
    assert counted(2_500, "value") == "2,500 values"
    assert counted(3, "repeat", "repeats of a row") == "3 repeats of a row"


def test_verb_agrees_with_the_count():
    assert verb(1, "is", "are") == "is"
    assert verb(4, "was", "were") == "were"

"""Numbers written in an uploaded file are read exactly: the nearest float, to the last digit."""

from __future__ import annotations

import random

from tests.unit.test_upload import csv_text, parse

FORMULAS = ["NaCl", "KCl", "LiF", "NaF", "KF", "MgO"]


def test_seventeen_digit_numbers_are_read_to_the_last_digit():
    written = ["0.14577548199999998", "0.04320091", "0.26913979100000003", "1e-05", "2.5", "7"]
    result = parse(csv_text(list(zip(FORMULAS, written, strict=True)), ("formula", "cost")))
    assert result.dataset.frame["cost"].tolist() == [float(w) for w in written]


def test_a_column_of_many_numbers_matches_python_s_reading_of_each():
    rng = random.Random(0)
    written = [repr(rng.random() * 10 ** rng.randint(-4, 4)) for _ in range(300)]
    rows = [(FORMULAS[i % len(FORMULAS)], w) for i, w in enumerate(written)]
    result = parse(csv_text(rows, ("formula", "gap")))
    assert result.dataset.frame["gap"].tolist() == [float(w) for w in written]


def test_decimal_commas_are_read_exactly_too():
    written = ["0,14577548199999998", "1,5", "2,25", "3,125", "4,0625", "5,5"]
    rows = list(zip(FORMULAS, written, strict=True))
    result = parse(csv_text(rows, ("formula", "gap"), sep=";"))
    assert result.dataset.frame["gap"].tolist() == [float(w.replace(",", ".")) for w in written]


def test_short_numbers_with_a_large_or_small_exponent_are_read_exactly():
    """pandas' parser is exact for short numbers only while the power of ten is an exact float
    (up to 1e22): these came out one off in the last digit, subnormals too."""
    written = [
        "9.87654321e+299", "8.98846567e307", "-3.4e+251", "2.4637496e-22", "6.8325e-237",
        "1.2345678e-300", "4e-309", "9.32e-310", "5e-324", "1E-5",
    ]  # fmt: skip
    rows = [(FORMULAS[i % len(FORMULAS)], w) for i, w in enumerate(written)]
    result = parse(csv_text(rows, ("formula", "gap")))
    assert result.dataset.frame["gap"].tolist() == [float(w) for w in written]


def test_a_column_of_short_numbers_with_any_exponent_matches_python_s_reading_of_each():
    rng = random.Random(0)
    written = [
        f"{rng.randint(1, 9)}.{rng.randint(0, 99999)}e{rng.randint(-323, 307):+d}"
        for _ in range(300)
    ]
    rows = [(FORMULAS[i % len(FORMULAS)], w) for i, w in enumerate(written)]
    result = parse(csv_text(rows, ("formula", "gap")))
    assert result.dataset.frame["gap"].tolist() == [float(w) for w in written]

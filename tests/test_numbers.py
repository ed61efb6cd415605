"""Numbers as people write them (scorecard.numbers), in English and in Persian.

Persian conventions follow the Unicode CLDR ``fa`` locale: Persian digits, decimal separator
U+066B (٫), grouping separator U+066C (٬), percent sign U+066A (٪), per-mille sign U+0609 (؉),
and the sign written behind a left-to-right mark (U+200E) so it stays on the digits' left.
"""

from __future__ import annotations

import math

import pytest

from scorecard.numbers import LRM, MINUS, format_probability, format_score, format_value, localize_digits


@pytest.mark.parametrize("value,unit,expected", [
    (5573.2, "$k", "$5,573k"),
    (-14.4, "$", "−$14.4"),
    (-14.4, "$k", "−$14.4k"),
    (12.345, "%", "12.3%"),
    (4.2, "‰", "4.20‰"),
    (20_318, "customers", "20,318 customers"),
    (12.5, "h", "12.5 h"),
    (1_234_567.0, "", "1,234,567"),
    (3.0, "tickets", "3.00 tickets"),
])
def test_english_values(value, unit, expected):
    assert format_value(value, unit) == expected


def test_english_minus_is_the_real_minus_sign():
    text = format_value(-14.4, "$")
    assert text.startswith(MINUS) and "-" not in text


@pytest.mark.parametrize("value,unit,expected", [
    (1.3, "%", "+1.30 pts"),
    (-0.2, "%", "−0.20 pts"),
    (1785.0, "$k", "+$1,785k"),
    (-14.4, "$", "−$14.4"),
    (0.3, "‰", "+0.30‰"),
    (-3.0, "customers", "−3 customers"),
])
def test_english_changes_carry_their_sign_and_points(value, unit, expected):
    assert format_value(value, unit, signed=True, change=True) == expected


def test_a_change_that_rounds_to_zero_has_no_sign():
    assert format_value(-0.0001, "%", signed=True, change=True) == "0.00 pts"


@pytest.mark.parametrize("value,unit,expected", [
    (5573.0, "$k", "۵٬۵۷۳ هزار\u00a0دلار"),
    (12.345, "%", "۱۲٫۳٪"),
    (4.2, "‰", "۴٫۲۰؉"),
    (20_318, "customers", "۲۰٬۳۱۸ مشتری"),
    (12.5, "h", "۱۲٫۵ ساعت"),
])
def test_persian_values_use_persian_digits_separators_and_units_after_the_number(value, unit, expected):
    assert format_value(value, unit, language="fa") == expected


def test_persian_negative_money_keeps_the_sign_on_the_digits_left():
    assert format_value(-14.4, "$k", language="fa") == f"{LRM}{MINUS}۱۴٫۴ هزار\u00a0دلار"


def test_persian_percentage_change_in_points():
    assert format_value(1.3, "%", language="fa", signed=True, change=True) == f"{LRM}+۱٫۳۰ واحد\u00a0درصد"


def test_persian_without_persian_digits_keeps_latin_digits_and_persian_separators():
    assert format_value(5573.25, "$", language="fa", persian_digits=False, decimals=1) == "5٬573٫2 دلار"


def test_missing_values_are_a_dash_in_both_languages():
    assert format_value(None) == format_value(math.nan, "%", language="fa") == "—"


def test_scores_and_chances():
    assert format_score(87.6) == "88" and format_score(87.6, language="fa") == "۸۸"
    assert format_probability(0.834) == "83%" and format_probability(0.834, language="fa") == "۸۳٪"


def test_digits_of_english_text_in_persian():
    assert localize_digits("1,403.5", "fa") == "۱٬۴۰۳٫۵" and localize_digits("1,403.5") == "1,403.5"


def test_unit_name_writes_a_unit_on_its_own():
    from scorecard.numbers import unit_name

    assert [unit_name(u) for u in ("$k", "%", "customers", "")] == ["$k", "%", "customers", ""]
    assert [unit_name(u, "fa") for u in ("$k", "%", "h")] == ["هزار دلار", "٪", "ساعت"]
    assert unit_name("widgets", "fa") == "widgets"  # a unit the formatter does not know stays as written

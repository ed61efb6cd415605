"""Numbers as people write them, in English and in Persian: money, percentages, per-mille, counts.

English: ``$5,573k``, ``−$14.4`` (a real minus sign), ``+1.3 pts`` for a change of a percentage,
``4.2‰``, ``1,234 customers``. Persian (CLDR's ``fa`` conventions): Persian digits, the Arabic
decimal separator ``٫`` and thousands separator ``٬``, the unit after the number as a Persian
reader says it (``۵٬۵۷۳ هزار دلار``, the unit's own words joined by no-break spaces so a narrow
cell breaks only between number and unit), ``٪`` and ``؉`` after the digits, and the sign before them
behind a left-to-right mark so that it stays on the digits' left in right-to-left text.
"""

from __future__ import annotations

import pandas as pd

MINUS, PLUS, LRM = "\u2212", "+", "\u200e"
MISSING = "—"
LATIN_TO_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
PERSIAN_SEPARATORS = str.maketrans({",": "٬", ".": "٫"})

# unit → (English pattern, Persian pattern); {n} is the number without its sign.
UNITS = {
    "$": ("${n}", "{n} دلار"),
    "$k": ("${n}k", "{n} هزار\u00a0دلار"),
    "%": ("{n}%", "{n}٪"),
    "‰": ("{n}‰", "{n}؉"),
    "pts": ("{n} pts", "{n} واحد\u00a0درصد"),
    "customers": ("{n} customers", "{n} مشتری"),
    "h": ("{n} h", "{n} ساعت"),
    "": ("{n}", "{n}"),
}


def unit_name(unit: str, language: str = "en") -> str:
    """A unit on its own, as a column of units shows it ("$k"; Persian "هزار دلار"); unknown units unchanged."""
    if unit not in UNITS:
        return unit
    english, persian = UNITS[unit]
    return (persian if language == "fa" else english).replace("{n}", "").replace("\u00a0", " ").strip()


def default_decimals(value: float, unit: str = "") -> int:
    """Decimals a reader expects: none from 1,000 up and for counts, one from 10, else two."""
    if abs(value) >= 1000 or unit == "customers":
        return 0
    return 1 if abs(value) >= 10 else 2


def localize_digits(text: str, language: str = "en", persian_digits: bool = True) -> str:
    """ASCII separators and digits of an English-formatted number in the language's own script."""
    if language != "fa":
        return text
    text = text.translate(PERSIAN_SEPARATORS)
    return text.translate(LATIN_TO_PERSIAN) if persian_digits else text


def format_value(value: float | None, unit: str = "", *, language: str = "en", persian_digits: bool = True,
                 decimals: int | None = None, signed: bool = False, change: bool = False) -> str:
    """``value`` with its unit, thousands separators and sign ("—" when missing).

    ``signed`` writes ``+`` before positive values too (variances); ``change`` marks a
    difference, so a change of a percentage reads in percentage points (``+1.3 pts``).
    An unknown unit follows the number after a space, as it is.
    """
    if value is None or pd.isna(value):
        return MISSING
    value = float(value)
    places = default_decimals(value, unit) if decimals is None else decimals
    digits = f"{abs(value):,.{places}f}"
    if float(digits.replace(",", "")) == 0:
        value = 0.0  # -0.001 rounds to 0: no sign
    unit = "pts" if change and unit == "%" else unit
    english, persian = UNITS.get(unit, ("{n} " + unit, "{n} " + unit))
    text = (persian if language == "fa" else english).format(n=localize_digits(digits, language, persian_digits))
    sign = MINUS if value < 0 else (PLUS if signed and value > 0 else "")
    if sign and language == "fa":
        return f"{LRM}{sign}{text}"
    return sign + text


def format_score(value: float | None, language: str = "en", persian_digits: bool = True) -> str:
    """A 0–100 score rounded to a whole number."""
    return format_value(value, decimals=0, language=language, persian_digits=persian_digits)


def format_probability(value: float | None, language: str = "en", persian_digits: bool = True) -> str:
    """A chance (0–1) as a whole percentage ("83%", "۸۳٪")."""
    return format_value(None if value is None else 100 * value, "%", decimals=0, language=language,
                        persian_digits=persian_digits)

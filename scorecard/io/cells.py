"""Spreadsheet cell safety: text a spreadsheet would run as a formula (CSV/formula injection).

OWASP's CSV-injection advice: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return may be run as a formula (``=cmd|' /C calc'!A0``) when the file is opened in
Excel or LibreOffice; an export prefixes such text with a single quote so it shows as text. Real
numbers are left alone: ``-4.5`` (as a number or as the text "-4.5") is a number, not a formula.
"""

from __future__ import annotations

import math
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number_text(text: str) -> bool:
    if "_" in text:                      # Python reads "-1_000" as a number, a spreadsheet does not
        return False
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def is_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could run as a formula (not a plain number)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _is_number_text(value)


def inert(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is formula-like text; anything else unchanged."""
    return f"'{value}" if is_formula(value) else value

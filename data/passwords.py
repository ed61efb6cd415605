"""The password rule (NIST SP 800-63B, section 5.1.1.2): long enough, not common, no composition rules.

A password needs at least :data:`MIN_LENGTH` characters (``CRM_PASSWORD_MIN_LENGTH``, 12 by default)
and must not be easy to guess: zxcvbn (shipped with the app, no network) compares it with its lists
of common and breached passwords, words, names, keyboard patterns, repeats and sequences, and a
password it scores below 3 ("safely unguessable" needs about 10¹⁰ guesses) is refused with its
reason. Upper case, digits or symbols are never demanded.
"""

from __future__ import annotations

import os

from zxcvbn import zxcvbn

from errors import DomainError

MIN_LENGTH = int(os.environ.get("CRM_PASSWORD_MIN_LENGTH", "12"))
MIN_SCORE = 3  # zxcvbn's 0–4 scale: 3 is "safely unguessable: moderate protection from offline attacks"
CHECKED_LENGTH = 100  # zxcvbn's time grows with the length; the first 100 characters decide


def check_password(password: str) -> None:
    """Refuse a password that is too short or too easy to guess (a ``DomainError`` saying which)."""
    if len(password or "") < MIN_LENGTH:
        raise DomainError("A password needs at least {minimum} characters; a few words make a good one.",
                          minimum=MIN_LENGTH)
    if zxcvbn(password[:CHECKED_LENGTH])["score"] < MIN_SCORE:
        raise DomainError("This password is too common or too easy to guess (a known password, a word, a "
                          "repeat or a sequence); choose a longer, less predictable one.")

"""What a ratio KPI counts (its defect and its opportunity), apart from the statistics that use it, so that the
metric definitions (data/metrics.py) can name it without loading them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountUnit:
    """What a ratio KPI counts: its defect and its opportunity, in words, and what its numerator counts.

    ``numerator``: ``"good"`` (units without the defect: complaints resolved in time, so defects are
    the rest of the opportunities) or ``"defects"`` (complaints per customer).
    """

    defect: str
    opportunity: str
    numerator: str = "good"

"""The demo's meeting notes for October 2026: comments and action items on the KPIs that missed.

Written through :mod:`data.discussion` as the demo users would, so the audit log holds them too.
Service is red (the outsourced desk and a complaints backlog), margin and cost to serve are amber.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from data import discussion
from data.repository import scorecard_definition

MEETING_MONTH = "2026-10"

# (author, KPI, text)
COMMENTS: tuple[tuple[str, str, str], ...] = (
    ("nima", "Tickets resolved within SLA",
     "Down to 79 % from 86 % in the summer: the outsourced desk lost four trained agents in September."),
    ("kaveh", "Tickets resolved within SLA",
     "Most late tickets are billing questions escalated twice; the escalation rule from the SLA project "
     "is not applied to the new agents."),
    ("reza", "Complaints resolved within 15 days",
     "The Retail backlog is the refund approval step: 40 % of late complaints wait on Finance. "
     "The pilot in the complaints project starts in November."),
    ("nima", "Mean resolution time",
     "Same cause as the SLA miss; expect it to follow once the new agents are trained."),
    ("parisa", "Gross margin",
     "The autumn campaign discounts cost about 0.8 points of margin; they end with October."),
    ("sara", "Cost to serve per customer",
     "Overtime on the service desk explains most of the rise; watch it with the SLA KPI."),
)

# (author, KPI, text, owner, due)
ACTION_ITEMS: tuple[tuple[str, str, str, str, date], ...] = (
    ("nima", "Tickets resolved within SLA", "Train the four new outsourced agents and apply the 20 h "
     "auto-escalation to them", "Nima Rahimi", date(2026, 11, 20)),
    ("reza", "Complaints resolved within 15 days", "Agree a 3-day refund approval with Finance for "
     "complaints under $500", "Reza Karimi", date(2026, 11, 30)),
    ("sara", "Gross margin", "Review campaign discount depth before the December campaign",
     "Parisa Jafari", date(2026, 11, 15)),
)


def seed_discussion(engine: Engine, period: str = MEETING_MONTH) -> None:
    """Add the demo's comments and action items for ``period`` (October 2026 in the demo)."""
    definition = scorecard_definition(engine)
    kpi = dict(zip(definition["kpi"], definition["kpi_id"].astype(int)))
    for author, name, text in COMMENTS:
        discussion.add_comment(engine, author, kpi[name], period, text)
    for author, name, text, owner, due in ACTION_ITEMS:
        discussion.add_action_item(engine, author, kpi[name], period, text, owner=owner, due=due)

"""Reads of the scorecard as pandas DataFrames, and creation of a scorecard definition."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import aliased

from data.metrics import METRICS
from data.models import (
    ActionItem,
    AuditLog,
    Comment,
    Kpi,
    Link,
    Measurement,
    Objective,
    Perspective,
    Segment,
    Target,
    User,
)
from data.writes import SYSTEM_USER, write_session


def _frame(engine: Engine, query: Select) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def scorecard_definition(engine: Engine) -> pd.DataFrame:
    """One row per KPI with its objective and perspective, in display order."""
    query = (
        select(
            Perspective.id.label("perspective_id"), Perspective.name.label("perspective"),
            Perspective.name_fa.label("perspective_fa"), Perspective.weight.label("perspective_weight"),
            Objective.id.label("objective_id"), Objective.name.label("objective"),
            Objective.name_fa.label("objective_fa"), Objective.weight.label("objective_weight"),
            Kpi.id.label("kpi_id"), Kpi.name.label("kpi"), Kpi.name_fa.label("kpi_fa"), Kpi.unit,
            Kpi.direction, Kpi.aggregation, Kpi.owner, Kpi.weight, Kpi.source, Kpi.metric, Kpi.definition,
            Kpi.version.label("kpi_version"),
        )
        .join(Objective, Objective.perspective_id == Perspective.id)
        .join(Kpi, Kpi.objective_id == Objective.id)
        .order_by(Perspective.position, Perspective.id, Objective.position, Objective.id, Kpi.position, Kpi.id)
    )
    return _frame(engine, query)


def perspectives(engine: Engine) -> pd.DataFrame:
    """Perspectives in display order (top of the strategy map first), with their row versions."""
    return _frame(engine, select(Perspective.id, Perspective.name, Perspective.name_fa, Perspective.weight,
                                 Perspective.position, Perspective.version)
                  .order_by(Perspective.position, Perspective.id))


def objectives(engine: Engine) -> pd.DataFrame:
    """Objectives with their perspective's name and their row versions, in display order."""
    query = (select(Objective.id, Objective.name, Objective.name_fa, Objective.weight, Objective.position,
                    Perspective.name.label("perspective"), Objective.version)
             .join(Perspective).order_by(Perspective.position, Objective.position, Objective.id))
    return _frame(engine, query)


def segments(engine: Engine) -> pd.DataFrame:
    """Customer segments ("All" first)."""
    return _frame(engine, select(Segment.id, Segment.name, Segment.name_fa).order_by(Segment.position, Segment.id))


def measurements(engine: Engine, segment: str | None = None, kpi_id: int | None = None) -> pd.DataFrame:
    """Monthly actuals: kpi_id, segment, period, actual, numerator, denominator."""
    query = (select(Measurement.kpi_id, Segment.name.label("segment"), Measurement.period, Measurement.actual,
                    Measurement.numerator, Measurement.denominator)
             .join(Segment).order_by(Measurement.kpi_id, Segment.name, Measurement.period))
    if segment is not None:
        query = query.where(Segment.name == segment)
    if kpi_id is not None:
        query = query.where(Measurement.kpi_id == kpi_id)
    return _frame(engine, query)


def targets(engine: Engine) -> pd.DataFrame:
    """Targets: kpi_id, segment, period (None = standing target), value, baseline, amber, row version."""
    query = (select(Target.id, Target.kpi_id, Segment.name.label("segment"), Target.period, Target.value,
                    Target.baseline, Target.amber, Target.version).join(Segment).order_by(Target.kpi_id, Segment.name))
    return _frame(engine, query)


def links(engine: Engine) -> pd.DataFrame:
    """Cause → effect links between objectives, with both names."""
    cause, effect = aliased(Objective), aliased(Objective)
    query = (select(Link.id, Link.cause_id, cause.name.label("cause"), Link.effect_id,
                    effect.name.label("effect"), Link.strength)
             .join(cause, Link.cause_id == cause.id).join(effect, Link.effect_id == effect.id)
             .order_by(Link.id))
    return _frame(engine, query)


def users(engine: Engine) -> pd.DataFrame:
    """Users with their roles."""
    return _frame(engine, select(User.username, User.display_name, User.role).order_by(User.id))


def audit_log(engine: Engine, limit: int = 500) -> pd.DataFrame:
    """The newest audit entries first."""
    return _frame(engine, select(AuditLog.at, AuditLog.username, AuditLog.action, AuditLog.entity,
                                 AuditLog.entity_id, AuditLog.old, AuditLog.new)
                  .order_by(AuditLog.id.desc()).limit(limit))


def comments(engine: Engine, kpi_id: int | None = None, period: str | None = None) -> pd.DataFrame:
    """Comments, newest first, optionally for one KPI and period."""
    query = select(Comment.id, Comment.kpi_id, Comment.period, Comment.author, Comment.text,
                   Comment.created_at).order_by(Comment.id.desc())
    if kpi_id is not None:
        query = query.where(Comment.kpi_id == kpi_id)
    if period is not None:
        query = query.where(Comment.period == period)
    return _frame(engine, query)


def action_items(engine: Engine, kpi_id: int | None = None) -> pd.DataFrame:
    """Action items, open ones first."""
    query = select(ActionItem.id, ActionItem.kpi_id, ActionItem.period, ActionItem.author, ActionItem.text,
                   ActionItem.owner, ActionItem.due, ActionItem.done, ActionItem.created_at)
    if kpi_id is not None:
        query = query.where(ActionItem.kpi_id == kpi_id)
    return _frame(engine, query.order_by(ActionItem.done, ActionItem.due, ActionItem.id))


def create_scorecard(engine: Engine, segment_rows: list[dict], definition: list[dict],
                     link_rows: list[tuple[str, str, float]], user_rows: list[dict]) -> None:
    """Create segments, users, perspectives → objectives → KPIs and links in one transaction."""
    with write_session(engine, SYSTEM_USER, "scorecard.edit") as writer:
        for position, values in enumerate(segment_rows):
            writer.create(Segment, {**values, "position": position})
        for values in user_rows:
            writer.create(User, values)
        objective_ids: dict[str, int] = {}
        for p_pos, perspective in enumerate(definition):
            p = writer.create(Perspective, {"name": perspective["name"], "name_fa": perspective["name_fa"],
                                            "weight": perspective["weight"], "position": p_pos})
            for o_pos, objective in enumerate(perspective["objectives"]):
                o = writer.create(Objective, {"perspective_id": p.id, "name": objective["name"],
                                              "name_fa": objective["name_fa"], "position": o_pos})
                objective_ids[o.name] = o.id
                for k_pos, kpi in enumerate(objective["kpis"]):
                    metric = kpi.get("metric")
                    writer.create(Kpi, {**{k: v for k, v in kpi.items() if k != "stretch"},
                                        "objective_id": o.id, "position": k_pos,
                                        "source": "sql" if metric else "manual",
                                        "definition": METRICS[metric].definition if metric else kpi.get("definition", "")})
        for cause, effect, strength in link_rows:
            writer.create(Link, {"cause_id": objective_ids[cause], "effect_id": objective_ids[effect],
                                 "strength": strength})

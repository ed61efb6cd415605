"""What-if scenarios: saved, listed, deleted and promoted to official targets, all audited.

A scenario is stored as its name, author, a JSON ``overrides`` document (``period``,
``segment`` and the engine's scenario: ``targets`` by KPI id, ``changes`` in actuals,
per-link ``assumptions``) and a free-text note. Saving one never touches official data;
only promotion (permission ``scorecard.edit``: the strategy team and admins) writes the
scenario's targets as the segment's standing targets, in one transaction with one audit entry
listing every changed target (old → new). :func:`promotion_preview` lists the same changes
without writing, for the reader to confirm.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data.models import Kpi, Scenario, Segment, Target
from data.writes import PermissionDenied, write_session
from errors import DomainError

SAVE_PERMISSION = "scenarios.edit"
PROMOTE_PERMISSION = "scorecard.edit"


def _checked_overrides(period: str, segment: str, scenario: dict[str, Any]) -> dict[str, Any]:
    """The JSON document to store; refuses values JSON cannot hold (NaN, infinity, objects)."""
    document = {"period": period, "segment": segment, **scenario}
    try:
        json.dumps(document, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DomainError("The scenario cannot be saved: {detail}.", detail=str(exc)) from exc
    return document


def save_scenario(engine: Engine, username: str, name: str, period: str, segment: str,
                  scenario: dict[str, Any], note: str = "") -> int:
    """Store a named scenario for a period and segment; returns its id. Official data is untouched."""
    name = (name or "").strip()
    if not name:
        raise DomainError("A scenario needs a name.")
    overrides = _checked_overrides(period, segment, scenario)
    with write_session(engine, username, SAVE_PERMISSION) as writer:
        return writer.create(Scenario, {"name": name, "author": username, "overrides": overrides,
                                        "assumptions": (note or "").strip()}).id


def delete_scenario(engine: Engine, username: str, scenario_id: int) -> None:
    """Delete a scenario; only its author (or an admin) may."""
    with write_session(engine, username, SAVE_PERMISSION) as writer:
        scenario = writer.session.get(Scenario, scenario_id)
        if scenario is None:
            raise DomainError("No scenario with id {key}.", key=scenario_id)
        if scenario.author != username and not writer.is_admin:
            raise PermissionDenied("only {author}, who saved this scenario, may delete it", author=scenario.author)
        writer.delete(Scenario, scenario_id)


def scenarios(engine: Engine) -> pd.DataFrame:
    """Saved scenarios, newest first: id, name, author, period, segment, overrides, note, created_at."""
    with engine.connect() as connection:
        rows = connection.execute(select(Scenario.id, Scenario.name, Scenario.author, Scenario.overrides,
                                         Scenario.assumptions.label("note"), Scenario.created_at)
                                  .order_by(Scenario.id.desc())).mappings().all()
    frame = pd.DataFrame(rows, columns=["id", "name", "author", "overrides", "note", "created_at"])
    frame.insert(3, "period", [o.get("period") for o in frame["overrides"]])
    frame.insert(4, "segment", [o.get("segment") for o in frame["overrides"]])
    return frame


def _target_values(overrides: dict[str, Any]) -> dict[int, float]:
    targets = {int(kpi_id): value for kpi_id, value in (overrides.get("targets") or {}).items()}
    bad = [kpi_id for kpi_id, value in targets.items()
           if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value)]
    if bad:
        raise DomainError("The scenario's target for KPI {kpi} is not a number.", kpi=bad[0])
    if not targets:
        raise DomainError("This scenario changes no target, so there is nothing to promote.")
    return targets


@dataclass(frozen=True)
class TargetChange:
    """One standing target a promotion changes: ``old`` is None when the segment has none yet;
    ``own_months`` are the months with a target of their own, which keep it."""

    kpi_id: int
    segment: str
    old: float | None
    new: float
    own_months: tuple[str, ...]
    row_id: int | None


def _changes(session: Session, scenario_id: int) -> tuple[Scenario, Segment, list[TargetChange]]:
    """The scenario, its segment and the standing targets its promotion would change (KPIs in id order)."""
    scenario = session.get(Scenario, scenario_id)
    if scenario is None:
        raise DomainError("No scenario with id {key}.", key=scenario_id)
    targets = _target_values(scenario.overrides)
    segment = session.scalar(select(Segment).where(Segment.name == scenario.overrides.get("segment")))
    if segment is None:
        raise DomainError("The scenario's segment {segment!r} no longer exists.",
                          segment=scenario.overrides.get("segment"))
    unknown = sorted(set(targets) - set(session.scalars(select(Kpi.id).where(Kpi.id.in_(targets)))))
    if unknown:
        raise DomainError("The scenario names KPI(s) that no longer exist: {kpis}.", kpis=unknown)
    stored = session.execute(select(Target.id, Target.kpi_id, Target.period, Target.value).where(
        Target.kpi_id.in_(targets), Target.segment_id == segment.id)).all()
    standing = {row.kpi_id: row for row in stored if row.period is None}
    changes = []
    for kpi_id in sorted(targets):
        row = standing.get(kpi_id)
        if row is not None and row.value == targets[kpi_id]:
            continue
        own = tuple(sorted(r.period for r in stored if r.kpi_id == kpi_id and r.period is not None))
        changes.append(TargetChange(kpi_id, segment.name, None if row is None else float(row.value),
                                    float(targets[kpi_id]), own, None if row is None else row.id))
    return scenario, segment, changes


def promotion_preview(engine: Engine, scenario_id: int) -> list[TargetChange]:
    """The standing targets promoting the scenario would change, old → new; nothing is written."""
    with Session(engine) as session:
        return _changes(session, scenario_id)[2]


def promote_scenario(engine: Engine, username: str, scenario_id: int) -> int:
    """Make a scenario's targets the official standing targets of its segment; returns how many changed.

    One transaction and one audit entry (action ``promote``) naming the scenario and segment and
    listing each changed target's KPI, old and new value.
    """
    with write_session(engine, username, PROMOTE_PERMISSION) as writer:
        scenario, segment, changes = _changes(writer.session, scenario_id)
        for change in changes:
            if change.row_id is None:
                writer.create(Target, {"kpi_id": change.kpi_id, "segment_id": segment.id, "period": None,
                                       "value": change.new}, audit=False)
            else:
                writer.update(Target, change.row_id, {"value": change.new}, audit=False)
        writer.note("promote", Scenario, {
            "scenario_id": scenario_id, "name": scenario.name, "segment_id": segment.id, "period": None,
            "targets": [{"kpi_id": c.kpi_id, "old": c.old, "new": c.new} for c in changes]})
        return len(changes)

"""Six Sigma projects: create, save each tool's artifact, decide tollgates, record benefits; and reads.

Every write goes through :func:`data.writes.write_session` (permission, one transaction, audit).
Who may do what, beyond the role's permission:
- belts start projects; a belt or expert changes only projects where they are the belt or in the
  charter's team (belts, members, experts; admins: any);
- only the project's champion (or an admin) decides its tollgates;
- artifacts are saved only in the open phase of an active project, after the domain's check of
  their content where it has one (the tool's entry in :mod:`sixsigma.tools`), and the tollgate rules of
  :mod:`sixsigma.roadmap` decide whether a phase may be approved.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import Session

from data.models import Artifact, Benefit, Kpi, KpiStage, Objective, Perspective, Project, Segment, Tollgate, User
from data.roles import ROLES, allows
from data.writes import PermissionDenied, Writer, actor, write_session
from errors import DomainError
from scorecard.validation import FIRST_PERIOD, LAST_PERIOD, PERIOD_PATTERN
from sixsigma import roadmap, tools

START, EDIT, DECIDE = "projects.start", "projects.edit", "tollgates.decide"


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _project(writer: Writer, project_id: int) -> Project:
    project = writer.session.get(Project, project_id)
    if project is None:
        raise DomainError("No project with id {key}.", key=project_id)
    return project


def _artifacts(session: Session, project_id: int, phase: str | None = None) -> dict[tuple[str, str], dict]:
    query = select(Artifact).where(Artifact.project_id == project_id)
    if phase is not None:
        query = query.where(Artifact.phase == phase)
    return {(a.phase, a.type): a.payload for a in session.scalars(query)}


def _team(session: Session, project: Project) -> set[str]:
    charter = _artifacts(session, project.id, "define").get(("define", "charter"), {})
    names = [charter.get("black_belt"), *(charter.get(key) or [] for key in ("green_belts", "members", "experts"))]
    flat = {n for group in names for n in ([group] if isinstance(group, str) else group or []) if n}
    return {project.belt, *flat}


def allowed_actions(engine: Engine, project_id: int, username: str) -> dict[str, bool]:
    """What ``username`` may do on a project, by the same rules its writes check: ``edit`` and ``decide``."""
    role = actor(engine, username).role
    with Session(engine) as session:
        project = session.get(Project, project_id)
        if project is None:
            return {"edit": False, "decide": False}
        team = _team(session, project)
    admin = role == "admin"
    return {"edit": allows(role, EDIT) and (admin or username in team),
            "decide": allows(role, DECIDE) and (admin or username == project.champion)}


def _may_edit(writer: Writer, project: Project) -> None:
    if not writer.is_admin and writer.username not in _team(writer.session, project):
        raise PermissionDenied("only the project's belt ({belt}) or its team may change it", belt=project.belt)


def _check_user(session: Session, username: str, what: str) -> str:
    if not session.scalar(select(User.id).where(User.username == username)):
        raise DomainError("The {what} {username!r} is not a user of this dashboard.", what=what, username=username)
    return username


def _json(payload: dict) -> dict:
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise DomainError("This cannot be saved: {detail}.", detail=str(exc)) from exc
    return payload


def _money(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise DomainError("The {what} benefit must be a number of $ thousands ≥ 0, not {value!r}.", what=what,
                          value=value)
    return float(value)


def _check_champion(session: Session, champion: str) -> None:
    """A champion decides the tollgates, so their role must allow it."""
    role = session.scalar(select(User.role).where(User.username == champion))
    if not allows(role, DECIDE):
        raise DomainError("{champion} cannot champion a project: their role ({role}) may not decide tollgates.",
                          champion=champion, role=ROLES.get(role, role))


def active_projects_on(engine: Engine, kpi_id: int, segment: str, besides: int | None = None) -> list[str]:
    """Titles of the active projects already working on a KPI in a segment (a second one should know), oldest
    first; ``besides``: a project's id to leave out (the one asking)."""
    query = (select(Project.title).join(Segment, Segment.id == Project.segment_id)
             .where(Project.kpi_id == kpi_id, Segment.name == segment, Project.status == "active").order_by(Project.id))
    if besides is not None:
        query = query.where(Project.id != besides)
    with Session(engine) as session:
        return list(session.scalars(query))


def create_project(engine: Engine, username: str, *, kind: str, title: str, kpi_id: int | None, segment: str,
                   champion: str, belt: str, start: date, planned_end: date, expected_benefit: float | None = None,
                   charter: dict | None = None) -> int:
    """A new project in its Define phase (charter saved when given); returns its id."""
    roadmap.check_kind(kind)
    roadmap.duration_warning(start, planned_end)       # refuses an end before the start
    if not (title or "").strip():
        raise DomainError("A project needs a title.")
    with write_session(engine, username, START) as writer:
        session = writer.session
        _check_user(session, champion, "champion")
        _check_champion(session, champion)
        _check_user(session, belt, "belt")
        segment_id = session.scalar(select(Segment.id).where(Segment.name == segment))
        if segment_id is None:
            raise DomainError("No customer segment named {segment!r}.", segment=segment)
        objective_id = session.scalar(select(Kpi.objective_id).where(Kpi.id == kpi_id)) if kpi_id else None
        if kpi_id and objective_id is None:
            raise DomainError("No KPI with id {key}.", key=kpi_id)
        project = writer.create(Project, {"kind": kind, "title": title.strip(), "kpi_id": kpi_id,
                                          "objective_id": objective_id, "segment_id": segment_id, "champion": champion,
                                          "belt": belt, "phase": "define", "status": "active", "start": start,
                                          "planned_end": planned_end})
        writer.create(Benefit, {"project_id": project.id, "expected": _money(expected_benefit, "expected"),
                                "description": ""})
        if charter:
            writer.create(Artifact, {"project_id": project.id, "phase": "define", "type": "charter",
                                     "payload": _json(charter), "updated_by": username})
        return project.id


def project_from_signal(engine: Engine, username: str, *, kpi_id: int, kpi_name: str, segment: str, champion: str,
                        baseline: dict, problem: str = "", goal: str = "", title: str = "", scope_in: str = "") -> int:
    """"Start a DMAIC project" from a KPI's signal or red status: a charter pre-filled from its baseline.

    ``kpi_name`` (its CTQ), ``title``, ``problem``, ``goal`` and ``scope_in``: in words (the screen writes them
    in the user's language; the title is "Improve <KPI> (<segment>)" and the scope the segment when not given).
    The starter is the charter's black belt, or, for a green belt, one of its green belts.
    """
    green = actor(engine, username).role == "green_belt"
    charter = {"business_case": "", "problem": problem, "goal": goal, "scope_in": scope_in or segment, "scope_out": "",
               "ctqs": [kpi_name], "champion": champion, "black_belt": "" if green else username,
               "green_belts": [username] if green else [], "members": [], "experts": [], "kpi_baseline": baseline}
    start = _today()
    return create_project(engine, username, kind="dmaic", title=title or f"Improve {kpi_name} ({segment})",
                          kpi_id=kpi_id, segment=segment, champion=champion, belt=username, start=start,
                          planned_end=start + timedelta(days=182), charter=charter)


def save_artifact(engine: Engine, username: str, project_id: int, phase: str, kind: str, payload: dict, *,
                  version: int | None = None) -> None:
    """Save (or replace) one tool's result in the project's open phase, audited old → new.

    ``version``: the artifact's version when the user loaded it (0: there was none yet); a save
    over a newer one is refused (:class:`data.writes.StaleEdit`).
    """
    with write_session(engine, username, EDIT) as writer:
        project = _project(writer, project_id)
        _may_edit(writer, project)
        roadmap.check_phase(project.kind, phase)
        if kind not in roadmap.TOOLS[phase]:
            raise DomainError("The {phase} phase has no {kind!r} tool.", phase=phase, kind=kind)
        tools.check(kind, payload)
        if project.status != "active":
            raise DomainError("The project is {status}: nothing more can be saved in it.", status=project.status)
        if phase != project.phase:
            phases = roadmap.PHASES[project.kind]
            if not phases.index(phase):
                raise DomainError("The {phase} phase is not open: the project is in {current}.",
                                  phase=phase.capitalize(), current=project.phase.capitalize())
            raise DomainError("The {phase} phase is not open: the project is in {current} (it opens after the "
                              "{earlier} tollgate is approved).", phase=phase.capitalize(),
                              current=project.phase.capitalize(), earlier=phases[phases.index(phase) - 1].capitalize())
        row = writer.session.scalar(select(Artifact).where(Artifact.project_id == project_id, Artifact.phase == phase,
                                                           Artifact.type == kind))
        values = {"payload": _json(payload), "updated_by": username}
        if row is None:
            writer.create(Artifact, {"project_id": project_id, "phase": phase, "type": kind, **values})
        else:
            writer.update(Artifact, row.id, values, version=version)


def set_benefit(engine: Engine, username: str, project_id: int, *, expected: float | None = None,
                verified: float | None = None, description: str | None = None) -> None:
    """Record a project's expected and/or verified benefit ($ thousands a year)."""
    with write_session(engine, username, EDIT) as writer:
        project = _project(writer, project_id)
        _may_edit(writer, project)
        row = writer.session.scalar(select(Benefit).where(Benefit.project_id == project_id))
        values = {k: v for k, v in {"expected": _money(expected, "expected"), "verified": _money(verified, "verified"),
                                    "description": description}.items() if v is not None}
        if row is None:
            writer.create(Benefit, {"project_id": project_id, **values})
        else:
            writer.update(Benefit, row.id, values)


def decide_tollgate(engine: Engine, username: str, project_id: int, phase: str, decision: str, reason: str,
                    checklist: dict[str, bool], *, decided_at: datetime | None = None) -> None:
    """The champion's decision on the open phase: approve (next phase, or closed after the last), rework or stop.

    ``decided_at`` (default now) lets an import or the demo record a decision taken earlier.
    """
    with write_session(engine, username, DECIDE) as writer:
        project = _project(writer, project_id)
        if not writer.is_admin and username != project.champion:
            raise PermissionDenied("only the project's champion, {champion}, may decide its tollgates",
                                   champion=project.champion)
        if project.status != "active" or phase != project.phase:
            raise DomainError("Only the open phase ({phase}) of an active project has a tollgate to decide.",
                              phase=project.phase)
        artifacts = {kind: payload for (_, kind), payload in _artifacts(writer.session, project_id, phase).items()}
        verified = writer.session.scalar(select(Benefit.verified).where(Benefit.project_id == project_id))
        override = bool(checklist.get(roadmap.OVERRIDE)) and bool((reason or "").strip())
        gaps = roadmap.tollgate_gaps(project.kind, phase, artifacts, checklist, verified, override=override)
        roadmap.check_decision(decision, reason, gaps)
        writer.create(Tollgate, {"project_id": project_id, "phase": phase, "checklist": dict(checklist),
                                 "decision": decision, "reason": (reason or "").strip(), "decided_by": username,
                                 "decided_at": decided_at or datetime.now(timezone.utc)})
        following = roadmap.next_phase(project.kind, phase)
        if decision == "approve" and following:
            writer.update(Project, project_id, {"phase": following})
        elif decision in ("approve", "stop"):
            ended = (decided_at.date() if decided_at else _today())
            writer.update(Project, project_id, {"status": "closed" if decision == "approve" else "stopped",
                                                "closed_on": ended})


def _frame(engine: Engine, query) -> pd.DataFrame:
    with engine.connect() as connection:
        result = connection.execute(query)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


CHANGE_PHASES = ("improve", "design")  # the phase whose approval puts the new process in place (DMAIC, DFSS)


def add_stage(engine: Engine, username: str, kpi_id: int, month: str, reason: str) -> int:
    """Mark a known process change: the KPI's new stage starts in ``month`` ("YYYY-MM"); returns its id."""
    month, reason = str(month).strip(), str(reason or "").strip()
    if not PERIOD_PATTERN.match(month) or not FIRST_PERIOD <= month <= LAST_PERIOD:
        raise DomainError("{month!r} is not a month between {first} and {last} (write it as YYYY-MM).",
                          month=month, first=FIRST_PERIOD, last=LAST_PERIOD)
    if not reason:
        raise DomainError("Say what changed in the process, so others know why the stage starts there.")
    with write_session(engine, username, "stages.edit") as writer:
        if writer.session.get(Kpi, kpi_id) is None:
            raise DomainError("No {table} with id {key}", table="kpi", key=kpi_id)
        return writer.create(KpiStage, {"kpi_id": kpi_id, "month": month, "reason": reason,
                                        "created_by": username}).id


def stage_starts(engine: Engine) -> dict[int, list[str]]:
    """Known process changes by KPI id: months ("YYYY-MM") a belt or the strategy team marked, and the
    month each closed project's Improve (DFSS: Design) tollgate was approved (or it closed, when no
    such approval is recorded)."""
    query = (select(Project.kpi_id, Project.closed_on, func.min(Tollgate.decided_at).label("changed_at"))
             .outerjoin(Tollgate, and_(Tollgate.project_id == Project.id, Tollgate.phase.in_(CHANGE_PHASES),
                                       Tollgate.decision == "approve"))
             .where(Project.status == "closed", Project.kpi_id.is_not(None))
             .group_by(Project.id, Project.kpi_id, Project.closed_on))
    starts: dict[int, list[str]] = {}
    with engine.connect() as connection:
        for kpi_id, closed_on, changed_at in connection.execute(query):
            moment = changed_at or closed_on
            if moment is not None:
                starts.setdefault(int(kpi_id), []).append(f"{moment:%Y-%m}")
        for kpi_id, month in connection.execute(select(KpiStage.kpi_id, KpiStage.month)):
            starts.setdefault(int(kpi_id), []).append(month)
    return {kpi_id: sorted(set(months)) for kpi_id, months in starts.items()}


def portfolio(engine: Engine) -> pd.DataFrame:
    """One row per project with its KPI, objective, perspective, segment, dates and benefits."""
    query = (select(Project.id, Project.kind, Project.title, Project.phase, Project.status, Project.belt,
                    Project.champion, Project.kpi_id, Kpi.name.label("kpi"), Kpi.name_fa.label("kpi_fa"),
                    Project.objective_id, Objective.name.label("objective"), Perspective.name.label("perspective"),
                    Segment.name.label("segment"), Project.start, Project.planned_end, Project.closed_on,
                    Benefit.expected.label("expected_benefit"), Benefit.verified.label("verified_benefit"))
             .outerjoin(Kpi, Kpi.id == Project.kpi_id).outerjoin(Objective, Objective.id == Project.objective_id)
             .outerjoin(Perspective, Perspective.id == Objective.perspective_id)
             .outerjoin(Segment, Segment.id == Project.segment_id).outerjoin(Benefit, Benefit.project_id == Project.id)
             .order_by(Project.id))
    frame = _frame(engine, query)
    decisions = _frame(engine, select(Tollgate.project_id, Tollgate.phase, Tollgate.decision, Tollgate.decided_at)
                       .order_by(Tollgate.id))
    last = decisions.groupby("project_id").last() if len(decisions) else pd.DataFrame(columns=["decision", "decided_at"])
    frame["last_decision"] = frame["id"].map(last["decision"]) if len(frame) else []
    frame["last_decision_at"] = frame["id"].map(last["decided_at"]) if len(frame) else []
    return frame


def project_detail(engine: Engine, project_id: int) -> dict[str, Any]:
    """A project's row (with ``artifact_versions`` by ``"phase/kind"``), its artifacts by ``"phase/kind"``
    and its tollgate decisions, oldest first."""
    projects = portfolio(engine)
    match = projects[projects["id"] == project_id]
    if match.empty:
        raise DomainError("No project with id {key}.", key=project_id)
    with Session(engine) as session:
        artifacts = {f"{phase}/{kind}": payload for (phase, kind), payload in _artifacts(session, project_id).items()}
        versions = dict(session.execute(select(Artifact.phase + "/" + Artifact.type, Artifact.version)
                                        .where(Artifact.project_id == project_id)).all())
    tollgates = _frame(engine, select(Tollgate.phase, Tollgate.decision, Tollgate.reason, Tollgate.checklist,
                                      Tollgate.decided_by, Tollgate.decided_at)
                       .where(Tollgate.project_id == project_id).order_by(Tollgate.id))
    return {"project": {**match.iloc[0].to_dict(), "artifact_versions": versions}, "artifacts": artifacts,
            "tollgates": tollgates.to_dict("records")}


def kpi_projects(engine: Engine) -> pd.DataFrame:
    """Projects by KPI and segment (for badges on the scorecard and the KPI page)."""
    return portfolio(engine)[["kpi_id", "segment", "id", "title", "kind", "phase", "status", "belt", "planned_end"]]

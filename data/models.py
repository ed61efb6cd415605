"""SQLAlchemy 2 typed ORM models: scorecard, Six Sigma, scenarios, users and audit, CRM source.

The CRM source tables (prefix ``crm_``) stand for the operational CRM system the KPIs are
computed from; in a deployment they may live in another database (see ``data.metrics``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """Timezone-aware current time for audit and comment stamps."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Versioned:
    """Optimistic locking: every UPDATE raises ``version`` and matches the version it read.

    A save from someone who loaded an older version is refused (see :mod:`data.writes`)
    instead of silently overwriting the change made in between.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


# --- Users, roles, audit -------------------------------------------------------------------


class User(Base):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2; never shown, logged or audited
    language: Mapped[str | None] = mapped_column(String(5))
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # signs in only in demo mode


class SignInFailure(Base):
    """One failed sign-in: the name tried (known or not), where it came from and when (see data/throttle.py)."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_source_at", "source", "at"),
                      Index("ix_sign_in_failure_username_source", "username", "source"))
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    while_locked: Mapped[bool] = mapped_column(Boolean, default=False)  # counts for the source, not the lock


class DataVersion(Base):
    """A counter per area of the data, raised in the same transaction as every write (data/versions.py)."""

    __tablename__ = "data_version"
    area: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 server_default=func.current_timestamp())


class UserSession(Base):
    """A sign-in that survives a reload (data/sessions.py): hashes of its hand-over code and token only."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    handover_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    username: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)


class Setting(Versioned, Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


# --- Scorecard -----------------------------------------------------------------------------


class Segment(Base):
    __tablename__ = "segment"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_fa: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Perspective(Versioned, Base):
    __tablename__ = "perspective"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_fa: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class Objective(Versioned, Base):
    __tablename__ = "objective"
    id: Mapped[int] = mapped_column(primary_key=True)
    perspective_id: Mapped[int] = mapped_column(ForeignKey("perspective.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_fa: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[float] = mapped_column(Float, default=1.0)


class Kpi(Versioned, Base):
    __tablename__ = "kpi"
    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_fa: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    aggregation: Mapped[str] = mapped_column(String(10), default="mean")
    owner: Mapped[str] = mapped_column(String(120), default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    source: Mapped[str] = mapped_column(String(10), default="manual")
    metric: Mapped[str | None] = mapped_column(String(80))
    definition: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Target(Versioned, Base):
    """A KPI's target for a segment; ``period`` NULL is the standing target."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("kpi_id", "segment_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    period: Mapped[str | None] = mapped_column(String(7))
    value: Mapped[float] = mapped_column(Float)
    baseline: Mapped[float | None] = mapped_column(Float)
    amber: Mapped[float | None] = mapped_column(Float)


class Measurement(Base):
    """A KPI's monthly actual; ratio KPIs keep numerator and denominator for re-aggregation."""

    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("kpi_id", "segment_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    actual: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)


class Link(Base):
    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("cause_id", "effect_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cause_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    effect_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    strength: Mapped[float] = mapped_column(Float, default=0.5)


class Comment(Base):
    __tablename__ = "comment"
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    author: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class KpiStage(Base):
    """A known process change a belt or the strategy team marks: the KPI's new stage starts in ``month``."""

    __tablename__ = "kpi_stage"
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionItem(Base):
    __tablename__ = "action_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    author: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due: Mapped[date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- Six Sigma -----------------------------------------------------------------------------


class Project(Versioned, Base):
    """A DMAIC or DFSS project on a scorecard KPI; its charter and tools live in :class:`Artifact`."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="dmaic")
    title: Mapped[str] = mapped_column(String(200))
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpi.id", ondelete="SET NULL"))
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id", ondelete="SET NULL"))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    champion: Mapped[str] = mapped_column(String(120), default="")
    belt: Mapped[str] = mapped_column(String(120), default="")
    phase: Mapped[str] = mapped_column(String(20), default="define")
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    start: Mapped[date | None] = mapped_column(Date)
    planned_end: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)


class Tollgate(Base):
    """A tollgate decision (approve, rework, stop) on a phase, with its checklist, who, when and why."""

    __tablename__ = "tollgate"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(20))
    checklist: Mapped[dict | None] = mapped_column(JSON)
    decision: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Artifact(Versioned, Base):
    """One tool's result in a project phase (charter, SIPOC, FMEA rows …) as validated JSON."""

    __tablename__ = "artifact"
    __table_args__ = (UniqueConstraint("project_id", "phase", "type", name="uq_artifact_tool"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str] = mapped_column(String(80), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Benefit(Base):
    """A project's expected and verified benefit ($ thousands a year)."""

    __tablename__ = "benefit"
    __table_args__ = (UniqueConstraint("project_id", name="uq_benefit_project"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text, default="")
    expected: Mapped[float | None] = mapped_column(Float)
    verified: Mapped[float | None] = mapped_column(Float)


class Scenario(Base):
    __tablename__ = "scenario"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(80))
    overrides: Mapped[dict] = mapped_column(JSON)
    assumptions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- CRM source (demo) ---------------------------------------------------------------------


class CrmCustomer(Base):
    __tablename__ = "crm_customer"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[str] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    acquired_on: Mapped[date] = mapped_column(Date)
    churned_on: Mapped[date | None] = mapped_column(Date)


class CrmOrder(Base):
    __tablename__ = "crm_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"), index=True)
    segment: Mapped[str] = mapped_column(String(40))
    ordered_on: Mapped[date] = mapped_column(Date, index=True)
    revenue: Mapped[float] = mapped_column(Float)
    cost: Mapped[float] = mapped_column(Float)


class CrmCampaign(Base):
    """A monthly marketing campaign wave per channel and segment, with its responses."""

    __tablename__ = "crm_campaign"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    sent_on: Mapped[date] = mapped_column(Date)
    contacts: Mapped[int] = mapped_column(Integer)
    responses: Mapped[int] = mapped_column(Integer)
    conversions: Mapped[int] = mapped_column(Integer)
    winback_targets: Mapped[int] = mapped_column(Integer)
    winbacks: Mapped[int] = mapped_column(Integer)
    cost: Mapped[float] = mapped_column(Float)
    revenue: Mapped[float] = mapped_column(Float)


class CrmOpportunity(Base):
    __tablename__ = "crm_opportunity"
    id: Mapped[int] = mapped_column(primary_key=True)
    segment: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    won: Mapped[bool] = mapped_column(Boolean)
    amount: Mapped[float] = mapped_column(Float)
    cost_of_sale: Mapped[float] = mapped_column(Float)


class CrmTicket(Base):
    __tablename__ = "crm_ticket"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    segment: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(40))
    opened_on: Mapped[date] = mapped_column(Date, index=True)
    resolution_hours: Mapped[float] = mapped_column(Float)
    sla_met: Mapped[bool] = mapped_column(Boolean)
    cost: Mapped[float] = mapped_column(Float)


class CrmComplaint(Base):
    """An ISO 10002 complaint with its handling outcome."""

    __tablename__ = "crm_complaint"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    segment: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    resolution_days: Mapped[float] = mapped_column(Float)
    resolved_ok: Mapped[bool] = mapped_column(Boolean)


class CrmSurvey(Base):
    """A customer-satisfaction survey answer (ISO 10004), score 0–10."""

    __tablename__ = "crm_survey"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customer.id"))
    segment: Mapped[str] = mapped_column(String(40))
    answered_on: Mapped[date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)


class CrmEmployee(Base):
    __tablename__ = "crm_employee"
    id: Mapped[int] = mapped_column(primary_key=True)
    function: Mapped[str] = mapped_column(String(40))
    hired_on: Mapped[date] = mapped_column(Date)


class CrmEmployeeMonth(Base):
    """One employee's monthly pulse: satisfaction 1–5, CRM training, competencies, access."""

    __tablename__ = "crm_employee_month"
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("crm_employee.id"))
    month_start: Mapped[date] = mapped_column(Date, index=True)
    satisfaction: Mapped[int] = mapped_column(Integer)
    crm_trained: Mapped[bool] = mapped_column(Boolean)
    competencies_held: Mapped[int] = mapped_column(Integer)
    competencies_required: Mapped[int] = mapped_column(Integer)
    has_crm_access: Mapped[bool] = mapped_column(Boolean)


class CrmMonth(Base):
    """Calendar of reporting months (first and last day) used by stock-type metrics."""

    __tablename__ = "crm_month"
    month_start: Mapped[date] = mapped_column(Date, primary_key=True)
    month_end: Mapped[date] = mapped_column(Date)

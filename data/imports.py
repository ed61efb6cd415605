"""Saving validated imports: KPI definitions with targets, and measurements. All or nothing.

The files are parsed and validated by :mod:`scorecard.io.importer` first; here the clean frames
are merged into the scorecard (matching perspectives, objectives, KPIs and segments by name)
inside one audited transaction, so a failure anywhere leaves the database as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from data.models import Kpi, Measurement, Objective, Perspective, Segment, Target
from data.writes import Writer, write_session


@dataclass
class ImportSummary:
    """What an import changed."""

    kpis: int = 0
    targets: int = 0
    measurements: int = 0


def _value(value) -> float | None:
    """A float, or None for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return float(value)


class _Upserter:
    """Finds rows by natural key inside the import's transaction, creating or updating them."""

    def __init__(self, writer: Writer) -> None:
        self.writer = writer
        self.session = writer.session

    def by_name(self, model, name: str, values: dict) -> object:
        row = self.session.scalar(select(model).where(model.name == name))
        if row is None:
            return self.writer.create(model, {"name": name, **values})
        return self.writer.update(model, row.id, values)

    def target(self, kpi_id: int, segment_id: int, period: str | None, values: dict) -> None:
        row = self.session.scalar(select(Target).where(
            Target.kpi_id == kpi_id, Target.segment_id == segment_id,
            Target.period.is_(None) if period is None else Target.period == period))
        if row is None:
            self.writer.create(Target, {"kpi_id": kpi_id, "segment_id": segment_id, "period": period, **values})
        else:
            self.writer.update(Target, row.id, values)

    def segment_id(self, name: str) -> int:
        row = self.session.scalar(select(Segment).where(Segment.name == name))
        return (row or self.writer.create(Segment, {"name": name, "position": 99})).id


def _first_weight(rows: pd.DataFrame, column: str) -> dict:
    if column not in rows:
        return {}
    weights = rows[column].dropna()
    return {"weight": float(weights.iloc[0])} if len(weights) else {}


def _save_kpis(upsert: _Upserter, kpis: pd.DataFrame, summary: ImportSummary) -> None:
    for position, (perspective_name, p_rows) in enumerate(kpis.groupby("perspective", sort=False)):
        perspective = upsert.by_name(Perspective, perspective_name,
                                     {"position": position, **_first_weight(p_rows, "perspective_weight")})
        for o_position, (objective_name, o_rows) in enumerate(p_rows.groupby("objective", sort=False)):
            objective = upsert.by_name(Objective, objective_name, {
                "perspective_id": perspective.id, "position": o_position,
                **_first_weight(o_rows, "objective_weight")})
            for k_position, (kpi_name, k_rows) in enumerate(o_rows.groupby("kpi", sort=False)):
                first = k_rows.iloc[0]
                kpi = upsert.by_name(Kpi, kpi_name, {
                    "objective_id": objective.id, "unit": str(first["unit"] or ""), "position": k_position,
                    "direction": first["direction"], "weight": float(first["weight"]), "source": "import",
                    **({"aggregation": first["aggregation"]} if "aggregation" in k_rows else {})})
                summary.kpis += 1
                for row in k_rows.itertuples(index=False):
                    upsert.target(kpi.id, upsert.segment_id(row.segment), None, {
                        "value": float(row.target), "baseline": _value(getattr(row, "baseline", None)),
                        "amber": _value(getattr(row, "amber", None))})
                    summary.targets += 1


def _save_measurements(upsert: _Upserter, measurements: pd.DataFrame, summary: ImportSummary) -> None:
    kpi_ids = dict(upsert.session.execute(select(Kpi.name, Kpi.id)).all())
    for row in measurements.itertuples(index=False):
        kpi_id, segment_id = kpi_ids[row.kpi], upsert.segment_id(row.segment)
        existing = upsert.session.scalar(select(Measurement).where(
            Measurement.kpi_id == kpi_id, Measurement.segment_id == segment_id, Measurement.period == row.period))
        values = {"actual": _value(row.actual)}
        if existing is None:
            upsert.writer.create(Measurement, {"kpi_id": kpi_id, "segment_id": segment_id, "period": row.period, **values})
        else:
            upsert.writer.update(Measurement, existing.id, values)
        summary.measurements += 1
        target = _value(getattr(row, "target", None))
        if target is not None:
            upsert.target(kpi_id, segment_id, row.period, {"value": target})
            summary.targets += 1


def save_import(engine: Engine, username: str, kpis: pd.DataFrame | None,
                measurements: pd.DataFrame | None) -> ImportSummary:
    """Merge validated KPI definitions and/or measurements into the scorecard in one transaction."""
    summary = ImportSummary()
    permission = "scorecard.edit" if kpis is not None else "measurements.edit"
    with write_session(engine, username, permission) as writer:
        upsert = _Upserter(writer)
        upsert.segment_id("All")
        if kpis is not None:
            _save_kpis(upsert, kpis, summary)
        if measurements is not None:
            writer.session.flush()
            _save_measurements(upsert, measurements, summary)
    return summary


def kpi_names(engine: Engine) -> set[str]:
    """Names of the KPIs already defined (measurements may refer to them)."""
    with engine.connect() as connection:
        return set(connection.execute(select(Kpi.name)).scalars())

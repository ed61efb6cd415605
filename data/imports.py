"""Saving validated imports: KPI definitions with targets, and measurements. All or nothing.

The files are parsed and validated by :mod:`scorecard.io.importer` first; here the clean frames
are merged into the scorecard (matching perspectives, objectives, KPIs and segments by name)
inside one audited transaction, so a failure anywhere leaves the database as it was.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, bindparam, select

from data.models import Kpi, Measurement, Objective, Perspective, Segment, Target
from data.writes import Writer, write_session
from errors import DomainError


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
        """The segment's id; only the default segment (All) is created when missing."""
        row = self.session.scalar(select(Segment).where(Segment.name == name))
        if row is None and name != "All":
            raise DomainError("Unknown segment(s) {names}: an administrator adds segments on purpose (known: {known}).",
                              names=[name], known=sorted(self.session.scalars(select(Segment.name))))
        return (row or self.writer.create(Segment, {"name": name, "position": 99})).id


def _first_weight(rows: pd.DataFrame, column: str) -> dict:
    if column not in rows:
        return {}
    weights = rows[column].dropna()
    return {"weight": float(weights.iloc[0])} if len(weights) else {}


def segment_names(engine: Engine) -> set[str]:
    """Names of the scorecard's segments (an import may refer only to these)."""
    with engine.connect() as connection:
        return set(connection.execute(select(Segment.name)).scalars())


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


def _changed(old: float | None, new: float | None) -> bool:
    """Whether a stored value differs from an imported one (two missing values are equal)."""
    if old is None or new is None:
        return (old is None) != (new is None)
    return float(old) != float(new)


def _upsert(session, table, keys: list[str], rows: list[dict], columns: list[str], bump_version: bool = False) -> None:
    """Insert ``rows``, updating ``columns`` of rows that exist by ``keys``, in batches (one statement per batch)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # another database: plain inserts and per-row updates, still in bulk
        _insert_then_update(session, table, keys, rows, columns, bump_version)
        return
    statement = dialect_insert(table)
    changes = {column: statement.excluded[column] for column in columns}
    if bump_version:
        changes["version"] = table.c.version + 1
    session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changes), rows)


def _insert_then_update(session, table, keys, rows, columns, bump_version) -> None:
    existing = {tuple(row[:-1]): row[-1] for row in session.execute(select(*(table.c[k] for k in keys), table.c.id))}
    inserts = [row for row in rows if tuple(row[k] for k in keys) not in existing]
    updates = [{"_id": existing[tuple(row[k] for k in keys)], **{f"_{c}": row[c] for c in columns}}
               for row in rows if tuple(row[k] for k in keys) in existing]
    if inserts:
        session.execute(table.insert(), inserts)
    if updates:
        values = {c: bindparam(f"_{c}") for c in columns}
        if bump_version:
            values["version"] = table.c.version + 1
        session.execute(table.update().where(table.c.id == bindparam("_id")).values(**values), updates)


def _segment_ids(session, names: pd.Series) -> dict[str, int]:
    """Segment ids by name; a segment the scorecard does not have is refused (an administrator adds segments)."""
    segments = dict(session.execute(select(Segment.name, Segment.id)).all())
    unknown = sorted(set(names) - set(segments))
    if unknown:
        raise DomainError("Unknown segment(s) {names}: an administrator adds segments on purpose (known: {known}).",
                          names=unknown, known=sorted(segments))
    return segments


def _save_measurements(writer: Writer, measurements: pd.DataFrame, summary: ImportSummary) -> dict:
    """Merge measurements (and per-month targets) set-based: existing rows read once, one upsert per table.

    Returns the audit's record of what was overwritten: ``[kpi, segment, period, old, new]`` per changed value.
    """
    session = writer.session
    kpi_ids = dict(session.execute(select(Kpi.name, Kpi.id)).all())
    segment_ids = _segment_ids(session, measurements["segment"])
    imported_kpis = sorted({kpi_ids[name] for name in measurements["kpi"]})
    m, t = Measurement.__table__, Target.__table__
    stored = {(k, s, p): (a, n, d) for k, s, p, a, n, d in session.execute(
        select(m.c.kpi_id, m.c.segment_id, m.c.period, m.c.actual, m.c.numerator, m.c.denominator)
        .where(m.c.kpi_id.in_(imported_kpis)))}
    stored_targets = {(k, s, p): v for k, s, p, v in session.execute(
        select(t.c.kpi_id, t.c.segment_id, t.c.period, t.c.value)
        .where(t.c.kpi_id.in_(imported_kpis), t.c.period.is_not(None)))}
    rows, targets = [], []
    overwritten: dict[str, list] = {"measurements": [], "targets": []}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0, "targets_inserted": 0, "targets_updated": 0}
    blank = [None] * len(measurements)
    has_counts = "numerator" in measurements and measurements["numerator"].notna().any()
    for kpi, segment, period, actual, target, numerator, denominator in zip(
            measurements["kpi"], measurements["segment"], measurements["period"], measurements["actual"],
            measurements.get("target", blank), measurements.get("numerator", blank),
            measurements.get("denominator", blank)):
        key = (kpi_ids[kpi], segment_ids[segment], period)
        actual, numerator, denominator = _value(actual), _value(numerator), _value(denominator)
        row = {"kpi_id": key[0], "segment_id": key[1], "period": period, "actual": actual,
               **({"numerator": numerator, "denominator": denominator} if has_counts else {})}
        if key not in stored:
            counts["inserted"] += 1
            rows.append(row)
        elif _changed(stored[key][0], actual) or (has_counts and (_changed(stored[key][1], numerator)
                                                                  or _changed(stored[key][2], denominator))):
            counts["updated"] += 1
            overwritten["measurements"].append([kpi, segment, period, stored[key][0], actual])
            rows.append(row)
        else:
            counts["unchanged"] += 1
        summary.measurements += 1
        target = _value(target)
        if target is None:
            continue
        summary.targets += 1
        if key not in stored_targets:
            counts["targets_inserted"] += 1
        elif _changed(stored_targets[key], target):
            counts["targets_updated"] += 1
            overwritten["targets"].append([kpi, segment, period, stored_targets[key], target])
        else:
            continue
        targets.append({"kpi_id": key[0], "segment_id": key[1], "period": period, "value": target})
    _upsert(session, m, ["kpi_id", "segment_id", "period"], rows,
            ["actual", "numerator", "denominator"] if has_counts else ["actual"])
    _upsert(session, t, ["kpi_id", "segment_id", "period"], targets, ["value"], bump_version=True)
    return {"counts": counts, "overwritten": overwritten}


def save_import(engine: Engine, username: str, kpis: pd.DataFrame | None,
                measurements: pd.DataFrame | None, *, checksum: str | None = None) -> ImportSummary:
    """Merge validated KPI definitions and/or measurements into the scorecard in one transaction.

    Measurements are written set-based and audited as one ``import`` entry: the counts inserted,
    updated and unchanged, the file's SHA-256 (``checksum``, else the one :func:`read_table`
    recorded on the frame) and every overwritten value (old → new). A segment the scorecard does
    not have is refused.
    """
    summary = ImportSummary()
    permission = "scorecard.edit" if kpis is not None else "measurements.edit"
    with write_session(engine, username, permission) as writer:
        upsert = _Upserter(writer)
        upsert.segment_id("All")
        if kpis is not None:
            _segment_ids(writer.session, kpis["segment"])
            _save_kpis(upsert, kpis, summary)
        if measurements is not None:
            writer.session.flush()
            result = _save_measurements(writer, measurements, summary)
            writer.note("import", Measurement, {
                "file": measurements.attrs.get("file"), "sha256": checksum or measurements.attrs.get("sha256"),
                "rows": len(measurements), **result["counts"]}, old=result["overwritten"])
    return summary


def kpi_names(engine: Engine) -> set[str]:
    """Names of the KPIs already defined (measurements may refer to them)."""
    with engine.connect() as connection:
        return set(connection.execute(select(Kpi.name)).scalars())

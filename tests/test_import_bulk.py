"""Set-based imports (issue #21, point 2 and 3): existing rows read once, a bulk upsert, one audit entry
per import with its counts, the file's SHA-256 and every overwritten value; still all-or-nothing; an
unknown segment is refused, not created."""

from __future__ import annotations

import hashlib
import io

import pytest
from sqlalchemy import func, select

from data.imports import kpi_names, save_import, segment_names
from data.models import AuditLog, Kpi, Measurement, Segment, Target
from data.writes import SYSTEM_USER
from errors import DomainError
from scorecard.io.importer import ImportValidationError, read_table, validate_measurements
from tests.bad_inputs import base_database, snapshot

FIRST = "kpi,period,actual,target\nRevenue,2025-02,96,\nRevenue,2025-03,97,110\nComplaints,2025-02,11,\n"
# Revenue 2025-01 was 95 (base_database); 2025-02 changes 96 → 99; 2025-03 stays; a new month; a target changes.
SECOND = ("kpi,period,actual,target\nRevenue,2025-01,95,\nRevenue,2025-02,99,\nRevenue,2025-03,97,120\n"
          "Complaints,2025-04,9,\n")


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    url = (f"sqlite:///{tmp_path / 'bulk.db'}" if request.param == "sqlite"
           else request.getfixturevalue("new_postgres_database")())
    engine = base_database(url)
    yield engine
    engine.dispose()


def _import(engine, text: str, name: str = "M.csv"):
    table = read_table(io.BytesIO(text.encode()), name)
    return save_import(engine, SYSTEM_USER, None,
                       validate_measurements(table, name, kpi_names(engine), segment_names(engine)))


def _entries(engine):
    with engine.connect() as connection:
        return connection.execute(select(AuditLog.action, AuditLog.entity, AuditLog.old, AuditLog.new)
                                  .where(AuditLog.entity.in_(["measurement", "target"]))
                                  .order_by(AuditLog.id)).all()


def _actuals(engine) -> dict[tuple[str, str], float]:
    with engine.connect() as connection:
        return {(kpi, period): actual for kpi, period, actual in connection.execute(
            select(Kpi.name, Measurement.period, Measurement.actual).join(Kpi))}


def test_an_import_is_one_audit_entry_with_counts_checksum_and_overwritten_values(engine):
    before = len(_entries(engine))
    _import(engine, FIRST)
    _import(engine, SECOND, "M2.csv")
    entries = _entries(engine)[before:]
    assert [(e.action, e.entity) for e in entries] == [("import", "measurement"), ("import", "measurement")]
    second = entries[1]
    assert second.new["sha256"] == hashlib.sha256(SECOND.encode()).hexdigest()
    assert second.new["file"] == "M2.csv" and second.new["rows"] == 4
    assert (second.new["inserted"], second.new["updated"], second.new["unchanged"]) == (1, 1, 2)
    assert (second.new["targets_inserted"], second.new["targets_updated"]) == (0, 1)
    assert second.old["measurements"] == [["Revenue", "All", "2025-02", 96.0, 99.0]]
    assert second.old["targets"] == [["Revenue", "All", "2025-03", 110.0, 120.0]]
    assert _actuals(engine) == {("Revenue", "2025-01"): 95.0, ("Revenue", "2025-02"): 99.0,
                                ("Revenue", "2025-03"): 97.0, ("Complaints", "2025-01"): 12.0,
                                ("Complaints", "2025-02"): 11.0, ("Complaints", "2025-04"): 9.0}
    with engine.connect() as connection:
        target = connection.execute(select(Target.value, Target.version).where(Target.period == "2025-03")).one()
    assert target == (120.0, 2)      # the upsert raised the optimistic-locking version


def test_an_unknown_segment_is_refused_and_nothing_is_created(engine):
    text = "kpi,period,actual,segment\nRevenue,2025-02,1,All customers\n"
    before = snapshot(engine)
    with pytest.raises(ImportValidationError, match="unknown segment 'All customers'"):
        _import(engine, text)
    # the data layer refuses it too, when a caller skipped the check
    table = validate_measurements(read_table(io.BytesIO(text.encode()), "M.csv"), "M.csv")
    with pytest.raises(DomainError, match="Unknown segment"):
        save_import(engine, SYSTEM_USER, None, table)
    assert snapshot(engine) == before
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Segment)) == 1


def test_a_failure_midway_leaves_nothing(engine, monkeypatch):
    import data.imports as imports
    real = imports._upsert
    calls = []

    def fail_on_targets(session, table, *args, **kwargs):
        calls.append(table.name)
        if table.name == "target":
            raise RuntimeError("disk full")
        return real(session, table, *args, **kwargs)

    monkeypatch.setattr(imports, "_upsert", fail_on_targets)
    before = snapshot(engine)
    with pytest.raises(RuntimeError):
        _import(engine, FIRST)
    assert calls == ["measurement", "target"] and snapshot(engine) == before

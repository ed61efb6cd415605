"""The audit log reads like a record for people: names rather than ids, old → new in the app's format."""

from __future__ import annotations

from sqlalchemy import select

from data import repository
from data.db import make_engine
from data.models import Target
from data.writes import write_session
from tests.apptest import start
from ui.admin.audit import AuditNames, readable_audit


def _names(engine) -> AuditNames:
    definition = repository.scorecard_definition(engine)
    users = repository.users(engine)
    return AuditNames(kpis={int(k): (n, u) for k, n, u in zip(definition["kpi_id"], definition["kpi"], definition["unit"])},
                      segments=dict(zip(repository.segments(engine)["id"], repository.segments(engine)["name"])),
                      people=dict(zip(users["username"], users["display_name"])))


def _dollars_k(value: float) -> str:  # written by hand: "$16,500k"
    return f"${value:,.0f}k"


def test_a_target_change_reads_with_names_and_formatted_values(own_url):
    engine = make_engine(own_url)
    revenue = int(repository.scorecard_definition(engine).set_index("kpi").loc["Revenue", "kpi_id"])
    with engine.connect() as connection:
        target_id, old = connection.execute(select(Target.id, Target.value).where(
            Target.kpi_id == revenue, Target.period.is_(None)).order_by(Target.id)).first()
    with write_session(engine, "sara", "scorecard.edit") as writer:
        writer.update(Target, target_id, {"value": 16500.0})
    log = repository.audit_log(engine)
    names = _names(engine)
    targets = repository.targets(engine)
    segments = dict(zip(repository.segments(engine)["name"], repository.segments(engine)["id"]))
    names.rows = {("target", int(r.id)): {"kpi_id": int(r.kpi_id), "segment_id": int(segments[r.segment])}
                  for r in targets.itertuples()}
    row = readable_audit(log.head(1), names, lambda v, unit: __import__("scorecard.numbers").numbers
                         .format_value(v, unit)).iloc[0]
    assert row["who"] == "Sara Ahmadi (CRM strategy team)" and row["action"] == "Changed"
    assert row["what"].startswith("Target: Revenue · ")
    assert row["change"] == f"value: {_dollars_k(old)} → {_dollars_k(16500)}"
    assert str(revenue) not in row["what"] and "kpi_id" not in row["change"]
    stamp = log["at"].iloc[0]
    assert row["at"] == f"{stamp:%Y-%m-%d %H:%M}"


def test_demo_comments_read_with_the_kpi_name_and_author(sqlite_engine):
    log = repository.audit_log(sqlite_engine, limit=100_000)
    table = readable_audit(log[log["entity"] == "comment"], _names(sqlite_engine), lambda v, unit: f"{v}")
    assert len(table) >= 4
    assert "Comment: Tickets resolved within SLA · 2026-10" in set(table["what"])
    assert "Nima Rahimi (Champion, Head of Service)" in set(table["who"])
    assert not table["what"].str.contains(r"\bid\b|kpi_id").any()


def test_the_data_screen_shows_the_readable_log(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/data.py", monkeypatch)
    frames = [frame.value for frame in at.dataframe if "change" in frame.value.columns]
    assert frames, [list(f.value.columns) for f in at.dataframe]
    assert frames[0]["who"].str.contains("Administrator|Sara|Nima|Reza|Leila").any()

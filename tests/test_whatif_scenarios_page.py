"""Saved scenarios on the What-if page: the comparison (targets with units, scorecard order, rounded
scores, the same in the export) and the promotion's preview, confirm and cancel, and who may promote."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from data import repository
from data.db import make_engine
from data.scenarios import save_scenario, scenarios
from tests.apptest import html_tables, kpi_id, ok, start

PAGE = "screens/whatif.py"
PERIOD, SEGMENT = "2026-10", "All"


def _raw(engine, kpi: int) -> tuple[float, float, float]:
    """A KPI's standing target, its baseline (All customers) and its actual in the month, from the database."""
    targets = repository.targets(engine)
    target = targets[(targets["kpi_id"] == kpi) & (targets["segment"] == SEGMENT) & targets["period"].isna()].iloc[0]
    measured = repository.measurements(engine)
    actual = measured[(measured["kpi_id"] == kpi) & (measured["segment"] == SEGMENT) & (measured["period"] == PERIOD)]
    return float(target["value"]), float(target["baseline"]), float(actual["actual"].iloc[0])


def _save(engine, name: str, targets: dict[int, float], user: str = "maryam") -> int:
    return save_scenario(engine, user, name, PERIOD, SEGMENT,
                         {"targets": {str(k): v for k, v in targets.items()}, "changes": {}, "assumptions": {}})


def _dollars_k(value: float) -> str:  # the app writes thousands of dollars as "$16,500k" (by hand)
    return f"${value:,.0f}k"


@pytest.fixture()
def two_scenarios(own_url):
    """Two saved scenarios: Revenue stretched to a score of 2/3 (linear: baseline + 1.5 × (actual − baseline)),
    and Retention raised to 99.5 %; returns the engine, the KPI ids and Revenue's stretched target."""
    engine = make_engine(own_url)
    revenue, retention = kpi_id(engine, "Revenue"), kpi_id(engine, "Retention rate")
    _, baseline, actual = _raw(engine, revenue)
    stretched = round(baseline + 1.5 * (actual - baseline), 1)
    _save(engine, "Revenue stretch", {revenue: stretched})
    _save(engine, "Retention push", {retention: 99.5})
    return engine, revenue, retention, stretched


def _compare(own_url, engine, monkeypatch, captured: dict):
    import ui.whatif.scenarios as panel

    def csv(frame):
        captured["csv"] = panel_csv(frame)
        return captured["csv"]

    def excel(frame, sheet):
        captured["excel"] = panel_excel(frame, sheet)
        return captured["excel"]

    panel_csv, panel_excel = panel.table_csv, panel.table_excel
    monkeypatch.setattr(panel, "table_csv", csv)
    monkeypatch.setattr(panel, "table_excel", excel)
    at = start(own_url, PAGE, monkeypatch, user="maryam")
    at.multiselect(key="whatif_compare").set_value(scenarios(engine)["id"].tolist()[::-1])
    return ok(at.run())


def _comparison(at) -> pd.DataFrame:
    return next(frame for frame in html_tables(at) if "Revenue stretch: target" in frame.columns)


def test_the_comparison_shows_targets_with_units_in_scorecard_order_and_rounded_scores(own_url, two_scenarios,
                                                                                       monkeypatch):
    engine, revenue, retention, stretched = two_scenarios
    official_revenue, _, _ = _raw(engine, revenue)
    official_retention, _, _ = _raw(engine, retention)
    at = _compare(own_url, engine, monkeypatch, {})
    table = _comparison(at).set_index("Scorecard item")
    assert list(table.columns) == ["Official: target", "Revenue stretch: target", "Revenue stretch: status",
                                   "Revenue stretch: score", "Retention push: target", "Retention push: status",
                                   "Retention push: score"]
    row = table.loc["Revenue"]
    assert (row["Official: target"], row["Revenue stretch: target"], row["Retention push: target"]) == (
        _dollars_k(official_revenue), _dollars_k(stretched), _dollars_k(official_revenue))
    # 100 × (actual − baseline)/(stretched − baseline) = 100 / 1.5 ≈ 66.7, shown whole
    assert row["Revenue stretch: score"] == "67"
    assert table.loc["Retention rate", "Retention push: target"] == "99.5%"
    assert table.loc["Retention rate", "Official: target"] == f"{official_retention:.1f}%"
    assert table["Retention push: score"].str.fullmatch(r"\d*").all()  # every score whole (or blank)
    perspectives = list(repository.scorecard_definition(engine)["perspective"].unique())
    items = list(table.index)
    assert items[0] == "Overall scorecard"
    assert [item for item in items if item in perspectives] == perspectives  # Financial first, as on the Scorecard
    assert table.loc["Overall scorecard", "Official: target"] == ""


def test_the_export_carries_the_same_table(own_url, two_scenarios, monkeypatch):
    engine, revenue, _, stretched = two_scenarios
    captured: dict = {}
    at = _compare(own_url, engine, monkeypatch, captured)
    shown = _comparison(at)
    exported = pd.read_csv(io.BytesIO(captured["csv"]), dtype=str, keep_default_na=False)
    assert list(exported.columns) == ["Perspective", "Objective", "Scorecard item", *shown.columns[1:]]
    assert exported["Scorecard item"].tolist() == shown["Scorecard item"].tolist()
    assert exported[shown.columns[1:]].equals(shown[shown.columns[1:]])
    revenue_row = exported[exported["Scorecard item"] == "Revenue"].iloc[0]
    assert (revenue_row["Perspective"], revenue_row["Revenue stretch: target"],
            revenue_row["Revenue stretch: score"]) == ("Financial", _dollars_k(stretched), "67")
    workbook = pd.read_excel(io.BytesIO(captured["excel"]), dtype=str, keep_default_na=False)
    assert workbook.equals(exported)


def _standing(engine) -> dict[int, float]:
    targets = repository.targets(engine)
    standing = targets[(targets["segment"] == SEGMENT) & targets["period"].isna()]
    return dict(zip(standing["kpi_id"].astype(int), standing["value"]))


def _open_preview(own_url, engine, monkeypatch, user: str):
    revenue, retention = kpi_id(engine, "Revenue"), kpi_id(engine, "Retention rate")
    official = _standing(engine)
    # Revenue and Retention move; Win-back is set to its official target, so it is no change
    win_back = kpi_id(engine, "Win-back rate")
    _save(engine, "Board ask", {revenue: 16500.0, retention: 99.5, win_back: official[win_back]})
    at = start(own_url, PAGE, monkeypatch, user=user)
    return at, revenue, retention, official


def test_the_preview_lists_exactly_the_changed_targets_and_cancel_changes_nothing(own_url, monkeypatch):
    engine = make_engine(own_url)
    at, revenue, retention, official = _open_preview(own_url, engine, monkeypatch, "sara")
    entries = len(repository.audit_log(engine, limit=100_000))
    at.button(key="whatif_promote").click()
    ok(at.run())
    preview = next(frame for frame in html_tables(at) if "Old target" in frame.columns)
    assert preview["KPI"].tolist() == ["Revenue", "Retention rate"]  # in scorecard order; Win-back unchanged
    assert preview["Old target"].tolist() == [_dollars_k(official[revenue]), f"{official[retention]:.1f}%"]
    assert preview["New target"].tolist() == ["$16,500k", "99.5%"]
    assert set(preview["Customer segment"]) == {"All"}
    assert set(preview["Months"]) == {"Every month without a target of its own"}
    assert _standing(engine) == official
    at.button(key="whatif_promote_cancel").click()
    ok(at.run())
    assert not [b for b in at.button if b.key == "whatif_promote_confirm"]
    assert _standing(engine) == official
    assert len(repository.audit_log(engine, limit=100_000)) == entries


def test_confirming_writes_the_targets_and_one_audit_entry(own_url, monkeypatch):
    engine = make_engine(own_url)
    at, revenue, retention, official = _open_preview(own_url, engine, monkeypatch, "sara")
    entries = len(repository.audit_log(engine, limit=100_000))
    at.button(key="whatif_promote").click()
    ok(at.run())
    at.button(key="whatif_promote_confirm").click()
    ok(at.run())
    assert _standing(engine) == {**official, revenue: 16500.0, retention: 99.5}
    log = repository.audit_log(engine, limit=100_000)
    assert len(log) == entries + 1
    assert log.iloc[0]["action"] == "promote" and len(log.iloc[0]["new"]["targets"]) == 2
    assert any("now the official ones" in s.value for s in at.success)


def test_a_role_that_may_not_promote_sees_the_button_disabled_with_the_reason(own_url, monkeypatch):
    engine = make_engine(own_url)
    at, *_ = _open_preview(own_url, engine, monkeypatch, "maryam")
    button = at.button(key="whatif_promote")
    assert button.disabled
    assert "Executive" in button.help and "may not" in button.help


def test_the_saved_list_reads_in_persian_with_names_jalali_months_and_times(own_url, two_scenarios, monkeypatch):
    # By hand: October 2026 is mostly Mehr 1405 (1 Mehr = 23 September); maryam's Persian name is the catalog's
    # translation of her display name; "All" is "همه". Before, the grid showed "maryam", "2026-10", "All" and a
    # Gregorian time.
    at = start(own_url, PAGE, monkeypatch, language="fa", user="maryam")
    grid = next(d.value for d in at.dataframe if "نام سناریو" in d.value.columns)
    assert set(grid["نام سناریو"]) == {"Revenue stretch", "Retention push"}
    assert set(grid["نویسنده"]) == {"مریم حسینی (مدیر ارشد)"}
    assert set(grid["ماه"]) == {"مهر ۱۴۰۵"}
    assert set(grid["بخش مشتری"]) == {"همه"}
    saved = grid["زمان ذخیره"].tolist()
    assert all(re.fullmatch("۱۴۰[۰-۹]/[۰-۹]{2}/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2} UTC", moment) for moment in saved), saved

"""Scores and periods that explain themselves, and one click from a red KPI to its detail (AppTest, demo data).

Expected numbers come from the demo database's own rows (targets, baselines, measurements read
with the repository) and arithmetic written here, not from the explanation helpers.
"""

from __future__ import annotations

import pytest

from data import repository
from tests.apptest import html_tables, kpi_id, ok, start, texts


def _standing_target(engine, name: str):
    targets = repository.targets(engine)
    row = targets[(targets["kpi_id"] == kpi_id(engine, name)) & targets["period"].isna()
                  & (targets["segment"] == "All")].iloc[0]
    return row


def test_a_running_quarter_says_how_many_of_its_months_it_covers(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    at.segmented_control(key="scorecard_period_grain").set_value("quarter")
    ok(at.run())
    captions = texts(at.caption)
    assert "Q4 2026 to date (1 of 3 months)" in captions  # the demo's data end in October 2026
    at.selectbox(key="scorecard_period_gregorian_quarter").set_value("2026-Q3")
    ok(at.run())
    assert "Q3 2026 · Segment" in texts(at.caption) and "to date" not in texts(at.caption)


def test_status_and_score_explain_themselves_on_hover(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    page = "".join(element.proto.body for element in at.get("html"))
    target = _standing_target(sqlite_engine, "Tickets resolved within SLA")
    edge = target["value"] * (1 - target["amber"])  # higher is better: the target less the band
    assert f"amber down to {edge:.1f}% (a {100 * target['amber']:.0f}% band)" in page
    assert f"0 at the baseline {target['baseline']:.1f}%" in page


def test_a_zero_score_says_why(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    table = html_tables(at)[0]
    zero = table[(table["Score"] == "0") & (table["Scorecard item"] == "Tickets resolved within SLA")]
    assert len(zero) == 1
    baseline = _standing_target(sqlite_engine, "Tickets resolved within SLA")["baseline"]
    assert f"Tickets resolved within SLA: {zero.iloc[0]['Actual']} is below its baseline of {baseline:.1f}%, so it scores 0." in texts(at.caption)


@pytest.mark.parametrize("screen,key", [("screens/overview.py", "overview_red"), ("screens/scorecard.py", "scorecard_red")])
def test_a_red_kpi_opens_its_detail_in_one_click(screen, key, sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, screen, monkeypatch)
    red = [b for b in at.button if b.key and b.key.startswith(f"{key}_")]
    assert red, "no red KPI button"
    chosen = int(red[0].key.rsplit("_", 1)[1])
    red[0].click()
    ok(at.run())
    assert at.selectbox(key="kpi_detail_kpi").value == chosen
    assert at.selectbox(key="kpi_detail_kpi").format_func(chosen).endswith("(red)")


def test_a_running_year_lists_its_months_and_their_mean(sqlite_url, sqlite_engine, monkeypatch):
    import re

    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    at.segmented_control(key="scorecard_period_grain").set_value("year")
    ok(at.run())
    caption = texts(at.caption)
    assert "2026 to date (10 of 12 months)" in caption
    listed = re.search(r"month by month: (.*) \(mean (\d+)\)", caption)
    scores = [int(s.rsplit(" ", 1)[1]) for s in listed.group(1).split(" · ")]
    assert len(scores) == 10  # January to October 2026
    assert abs(sum(scores) / 10 - int(listed.group(2))) <= 1.0  # the listed scores and the mean are rounded to whole points

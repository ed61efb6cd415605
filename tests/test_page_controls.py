"""The pages' controls under Streamlit's AppTest: pickers, meeting mode, forms, uploads, editors.

Read-only tests share the session's demo database; tests that write get their own copy of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data import repository
from data.db import make_engine
from data.settings import get_setting
from tests.apptest import html_tables, kpi_id, ok, sign_in, start, texts
from ui.core import loaders
from ui.scorecard import tables as scorecard_tables
from ui.scorecard.strategy_map import VERDICTS
from ui.spc.panels import KIND_LABELS

ROOT = Path(__file__).resolve().parent.parent
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))


def test_scorecard_follows_grain_period_and_segment(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    monthly = html_tables(at)[0].copy()
    at.segmented_control(key="scorecard_period_grain").set_value("quarter")
    ok(at.run())
    quarters = at.selectbox(key="scorecard_period_gregorian_quarter")
    assert quarters.value == "2026-Q4"  # October 2026 only: scored to date
    quarters.set_value("2026-Q3")
    ok(at.run())
    quarterly = html_tables(at)[0]
    assert not quarterly["Actual"].equals(monthly["Actual"])
    at.selectbox(key="scorecard_segment").set_value("Retail")
    ok(at.run())
    assert not html_tables(at)[0]["Actual"].equals(quarterly["Actual"])
    assert {"Trend (12 months)", "Signal or noise", "Owner", "Variance"} <= set(html_tables(at)[0].columns)


def test_meeting_mode_steps_through_the_perspectives(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch)
    at.toggle(key="meeting_mode").set_value(True)
    ok(at.run())
    assert "Perspective 1 of 6" in texts(at.markdown)
    at.button(key="meeting_next").click()
    ok(at.run())
    assert "Perspective 2 of 6" in texts(at.markdown)
    at.button(key="meeting_previous").click().run()
    at.button(key="meeting_previous").click()
    ok(at.run())
    assert "Perspective 6 of 6" in texts(at.markdown)
    assert len(at.metric) > 6


def test_persian_scorecard_offers_jalali_periods(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch, language="fa")
    periods = at.selectbox(key="scorecard_period_jalali_month")
    assert periods.value.startswith("J1405")
    assert at.title[0].value == "کارت امتیازی"


def test_persian_scorecard_writes_its_numbers_in_persian(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/scorecard.py", monkeypatch, language="fa")
    table = html_tables(at)[0]
    numbers = " ".join(table[PERSIAN[c]].str.cat(sep=" ") for c in ("Actual", "Target", "Variance", "Score"))
    assert not any(ch.isascii() and ch.isdigit() for ch in numbers) and "۱" in numbers
    assert "واحد\u00a0درصد" in numbers and "هزار\u00a0دلار" in numbers  # percentage points; thousands of dollars after the number


@pytest.mark.parametrize("screen,builder", [("screens/scorecard.py", "scorecard_table_html"),
                                            ("screens/overview.py", "report_table_html")])
def test_sessions_share_one_formatting_of_a_table_per_language_and_digits(screen, builder, sqlite_url, sqlite_engine,
                                                                          monkeypatch):
    builds = []
    build = getattr(scorecard_tables, builder)
    monkeypatch.setattr(scorecard_tables, builder, lambda *args, **kwargs: builds.append(1) or build(*args, **kwargs))
    st.cache_data.clear()  # count the builds from an empty cache
    english = html_tables(start(sqlite_url, screen, monkeypatch))[0]
    assert html_tables(start(sqlite_url, screen, monkeypatch, user="sara"))[0].equals(english)
    assert len(builds) == 1                                        # another session: the same table, not built again
    persian = html_tables(start(sqlite_url, screen, monkeypatch, language="fa"))[0]
    latin = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    sign_in(latin.run(), "admin")
    latin.session_state["language"], latin.session_state["persian_digits"] = "fa", False
    latin = html_tables(ok(latin.switch_page(screen).run()))[0]
    assert "۱" in persian[PERSIAN["Actual"]].str.cat() and "1" not in persian[PERSIAN["Actual"]].str.cat()
    assert "1" in latin[PERSIAN["Actual"]].str.cat() and "۱" not in latin[PERSIAN["Actual"]].str.cat()
    assert len(builds) == 3                                        # once per language and digits


def test_strategy_map_lists_the_picked_objectives_kpis(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/strategy_map.py", monkeypatch)
    objective = at.selectbox(key="map_objective")
    other = objective.options[-1]
    objective.set_value(other)
    ok(at.run())
    assert f"KPIs of {other}" in texts(at.subheader)
    evidence = html_tables(at)[-1]
    assert len(evidence) == len(repository.links(sqlite_engine))
    assert set(evidence["Verdict"]) <= set(VERDICTS.values()) and "✔ supported" in set(evidence["Verdict"])


def test_kpi_detail_adds_a_comment_and_an_action_item(own_url, monkeypatch):
    engine = make_engine(own_url)
    revenue = kpi_id(engine, "Revenue")
    at = start(own_url, "screens/kpi_detail.py", monkeypatch, user="sara")
    at.selectbox(key="kpi_detail_kpi").set_value(revenue)
    ok(at.run())
    at.text_area(key=f"comment_text_{revenue}").input("Revenue dipped after the price change.")
    at.button[[b.label for b in at.button].index("Add comment")].click()
    ok(at.run())
    assert "Revenue dipped after the price change." in texts(at.markdown)
    comment_id = int(repository.comments(engine)["id"].iloc[0])
    at.text_area(key=f"edit_comment_text_{comment_id}").input("Revenue dipped after the May price change.")
    at.button[[b.label for b in at.button].index("Save")].click()
    ok(at.run())
    assert "Revenue dipped after the May price change." in texts(at.markdown)
    at.text_input(key=f"action_text_{revenue}").input("Review the price change")
    at.text_input(key=f"action_owner_{revenue}").input("Sara")
    at.button[[b.label for b in at.button].index("Add action item")].click()
    ok(at.run())
    items = repository.action_items(engine, revenue)
    assert items["text"].tolist() == ["Review the price change"] and items["author"].tolist() == ["sara"]
    assert [m.label for m in at.metric] == ["Chance of meeting the target"]


def test_a_viewer_reads_the_discussion_but_finds_no_comment_form(own_url, monkeypatch):
    """The form is left out with a note saying why; the write path's own refusal is tested in test_permissions."""
    engine = make_engine(own_url)
    at = start(own_url, "screens/kpi_detail.py", monkeypatch, user="guest")
    revenue = kpi_id(engine, "Revenue")
    at.selectbox(key="kpi_detail_kpi").set_value(revenue)
    ok(at.run())
    assert not [a for a in at.text_area if a.key == f"comment_text_{revenue}"]
    assert "Add comment" not in [b.label for b in at.button]
    assert "Your role (Viewer) may not write comments and action items." in texts(at.caption)


def spc_kind(at: AppTest) -> str:
    return next(s.key for s in at.selectbox if s.key and s.key.startswith("spc_kind_"))


def test_spc_studio_suggests_a_p_chart_for_sla_counts_and_draws_every_kind(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/spc_studio.py", monkeypatch)
    at.selectbox(key="spc_kpi").set_value(kpi_id(sqlite_engine, "Tickets resolved within SLA"))
    ok(at.run())
    suggestion = texts(at.info)
    assert "Suggested: p (proportion)" in suggestion or "Suggested: Laney p′" in suggestion
    assert "Laney σ_z" in suggestion
    for kind in list(KIND_LABELS):
        if KIND_LABELS[kind] in at.selectbox(key=spc_kind(at)).options:
            at.selectbox(key=spc_kind(at)).set_value(kind)
            ok(at.run())
            assert at.get("plotly_chart"), kind


def test_spc_studio_stages_exclusions_phase1_and_capability(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/spc_studio.py", monkeypatch)
    resolution = kpi_id(sqlite_engine, "Mean resolution time")
    at.selectbox(key="spc_kpi").set_value(resolution)
    ok(at.run())
    assert "I-MR" in texts(at.info)
    at.multiselect(key=f"spc_stages_{resolution}").select("2025-07")
    at.multiselect(key="spc_exclude").select("2024-01")
    ok(at.run())
    at.number_input(key="spc_phase1").set_value(12)
    at.run()
    assert "stage 'Stage 2' has no phase-I samples" in texts(at.error)
    at.multiselect(key=f"spc_stages_{resolution}").unselect("2025-07")
    ok(at.run())
    at.number_input(key="spc_usl").set_value(1000.0)
    ok(at.run())
    table = at.dataframe[-1].value
    assert {"cpk", "ppk", "ppm_overall"} <= set(table["Index"])
    # The demo's resolution time shifted in 2025-07 (a project's change): unstable, so no Box-Cox, a warning.
    assert "Judged on 35 samples, 2023-11 to 2026-10, leaving out 1 known special causes." in texts(at.caption)
    assert "process is not stable" in texts(at.warning) and "Anderson–Darling" not in texts(at.caption)
    at.multiselect(key=f"spc_stages_{resolution}").select("2025-07")      # judge the latest stage alone
    at.number_input(key="spc_phase1").set_value(0)
    ok(at.run())
    assert "the latest stage: 16 samples, 2025-07 to 2026-10" in texts(at.caption)
    at.number_input(key="spc_lsl").set_value(2000.0)
    at.run()
    assert "The lower spec limit must be below the upper one." in texts(at.error)


def test_spc_studio_preselects_a_kpis_known_process_change(sqlite_url, sqlite_engine, monkeypatch):
    from sqlalchemy import text

    sla = kpi_id(sqlite_engine, "Tickets resolved within SLA")
    with sqlite_engine.connect() as connection:  # the demo's closed project on SLA: its Improve approval month
        changed = connection.execute(text(
            "SELECT substr(MIN(g.decided_at), 1, 7) FROM project p JOIN tollgate g ON g.project_id = p.id "
            "WHERE p.kpi_id = :kpi AND p.status = 'closed' AND g.phase = 'improve' AND g.decision = 'approve'"),
            {"kpi": sla}).scalar_one()
        marked = connection.execute(text("SELECT month FROM kpi_stage WHERE kpi_id = :kpi"), {"kpi": sla}).scalars().all()
    at = start(sqlite_url, "screens/spc_studio.py", monkeypatch)
    at.selectbox(key="spc_kpi").set_value(sla)
    ok(at.run())
    assert marked == ["2025-07"]                            # the belt marked the outsourcing as a process change
    assert at.multiselect(key=f"spc_stages_{sla}").value == sorted([*marked, changed])


def test_spc_studio_reads_an_uploaded_column_and_rejects_text(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/spc_studio.py", monkeypatch)
    at.segmented_control(key="spc_source").set_value("upload")
    ok(at.run())
    values = "\n".join(str(v) for v in [10.2, 9.8, 10.1, 10.4, 9.9, 10.0, 10.3, 9.7, 10.2, 14.0, 10.1, 9.9])
    at.file_uploader(key="spc_upload").upload("times.csv", f"minutes\n{values}\n".encode(), "text/csv")
    ok(at.run())
    assert "I-MR" in texts(at.info)
    signals = next(table for table in html_tables(at) if "Sample" in table.columns)
    assert "10" in signals["Sample"].tolist() and "14.0" in signals["Value"].tolist()  # the 10th value, 14.0
    at.file_uploader(key="spc_upload").upload("bad.csv", b"minutes\n1\n2\nabc\n4\n", "text/csv")
    at.run()
    assert "bad.csv, row 4, column 'minutes': 'abc' is not a number" in texts(at.error)


def test_settings_save_a_valid_method_and_refuse_crossed_thresholds(own_url, monkeypatch):
    engine = make_engine(own_url)
    at = start(own_url, "screens/settings.py", monkeypatch)
    at.radio[0].set_value("ratio")
    at.number_input[1].set_value(95.0)
    at.number_input[0].set_value(80.0)
    at.button[[b.label for b in at.button].index("Save settings")].click()
    at.run()
    assert "must not be above the green one" in texts(at.error)
    assert not get_setting(engine, "scoring")
    at.number_input[0].set_value(97.0)
    at.button[[b.label for b in at.button].index("Save settings")].click()
    ok(at.run())
    assert get_setting(engine, "scoring")["method"] == "ratio"


def test_data_page_saves_a_valid_edit_with_an_audit_entry_and_refuses_a_bad_one(own_url, monkeypatch):
    engine = make_engine(own_url)
    weight = repository.perspectives(engine)["weight"].iloc[0]
    at = start(own_url, "screens/data.py", monkeypatch)
    at.session_state["edit_perspectives"] = {"edited_rows": {0: {"weight": -1.0}}, "added_rows": [], "deleted_rows": []}
    at.button(key="edit_perspectives_save").click()
    at.run()
    assert "Nothing was saved" in texts(at.error) and "weight" in texts(at.error).lower()
    assert repository.perspectives(engine)["weight"].iloc[0] == weight
    at.session_state["edit_perspectives"] = {"edited_rows": {0: {"weight": 2.0}}, "added_rows": [], "deleted_rows": []}
    at.button(key="edit_perspectives_save").click()
    ok(at.run())
    assert repository.perspectives(engine)["weight"].iloc[0] == 2.0
    audit = repository.audit_log(engine)
    assert ((audit["entity"] == "perspective") & (audit["action"] == "update")).any()


def test_data_page_import_is_all_or_nothing(own_url, monkeypatch):
    engine = make_engine(own_url)
    before = len(repository.measurements(engine))
    at = start(own_url, "screens/data.py", monkeypatch)
    bad = b"kpi,period,actual\nRevenue,2026-11,100\nRevenue,13-2026,5\n"
    at.file_uploader(key="import_measurements").upload("MEASUREMENTS.csv", bad, "text/csv")
    at.button[[b.label for b in at.button].index("Validate and import")].click()
    at.run()
    assert "MEASUREMENTS.csv" in texts(at.error) and "row 3" in texts(at.error)
    assert len(repository.measurements(engine)) == before
    good = b"kpi,period,actual\nRevenue,2026-11,100\n"
    at.file_uploader(key="import_measurements").upload("MEASUREMENTS.csv", good, "text/csv")
    at.button[[b.label for b in at.button].index("Validate and import")].click()
    ok(at.run())
    assert "Imported 0 KPIs, 0 targets and 1 measurements." in texts(at.success)
    assert len(repository.measurements(engine)) == before + 1


def test_export_panel_offers_csv_excel_and_html(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/data.py", monkeypatch)
    labels = " ".join(b.label for b in at.get("download_button"))
    assert "CSV" in labels and "Excel" in labels and "HTML" in labels


def test_persian_dates_are_picked_in_the_jalali_calendar(sqlite_url, sqlite_engine, monkeypatch):
    from datetime import date

    import jdatetime

    from ui.components.pickers import _jalali_day

    assert _jalali_day(1405, 1, 1) == date(2026, 3, 21)  # Nowruz 1405
    assert _jalali_day(1405, 7, 31) == _jalali_day(1405, 7, 30)  # Mehr has 30 days: the last day is taken
    at = start(sqlite_url, "screens/projects.py", monkeypatch, language="fa")
    today = jdatetime.date.today()
    assert at.selectbox(key="new_project_start_jm").value == today.month
    assert at.selectbox(key="new_project_start_jy").value == today.year


def test_ewma_is_centred_on_phase_one_with_its_own_parameters_and_signal_words(sqlite_url, sqlite_engine, monkeypatch):
    """Issue #18: EWMA/CUSUM no longer centre on all the data, show λ, L, k, h, and label their own signals."""
    at = start(sqlite_url, "screens/spc_studio.py", monkeypatch)
    at.selectbox(key="spc_kpi").set_value(kpi_id(sqlite_engine, "Campaign response rate"))
    ok(at.run())
    at.selectbox(key=spc_kind(at)).set_value("ewma")
    ok(at.run())
    months = len(loaders_history_labels(at))
    assert at.number_input(key="spc_phase1_memory").value == months // 2
    assert at.number_input(key="spc_ewma_lam").value == 0.2 and at.number_input(key="spc_ewma_L").value == 3.0
    assert not [s for s in at.selectbox if s.key == "spc_rules"]              # run rules do not apply
    assert "Nelson" not in texts(at.markdown) + texts(at.caption)
    at.selectbox(key=spc_kind(at)).set_value("cusum")
    ok(at.run())
    assert at.number_input(key="spc_cusum_k").value == 0.5 and at.number_input(key="spc_cusum_h").value == 5.0


def loaders_history_labels(at) -> list:
    """The months the studio charts (its stage picker lists all but the first)."""
    return [None, *next(m for m in at.multiselect if m.key.startswith("spc_stages_")).options]

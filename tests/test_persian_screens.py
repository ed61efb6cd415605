"""Persian finished on the KPI definitions, KPI detail and strategy map screens (AppTest, demo data).

Expected Persian texts are written here by hand (the catalog's entries for the demo's KPIs and
units), and digits are checked character by character.
"""

from __future__ import annotations

from tests.apptest import html_tables, ok, start, texts

REVENUE_DEFINITION_FA = "جمع درآمد سفارش‌های ماه، به هزار دلار."


def _ascii_digits(text: str) -> list[str]:
    return [ch for ch in text if ch.isascii() and ch.isdigit()]


def test_kpi_definitions_are_translated_with_units_and_owners(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/kpi_definitions.py", monkeypatch, language="fa")
    financial = html_tables(at)[0]
    revenue = financial[financial["شاخص"] == "درآمد"].iloc[0]
    assert revenue["تعریف"] == REVENUE_DEFINITION_FA
    assert revenue["واحد"] == "هزار دلار" and revenue["مسئول"] == "مدیر مالی"
    assert not _ascii_digits(revenue["وزن"])


def test_kpi_definitions_in_english_are_unchanged(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/kpi_definitions.py", monkeypatch)
    financial = html_tables(at)[0]
    revenue = financial[financial["KPI"] == "Revenue"].iloc[0]
    assert revenue["Definition"] == "Sum of order revenue in the month, in $ thousands." and revenue["Unit"] == "$k"


def test_kpi_detail_names_its_forecast_models_in_words_and_persian_digits(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch, language="fa")
    model = next(c.value for c in at.caption if c.value.startswith("مدل:"))
    assert "ETS(" not in model and "random walk" not in model
    assert any(word in model for word in ("هموارسازی نمایی", "گام تصادفی", "بازگشت به میانگین"))
    assert not _ascii_digits(model) and "%" not in model and "٪" in model
    horizon = at.select_slider(key="forecast_horizon")
    assert horizon.value == 3 and horizon.options[-1] == "۱۲"
    assert REVENUE_DEFINITION_FA in texts(at.markdown) or "درآمد" in texts(at.markdown)


def test_kpi_detail_in_english_names_no_model_codes(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch)
    model = next(c.value for c in at.caption if c.value.startswith("Model:"))
    assert "ETS(" not in model and "%" in model


def test_strategy_map_objectives_are_persian_after_a_language_switch(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, "screens/strategy_map.py", monkeypatch, language="fa")
    picker = at.selectbox(key="map_objective_fa")
    assert picker.format_func(picker.value) != picker.value  # the Persian name, not the stored English one
    assert any(h.value == f"شاخص‌های {picker.format_func(picker.value)}" or picker.format_func(picker.value) in h.value
               for h in at.subheader)
    ok(at)



def test_kpi_detail_lists_its_projects_in_words(sqlite_url, sqlite_engine, monkeypatch):
    """(AppTest cannot drive a picker whose options are translated, so this runs in English; the
    Persian table's Jalali dates were checked in Chromium.)"""
    from tests.apptest import kpi_id

    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch)
    at.selectbox(key="kpi_detail_kpi").set_value(kpi_id(sqlite_engine, "Tickets resolved within SLA"))
    ok(at.run())
    projects = next(table for table in html_tables(at) if "Planned end" in table.columns)
    assert list(projects.columns) == ["Project", "Kind", "Phase", "Status", "Belt", "Planned end", "Verified benefit a year"]
    assert "DMAIC" in projects["Kind"].tolist() and "Control" in projects["Phase"].tolist()
    assert all(len(end) == 10 and end[4] == "-" for end in projects["Planned end"])

"""Analyze displays on the workspace (#19): the graphical summary and normal probability plot of a column, the
multi-vari chart and a regression's diagnostics, from the KPIs' monthly actuals and from an upload, in English and
Persian. The statistics themselves are checked against published values in tests/test_graphical_summary.py; here
the expected numbers come from the raw data (the demo's measurements) or by hand.
"""

from __future__ import annotations

import json
import re
import statistics

import pytest
from sqlalchemy import text

import ui.core.i18n

from data.db import make_engine
from data.repository import measurements, scorecard_definition
from tests.apptest import ok, start, texts
from tests.test_projects_pages import WORKSPACE, _project_in_analyze

LATIN = re.compile(r"[A-Za-z]{3,}")
# y on x by hand: x̄ = 3.5, ȳ = 8, Sxx = 17.5, Sxy = 34.6, Syy = 68.52; R² = 34.6²/(17.5·68.52) = 0.998382,
# adjusted R² = 1 − (1 − R²)·5/4 = 0.99798; SSR = 34.6²/17.5 = 68.4091, SSE = 0.1109, F = 68.4091/(0.1109/4) = 2468.
CALLS = b"y,x,shift\n3.1,1,day\n4.9,2,night\n7.2,3,day\n8.8,4,night\n11.1,5,day\n12.9,6,night\n"


def _open(own_url, monkeypatch, language: str):
    engine = make_engine(own_url)
    pid = _project_in_analyze(engine)
    if language == "fa":  # AppTest formats options outside the app's session: t() must know the language there too
        monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    at = start(own_url, WORKSPACE, monkeypatch, language=language, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    return engine, pid, ok(at.run())


def _charts(at) -> set[str]:
    return {chart.proto.id for chart in at.get("plotly_chart")}


def _has_chart(at, key: str) -> bool:
    return any(key in chart_id for chart_id in _charts(at))


def _table_cells(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_graphical_summary_and_multi_vari_of_a_kpi_show_on_the_hypothesis_screen(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    kpi = at.selectbox(key=f"look_test_{pid}_summary_column").value
    assert _has_chart(at, f"look_test_{pid}_summary_chart") and _has_chart(at, f"look_test_{pid}_probability_chart")
    # The raw data: the KPI's Retail actuals in the measurements table, counted and averaged by plain Python.
    definition = scorecard_definition(engine)
    kpi_id = int(definition.loc[definition["kpi"] == kpi, "kpi_id"].iloc[0])
    rows = measurements(engine)
    actuals = rows[(rows["kpi_id"] == kpi_id) & (rows["segment"] == "Retail")]["actual"].dropna().tolist()
    shown = texts(at.info)
    cells = _table_cells(at)
    count = str(len(actuals))
    if language == "fa":
        persian = count.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert "اندرسون" in shown and persian in cells and "Anderson" not in shown, shown
        assert not LATIN.search(shown.replace("A²", "")), shown
    else:
        assert "Anderson-Darling A²" in shown and f"n = {count})" in shown and count in cells
        mean = statistics.fmean(actuals)
        assert f"{mean:,.1f}"[:-2] in cells                      # the mean's leading digits
    at.multiselect(key=f"look_test_{pid}_multi_vari_factors").set_value([at.multiselect(
        key=f"look_test_{pid}_multi_vari_factors").options[0]])
    ok(at.run())
    assert _has_chart(at, f"look_test_{pid}_multi_vari_chart")


@pytest.mark.parametrize("language", ["en", "fa"])
def test_an_uploads_summary_multi_vari_and_regression_diagnostics_show(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    at.file_uploader(key=f"reg_upload_{pid}").upload("calls.csv", CALLS, "text/csv")
    ok(at.run())
    at.selectbox(key=f"look_reg_{pid}_summary_column").set_value("y")
    ok(at.run())
    assert _has_chart(at, f"look_reg_{pid}_summary_chart") and _has_chart(at, f"look_reg_{pid}_probability_chart")
    cells = _table_cells(at)
    # y: mean 48/6 = 8, Σ(y − ȳ)² = 68.52, variance 68.52/5 = 13.704; median (7.2 + 8.8)/2 = 8.
    expected = ("8.000", "13.704") if language == "en" else ("۸٫۰۰۰", "۱۳٫۷۰۴")
    assert all(value in cells for value in expected), cells
    at.selectbox(key=f"look_reg_{pid}_multi_vari_response").set_value("y")
    at.multiselect(key=f"look_reg_{pid}_multi_vari_factors").set_value(["shift"])
    ok(at.run())
    assert _has_chart(at, f"look_reg_{pid}_multi_vari_chart")
    at.selectbox(key=f"reg_response_{pid}").set_value("y")
    at.multiselect(key=f"reg_drivers_{pid}").set_value(["x"])
    at.button(key=f"reg_run_{pid}").click()
    ok(at.run())
    shown = texts(at.markdown)
    if language == "en":
        assert "Adjusted R² = 0.998; overall F = 2,468" in shown, shown
    else:
        assert "R² تعدیل‌شده" in shown and "۰٫۹۹۸" in shown and "Adjusted" not in shown, shown
    assert any(key.endswith("_residual_chart") or "_residual_chart" in key for key in _charts(at))
    cells = _table_cells(at)
    assert ("1.00" if language == "en" else "۱٫۰۰") in cells           # VIF of a single driver: 1 by definition


def _pneumoconiosis_csv() -> bytes:
    # Montgomery, Peck & Vining, Introduction to Linear Regression Analysis, Example 13.1 (Table 13.1): coal miners
    # with severe pneumoconiosis / miners, by years of exposure; one row per miner (371 miners, 44 severe cases).
    groups = [(5.8, 0, 98), (15.0, 1, 54), (21.5, 3, 43), (27.5, 8, 48), (33.5, 9, 51), (39.5, 8, 38), (46.0, 10, 28),
              (51.5, 5, 11)]
    rows = [f"{years},{1 if i < cases else 0}" for years, cases, miners in groups for i in range(miners)]
    return ("years,severe\n" + "\n".join(rows) + "\n").encode()


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_binary_logistic_regression_of_an_upload_gives_mpvs_odds_ratio(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    at.file_uploader(key=f"reg_upload_{pid}").upload("miners.csv", _pneumoconiosis_csv(), "text/csv")
    ok(at.run())
    at.radio(key=f"reg_model_{pid}").set_value("logistic")
    at.selectbox(key=f"reg_response_{pid}").set_value("severe")
    at.multiselect(key=f"reg_drivers_{pid}").set_value(["years"])
    at.button(key=f"reg_run_{pid}").click()
    ok(at.run())
    # MPV Example 13.1: ŷ = 1/(1 + exp(4.7965 − 0.0935x)); the odds ratio per year of exposure 1.098.
    with engine.connect() as conn:
        payload = conn.execute(text("SELECT payload FROM artifact WHERE project_id = :pid AND type = 'regression'"),
                               {"pid": pid}).scalar_one()
    fit = (json.loads(payload) if isinstance(payload, str) else payload)["results"][-1]
    assert fit["model"] == "logistic" and fit["n"] == 371 and fit["events"] == 44
    odds = {term["term"]: term["odds_ratio"] for term in fit["terms"]}
    assert odds["years"] == pytest.approx(1.098, abs=5e-4)
    shown, cells = texts(at.info), _table_cells(at)
    if language == "en":
        assert "Each extra 1 of years multiplies the odds of severe by 1.1" in shown, shown
        assert "1.098" in cells and "371" in texts(at.caption), cells
    else:
        assert "برابر می‌کند" in shown and "multiplies" not in shown, shown
        assert "۱٫۰۹۸" in cells, cells

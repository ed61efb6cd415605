"""The hypothesis tool's Analyze tests on the workspace (#19): a correlation with its interval, Tukey's comparisons
after a one-way ANOVA and a two-way ANOVA with interaction, on an upload and on the KPIs' monthly actuals, in
English and Persian. Expected numbers: published examples (cited beside them) or the raw measurements with the
formula written out here.
"""

from __future__ import annotations

import math

import pytest
from sqlalchemy import text

import ui.core.i18n

from data.db import make_engine
from data.projects import project_detail
from tests.apptest import ok, start, texts
from tests.test_projects_pages import WORKSPACE, _project_in_analyze

# R ?cor.test (Hollander & Wolfe 1973, p. 187): r = 0.5711816, 95 % CI −0.1497426 to 0.8955795, p = 0.1082.
HOLLANDER_WOLFE = ("x,y\n44.4,2.6\n45.9,3.1\n41.9,2.5\n53.3,5.0\n44.7,3.6\n44.1,4.0\n50.7,5.2\n45.2,2.8\n"
                   "60.1,3.8\n").encode()
# Montgomery, DAE, Example 3.1 / 3.7: tensile strength of cotton blends by weight per cent of cotton.
COTTON = ("15 %,20 %,25 %,30 %,35 %\n7,12,14,19,7\n7,17,18,25,10\n15,12,18,22,11\n11,18,19,19,15\n"
          "9,18,19,23,11\n").encode()


def _battery() -> bytes:
    # Montgomery, DAE, Example 5.1 (Table 5.1): battery life by material type and temperature (°F).
    life = {1: [[130, 155, 74, 180], [34, 40, 80, 75], [20, 70, 82, 58]],
            2: [[150, 188, 159, 126], [136, 122, 106, 115], [25, 70, 58, 45]],
            3: [[138, 110, 168, 160], [174, 120, 150, 139], [96, 104, 82, 60]]}
    rows = [f"{material},{temperature},{value}" for material, cells in life.items()
            for temperature, values in zip((15, 70, 125), cells) for value in values]
    return ("material,temperature,life\n" + "\n".join(rows) + "\n").encode()


def _open(own_url, monkeypatch, language: str):
    engine = make_engine(own_url)
    pid = _project_in_analyze(engine)
    if language == "fa":  # AppTest formats options outside the app's session: t() must know the language there too
        monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    at = start(own_url, WORKSPACE, monkeypatch, language=language, user="reza")
    at.selectbox(key="workspace_project").set_value(pid)
    return engine, pid, ok(at.run())


def _run_and_save(at, pid: int):
    """Submit the test's form (its button's label is in the user's language)."""
    next(button for button in at.button if getattr(button, "form_id", None) == f"test_form_{pid}").click()
    return at.run()


def _kept(engine, pid: int) -> list[dict]:
    return project_detail(engine, pid)["artifacts"].get("analyze/hypothesis_test", {}).get("results", [])


def _cells(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


def _persian(value: str) -> str:
    return value.translate(str.maketrans("0123456789.,", "۰۱۲۳۴۵۶۷۸۹٫٬"))


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_correlation_of_an_uploaded_pair_gives_r_cor_tests_example(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    at.file_uploader(key=f"test_upload_{pid}").upload("pairs.csv", HOLLANDER_WOLFE, "text/csv")
    ok(at.run())
    at.selectbox(key=f"test_kind_{pid}").set_value("correlation")
    ok(at.run())
    at.selectbox(key=f"test_file_{pid}_a").set_value("x")
    at.selectbox(key=f"test_file_{pid}_b").set_value("y")
    ok(_run_and_save(at, pid))
    (result,) = _kept(engine, pid)
    assert result["statistic"] == pytest.approx(0.5711816, abs=5e-8)
    assert result["p_value"] == pytest.approx(0.1082, abs=5e-5)
    shown = texts(at.info)
    if language == "en":
        assert "move moderately together (r = 0.57, 95% CI -0.15 to 0.90)" in shown, shown
    else:
        assert "Y" in shown and "together" not in shown and "۰٫۵۷" in shown, shown


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_one_way_anova_keeps_tukeys_comparisons_as_montgomery_gives_them(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    at.file_uploader(key=f"test_upload_{pid}").upload("cotton.csv", COTTON, "text/csv")
    ok(at.run())
    at.selectbox(key=f"test_kind_{pid}").set_value("anova")
    ok(at.run())
    at.multiselect(key=f"test_file_{pid}_groups").set_value(["15 %", "20 %", "25 %", "30 %", "35 %"])
    ok(_run_and_save(at, pid))
    (result,) = _kept(engine, pid)
    # Montgomery, DAE, Example 3.1: F0 = 14.76, P < 0.01. Example 3.7: T0.05 = 5.37; pairs 15–35 %, 20–25 %,
    # 25–30 % and 20–35 % do not differ, the other six do; 15–30 %: 21.6 − 9.8 = 11.8.
    assert result["statistic"] == pytest.approx(14.76, abs=0.005)
    pairs = {(row["group_a"], row["group_b"]): row for row in result["comparisons"]}
    assert len(pairs) == 10 and pairs[("15 %", "30 %")]["difference"] == pytest.approx(11.8)
    assert {pair for pair, row in pairs.items() if row["p_value"] >= 0.05} == {
        ("15 %", "35 %"), ("20 %", "25 %"), ("25 %", "30 %"), ("20 %", "35 %")}
    assert all(row["ci_high"] - row["ci_low"] == pytest.approx(2 * 5.37, abs=0.02) for row in pairs.values())
    cells = _cells(at)
    assert ("11.8000" if language == "en" else _persian("11.8000")) in cells, cells


@pytest.mark.parametrize("language", ["en", "fa"])
def test_a_two_way_anova_of_an_upload_gives_montgomerys_battery_table(own_url, monkeypatch, language):
    engine, pid, at = _open(own_url, monkeypatch, language)
    at.file_uploader(key=f"test_upload_{pid}").upload("battery.csv", _battery(), "text/csv")
    ok(at.run())
    at.selectbox(key=f"test_kind_{pid}").set_value("two_way_anova")
    ok(at.run())
    at.selectbox(key=f"test_file_{pid}_response").set_value("life")
    at.selectbox(key=f"test_file_{pid}_factor_a").set_value("material")
    at.selectbox(key=f"test_file_{pid}_factor_b").set_value("temperature")
    ok(_run_and_save(at, pid))
    (result,) = _kept(engine, pid)
    # Montgomery, DAE, Table 5.5: F 7.91 (material), 28.97 (temperature), 3.56 (interaction, P = 0.0186).
    table = {row["source"]: row for row in result["table"]}
    assert [round(table[s]["f"], 2) for s in ("material", "temperature", "interaction")] == [7.91, 28.97, 3.56]
    assert table["interaction"]["p_value"] == pytest.approx(0.0186, abs=0.0005)
    assert result["p_value"] == min(table[s]["p_value"] for s in ("material", "temperature", "interaction"))
    shown = texts(at.info)
    if language == "en":
        assert ("Two-way ANOVA of life: material, temperature and the interaction of material and temperature are "
                "all unlikely to be chance (p below 0.05).") in shown, shown
    else:
        assert "ANOVA" not in shown.replace("ANOVA دوطرفه", "") and "material" in shown, shown
        assert _persian("28.9") in _cells(at), _cells(at)


def test_a_correlation_of_two_kpis_monthly_actuals_matches_the_raw_measurements(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch, "en")
    at.radio(key=f"test_source_{pid}").set_value("kpis")
    ok(at.run())
    at.selectbox(key=f"test_kind_{pid}").set_value("correlation")
    ok(at.run())
    x_name, y_name = "Revenue", "Retention rate"
    at.selectbox(key=f"test_file_{pid}_a").set_value(x_name)
    at.selectbox(key=f"test_file_{pid}_b").set_value(y_name)
    ok(_run_and_save(at, pid))
    (result,) = _kept(engine, pid)
    # The raw measurements of the project's segment, paired by month; Pearson's r written out.
    with engine.connect() as conn:
        segment = conn.execute(text("SELECT s.name FROM project p JOIN segment s ON s.id = p.segment_id "
                                    "WHERE p.id = :pid"), {"pid": pid}).scalar_one()
        rows = conn.execute(text(
            "SELECT a.actual, b.actual FROM measurement a JOIN measurement b ON a.period = b.period "
            "AND a.segment_id = b.segment_id JOIN kpi ka ON ka.id = a.kpi_id JOIN kpi kb ON kb.id = b.kpi_id "
            "JOIN segment s ON s.id = a.segment_id WHERE ka.name = :x AND kb.name = :y AND s.name = :segment "
            "AND a.actual IS NOT NULL AND b.actual IS NOT NULL"), {"x": x_name, "y": y_name, "segment": segment}).all()
    xs, ys = [float(r[0]) for r in rows], [float(r[1]) for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((a - mx) * (b - my) for a, b in zip(xs, ys))
    r = sxy / math.sqrt(sum((a - mx) ** 2 for a in xs) * sum((b - my) ** 2 for b in ys))
    assert len(rows) >= 12 and result["statistic"] == pytest.approx(r, abs=1e-9)


def test_a_two_way_anova_needs_a_table_and_typed_numbers_save_nothing(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch, "en")
    at.selectbox(key=f"test_kind_{pid}").set_value("two_way_anova")
    ok(at.run())
    assert "A two-way ANOVA needs a table" in texts(at.info), texts(at.info)
    assert not any(getattr(b, "form_id", None) == f"test_form_{pid}" for b in at.button) and not _kept(engine, pid)

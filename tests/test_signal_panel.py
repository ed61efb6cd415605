"""KPI detail's "Signal or noise" panel: the figure the verdict came from and the sentence that explains it."""

from __future__ import annotations

import numpy as np
import pytest

from data import repository
from scorecard.signal_chart import signal_figure
from scorecard.signals import recent_signal
from tests.apptest import kpi_id, ok, start, texts

RED = "#d93025"


def _line_with_step() -> tuple[list[str], list[float]]:
    """24 months of 10 + 0.5·t with small seeded noise (sd 0.3); the last month jumps by +5."""
    noise = np.random.default_rng(7).normal(0.0, 0.3, 24)
    values = [10 + 0.5 * t + float(e) for t, e in enumerate(noise)]
    values[-1] += 5.0
    labels = [f"{2024 + t // 12}-{t % 12 + 1:02d}" for t in range(24)]
    return labels, values


def _trace(figure, name: str):
    return [trace for trace in figure.data if trace.name == name]


def test_signal_figure_draws_the_band_and_flags_the_stepped_month():
    labels, values = _line_with_step()
    status = recent_signal(values)
    figure = signal_figure(labels, values, status)
    actual = _trace(figure, "Actual")[0]
    assert list(actual.y) == values and len(actual.x) == 24
    band = _trace(figure, "Predicted range")
    assert len(band) == 2 and band[1].fill == "tonexty"
    upper, lower = np.asarray(band[0].y, dtype=float), np.asarray(band[1].y, dtype=float)
    assert [str(x)[:7] for x in band[0].x] == labels[-3:]
    # The line's own continuation (10 + 0.5·t, by hand) lies inside the band; the stepped month (≈ +5) above it.
    line = np.array([10 + 0.5 * t for t in (21, 22, 23)])
    assert np.all(lower < line) and np.all(line < upper)
    assert values[-1] > upper[-1]
    recent = _trace(figure, "Recent months")[0]
    assert list(recent.y) == values[-3:]
    assert recent.marker.color[-1] == RED and RED not in recent.marker.color[:-1]
    fitted = _trace(figure, "Pattern fitted")[0]
    assert len(fitted.x) == 21  # the history before the last three months
    assert str(figure.layout.shapes[0].x0)[:7] == labels[0]


def test_signal_figure_marks_where_the_history_used_starts_and_translates_its_labels():
    labels, values = _line_with_step()
    status = recent_signal(values, stages=[6])
    figure = signal_figure(labels, values, status, tr=lambda text: f"«{text}»")
    assert str(figure.layout.shapes[0].x0)[:7] == labels[6]
    assert len(_trace(figure, "«Pattern fitted»")[0].x) == 24 - 6 - 3
    assert {trace.name for trace in figure.data} == {"«Actual»", "«Pattern fitted»", "«Predicted range»",
                                                    "«Predicted»", "«Recent months»"}
    assert figure.layout.annotations[0].text == "«History used»"


def test_signal_figure_of_a_short_history_shows_only_the_months():
    labels, values = _line_with_step()
    status = recent_signal(values[:6])
    figure = signal_figure(labels[:6], values[:6], status)
    assert status.verdict == "short"
    assert [trace.name for trace in figure.data] == ["Actual"] and not figure.layout.shapes


def _demo_status(engine, name: str):
    """The verdict of a demo KPI's monthly actuals (segment All), from the raw measurement rows."""
    frame = repository.measurements(engine)
    mine = frame[(frame["kpi_id"] == kpi_id(engine, name)) & (frame["segment"] == "All")].dropna(subset=["actual"])
    mine = mine.sort_values("period")
    return mine["period"].astype(str).str[:7].tolist(), recent_signal(mine["actual"].to_numpy(dtype=float))


def test_kpi_detail_says_in_words_which_month_is_a_signal(sqlite_url, sqlite_engine, monkeypatch):
    periods, status = _demo_status(sqlite_engine, "Campaign ROI")
    assert status.verdict == "signal" and "outside_band" in status.rules and status.sigmas > 0
    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch)
    at.selectbox(key="kpi_detail_kpi").set_value(kpi_id(sqlite_engine, "Campaign ROI"))
    ok(at.run())
    assert "Signal or noise" in texts(at.subheader) and "Control chart" not in texts(at.subheader)
    model = {("level", "previous month"): "level and previous month",
             ("level", "trend", "previous month"): "level, trend and previous month"}[status.model]
    sentence = f"Signal: {periods[status.month]} is {abs(status.sigmas):.1f}σ above what its {model} predict."
    assert sentence in texts(at.warning)
    assert "SPC studio" in texts(at.caption)
    assert any(chart.proto.id and "kpi_signal_chart" in chart.proto.id for chart in at.get("plotly_chart"))


def test_kpi_detail_says_noise_when_the_last_months_fit_the_pattern(sqlite_url, sqlite_engine, monkeypatch):
    _, status = _demo_status(sqlite_engine, "Revenue")
    assert status.verdict == "noise"
    at = start(sqlite_url, "screens/kpi_detail.py", monkeypatch)
    at.selectbox(key="kpi_detail_kpi").set_value(kpi_id(sqlite_engine, "Revenue"))
    ok(at.run())
    assert "Noise: the last 3 months are within what its own pattern predicts." in texts(at.info)
    assert not at.warning


def test_the_meeting_table_carries_the_signals_size_for_its_sentence():
    import numpy as np
    import pandas as pd

    from scorecard.meeting import meeting_table

    months = pd.period_range("2024-01", periods=30, freq="M").strftime("%Y-%m")
    values = np.r_[np.random.default_rng(3).normal(50, 1, 29), 80.0]  # the last month 30σ above a flat history
    measurements = pd.DataFrame({"kpi_id": 1, "segment": "All", "period": months, "actual": values})
    report = pd.DataFrame({"level": ["kpi"], "kpi_id": [1]})
    row = meeting_table(report, measurements, "All", months[-1]).iloc[0]
    assert row["signal"] == "signal" and row["signal_sigmas"] > 10
    staged = meeting_table(report, measurements, "All", months[-1], stages={1: [months[-6]]}).iloc[0]
    assert staged["signal"] == "short"  # a stage that began 6 months ago leaves too little history to judge


def test_a_belt_marks_a_new_stage_and_the_verdict_judges_from_there(own_url, monkeypatch):
    from data.db import make_engine
    from data.projects import stage_starts
    from tests.apptest import kpi_id, start

    engine = make_engine(own_url)
    campaign_roi = kpi_id(engine, "Campaign ROI")
    at = start(own_url, "screens/kpi_detail.py", monkeypatch, user="reza")  # a black belt
    at.selectbox(key="kpi_detail_kpi").set_value(campaign_roi)
    ok(at.run())
    assert any("Signal:" in w.value for w in at.warning)  # the demo's Campaign ROI signals (see above)
    at.selectbox(key=f"stage_month_{campaign_roi}").set_value("2026-05")
    at.text_input(key=f"stage_reason_{campaign_roi}").input("New attribution model for campaign revenue")
    at.button(key=f"FormSubmitter:stage_{campaign_roi}-Start a new stage").click()
    ok(at.run())
    assert stage_starts(engine)[campaign_roi] == ["2026-05"]
    # Judged since May 2026: 2 months of history before the last three, too little to judge.
    assert "Too little history" in texts(at.info)
    viewer = start(own_url, "screens/kpi_detail.py", monkeypatch, user="guest")
    assert not [e for e in viewer.expander if "process change" in e.label]
    engine.dispose()


def test_a_stage_needs_a_plausible_month_and_a_reason(own_url):
    from data.db import make_engine
    from data.projects import add_stage

    engine = make_engine(own_url)
    with pytest.raises(ValueError, match="not a month between 1990-01 and 2100-12"):
        add_stage(engine, "reza", 1, "0000-01", "x")
    with pytest.raises(ValueError, match="Say what changed"):
        add_stage(engine, "reza", 1, "2026-05", "  ")
    engine.dispose()

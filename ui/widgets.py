"""Shared widgets: segment and period pickers, the scorecard table."""

from __future__ import annotations

from datetime import date

import jdatetime
import pandas as pd
import streamlit as st

from scorecard.charts import strategy_map_figure
from scorecard.periods import JALALI_MONTHS_FA, period_options
from ui import loaders, tables
from ui.format import STATUS_TONE, number, owner_name, period_label, score, signal_label, signed
from ui.tables import Cell
from ui.i18n import digits, is_rtl, localized, report_name, t

PICKER_WIDTH = 220  # px: pickers sit side by side in a row that wraps on a narrow screen
GRAINS = {"month": "Month", "quarter": "Quarter", "year": "Year"}


def per_language(key: str) -> str:
    """A widget key per language: the browser keeps a selectbox's shown label when only its format_func changes."""
    return f"{key}_fa" if is_rtl() else key


def segment_picker(key: str, container=st) -> str:
    """Pick a customer segment (All first); the seed asks for a scorecard per segment."""
    names = loaders.segments()["name"].tolist()
    return container.selectbox(t("Customer segment"), names, format_func=t, key=per_language(key), width=PICKER_WIDTH)


def period_picker(key: str, container=st) -> str:
    """Pick a grain (month, quarter, year) and one period of it, newest first (Jalali in Persian)."""
    months = sorted(loaders.measurements()["period"].unique())
    row = container.container(horizontal=True, vertical_alignment="bottom", width="content")
    grain = row.segmented_control(t("Period"), list(GRAINS), default="month", format_func=lambda g: t(GRAINS[g]),
                                           key=f"{key}_grain") or "month"
    calendar = "jalali" if is_rtl() else "gregorian"
    options = period_options(months, grain, calendar)[::-1]
    return row.selectbox(t("Reporting period"), options, format_func=period_label, key=f"{key}_{calendar}_{grain}",
                         width=PICKER_WIDTH)


def _jalali_day(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Jalali day (a day past the month's end becomes its last day)."""
    while True:
        try:
            return jdatetime.date(year, month, day).togregorian()
        except ValueError:
            day -= 1


def date_picker(label: str, value: date | None, key: str, container=st) -> date | None:
    """A date; in Persian picked as a Jalali day, month and year (Streamlit's calendar is Gregorian only)."""
    if not is_rtl():
        return container.date_input(label, value, key=key)
    today = jdatetime.date.fromgregorian(date=value or date.today())
    years = [None, *range(today.year - 2, today.year + 4)] if value is None else list(range(today.year - 2, today.year + 4))
    box = container.container(horizontal=True, vertical_alignment="bottom")
    day = box.selectbox(label, range(1, 32), index=today.day - 1, format_func=lambda d: digits(str(d)), key=f"{key}_jd")
    month = box.selectbox(t("Month"), range(1, 13), index=today.month - 1, format_func=lambda m: JALALI_MONTHS_FA[m - 1],
                          key=f"{key}_jm")
    year = box.selectbox(t("Year"), years, index=years.index(None if value is None else today.year),
                         format_func=lambda y: "—" if y is None else digits(str(y)), key=f"{key}_jy")
    return None if year is None else _jalali_day(year, month, day)


def kpi_picker(key: str, container=st) -> pd.Series:
    """Pick a KPI (grouped by perspective in the label); returns its definition row."""
    definition = loaders.definition()
    labels = {int(row["kpi_id"]): f"{localized(row, 'perspective')} › {localized(row, 'kpi')}"
              for _, row in definition.iterrows()}
    chosen = container.selectbox(t("KPI"), list(labels), format_func=labels.get, key=per_language(key))
    return definition[definition["kpi_id"] == chosen].iloc[0]


def objective_statuses(report: pd.DataFrame) -> pd.DataFrame:
    """Objectives with status and score for the strategy map (id, name, perspective, status, score)."""
    objectives = loaders.objectives()
    scored = report[report["level"] == "objective"].set_index("name")
    return pd.DataFrame({
        "id": objectives["id"], "name": [localized(row) for _, row in objectives.iterrows()],
        "perspective": objectives["perspective"],
        "status": objectives["name"].map(scored["status"]).fillna("none"),
        "score": objectives["name"].map(scored["score"]),
    })


def strategy_map(report: pd.DataFrame, supported: pd.Series | None = None):
    """The strategy map figure coloured by the report's objective statuses."""
    links = loaders.links().copy()
    if supported is not None:
        links["supported"] = links["id"].map(supported)
    perspectives = loaders.perspectives()
    names = {row["name"]: localized(row) for _, row in perspectives.iterrows()}
    return strategy_map_figure(objective_statuses(report), links, perspectives["name"].tolist(),
                               tr=lambda text: names.get(text) or t(text))


def _numbers(table: pd.DataFrame, column: str) -> list[Cell]:
    """A numeric column as right-aligned text with each row's unit ("" on roll-up rows)."""
    units = table["unit"].fillna("") if "unit" in table else pd.Series("", index=table.index)
    show = signed if column == "variance" else number
    return [Cell(show(v, u) if pd.notna(v) else "", css="num") for v, u in zip(table[column], units)]


def _core_cells(table: pd.DataFrame) -> list[list[Cell]]:
    """Status, item (indented by level, full name on hover), actual and target: every scorecard table's first columns."""
    return [list(cells) for cells in zip(
        [tables.status_cell(s, t(s)) for s in table["status"]],
        [tables.abbreviated(report_name(row)) for _, row in table.iterrows()],
        _numbers(table, "actual"), _numbers(table, "target"))]


CORE_HEADER = ("Status", "Scorecard item", "Actual", "Target")


def _html(header: list[str], rows: list[list[Cell]], table: pd.DataFrame, numeric: list[int]) -> str:
    return tables.fitting_table([t(h) for h in header], rows, numeric=numeric,
                                row_classes=[f"level-{lv}" for lv in table["level"]],
                                groups=table["perspective"].fillna("").tolist() if "perspective" in table else None)


def report_table_html(report: pd.DataFrame) -> str:
    """The scored hierarchy as one table: status, actual, target, score."""
    scores = [tables.bar(v, score(v)) for v in report["score"]]
    return _html([*CORE_HEADER, "Score"], [row + [s] for row, s in zip(_core_cells(report), scores)], report, [2, 3, 4])


def report_table(report: pd.DataFrame) -> None:
    """Put :func:`report_table_html` on the page."""
    st.html(report_table_html(report))


def _score_card(column, label: str, row: pd.Series) -> None:
    column.metric(label, score(row["score"]), t(row["status"]), delta_color=STATUS_TONE[row["status"]],
                  delta_arrow="off", border=True)


def score_strip(table: pd.DataFrame) -> None:
    """Overall and per-perspective scores as a row of metric cards."""
    overall = table[table["level"] == "overall"].iloc[0]
    perspectives = table[table["level"] == "perspective"]
    columns = st.columns(len(perspectives) + 1)
    _score_card(columns[0], t("Overall score"), overall)
    for column, (_, row) in zip(columns[1:], perspectives.iterrows()):
        _score_card(column, report_name(row), row)


def scorecard_table_html(table: pd.DataFrame, projects: pd.Series | str = "") -> str:
    """Perspectives → objectives → KPIs: status, actual, target, variance, score, trend, signal, projects, owner."""
    badges = projects if isinstance(projects, pd.Series) else pd.Series(projects, index=table.index)
    owners = table["owner"].fillna("") if "owner" in table else pd.Series("", index=table.index)
    extra = zip(_numbers(table, "variance"), [tables.bar(v, score(v)) for v in table["score"]],
                [tables.sparkline(v) for v in table["trend"]], table["signal"].map(signal_label),
                badges.fillna("").astype(str), owners.map(owner_name))
    rows = [core + [variance, bar, trend, Cell(signal), Cell(badge, css="num"), tables.abbreviated(owner, 24, css="owner")]
            for core, (variance, bar, trend, signal, badge, owner) in zip(_core_cells(table), extra)]
    return _html([*CORE_HEADER, "Variance", "Score", "Trend (12 months)", "Signal or noise", "Six Sigma", "Owner"],
                 rows, table, [2, 3, 4, 5])


def objective_from_selection(event, key: str) -> str:
    """The objective clicked on the strategy map, or picked in the box below it."""
    objectives = loaders.objectives()
    names = objectives["name"].tolist()
    points = (event or {}).get("selection", {}).get("points", []) if hasattr(event, "get") else []
    ids = [p.get("customdata") for p in points if p.get("customdata") is not None]
    if ids:
        clicked = ids[0][0] if isinstance(ids[0], list) else ids[0]
        match = objectives.loc[objectives["id"] == clicked, "name"]
        if len(match):
            st.session_state[key] = match.iloc[0]
    return st.selectbox(t("Objective"), names, key=key)


VERDICTS = {"supported": "✔ supported", "inconclusive": "✘ not supported by the data (inconclusive)",
            "opposite": "✘ the data show the opposite effect", "not_enough_data": "not enough data to test"}


EVIDENCE_HEADER = ("Cause", "Effect", "Verdict", "Lag (months)", "Correlation", "Slope", "95% confidence interval",
                   "p-value", "Months")


def _evidence_row(row: pd.Series, names: dict[str, str]) -> list[Cell]:
    interval = f"{number(row['ci_low'], decimals=2)} … {number(row['ci_high'], decimals=2)}"
    numbers = [number(row["lag"], decimals=0), number(row["correlation"], decimals=2), number(row["slope"], decimals=2),
               interval, number(row["p_value"], decimals=3), number(row["n"], decimals=0)]
    return [Cell(names.get(row["cause"], row["cause"])), Cell(names.get(row["effect"], row["effect"])),
            Cell(t(VERDICTS.get(row["verdict"], row["verdict"]))),
            *(Cell(n, css="num") for n in numbers)]


def evidence_table(evidence: pd.DataFrame) -> None:
    """The link evidence with a plain verdict per link."""
    if evidence.empty:
        st.info(t("No links to test yet: add them on the Data page."))
        return
    names = {row["name"]: localized(row) for _, row in loaders.objectives().iterrows()}
    tables.show([t(h) for h in EVIDENCE_HEADER], [_evidence_row(row, names) for _, row in evidence.iterrows()],
                numeric=range(3, len(EVIDENCE_HEADER)))

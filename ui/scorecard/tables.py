"""The scorecard as fitted HTML tables (report and meeting table) and the row of score cards."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.components import tables
from ui.components.tables import Cell
from ui.core import loaders
from ui.core.format import STATUS_TONE, number, owner_name, score, signal_label, signed
from ui.core.i18n import report_name, t
from ui.scorecard import explanations


def _numbers(table: pd.DataFrame, column: str) -> list[Cell]:
    """A numeric column as right-aligned text with each row's unit ("" on roll-up rows)."""
    units = table["unit"].fillna("") if "unit" in table else pd.Series("", index=table.index)
    show = signed if column == "variance" else number
    return [Cell(show(v, u) if pd.notna(v) else "", css="num") for v, u in zip(table[column], units)]


def _core_cells(table: pd.DataFrame) -> list[list[Cell]]:
    """Status (its bands on hover), item (indented by level, full name on hover), actual and target:
    every scorecard table's first columns."""
    return [list(cells) for cells in zip(
        [tables.status_cell(row["status"], t(row["status"]), explanations.status_title(row)) for _, row in table.iterrows()],
        [tables.abbreviated(report_name(row)) for _, row in table.iterrows()],
        _numbers(table, "actual"), _numbers(table, "target"))]


CORE_HEADER = ("Status", "Scorecard item", "Actual", "Target")


def _html(header: list[str], rows: list[list[Cell]], table: pd.DataFrame, numeric: list[int]) -> str:
    return tables.fitting_table([t(h) for h in header], rows, numeric=numeric,
                                row_classes=[f"level-{lv}" for lv in table["level"]],
                                groups=table["perspective"].fillna("").tolist() if "perspective" in table else None)


def _scores(table: pd.DataFrame) -> list[Cell]:
    """Score bars, each with its scoring method on hover."""
    config = loaders.scoring_config()
    return [tables.bar(row["score"], score(row["score"]), explanations.score_title(row, config))
            for _, row in table.iterrows()]


def zero_score_notes(table: pd.DataFrame) -> None:
    """Under a table: why each KPI scoring 0 does."""
    notes = explanations.zero_score_notes(table, loaders.scoring_config())
    if notes:
        st.caption(" · ".join(notes))


def report_table_html(report: pd.DataFrame) -> str:
    """The scored hierarchy as one table: status, actual, target, score."""
    scores = _scores(report)
    return _html([*CORE_HEADER, "Score"], [row + [s] for row, s in zip(_core_cells(report), scores)], report, [2, 3, 4])


def report_table(report: pd.DataFrame) -> None:
    """Put :func:`report_table_html` on the page."""
    st.html(report_table_html(report))


CARD_WIDTH = 168  # px: wide enough for "Operational – marketing" on two lines without breaking a word


def _score_card(strip, label: str, row: pd.Series) -> None:
    strip.metric(label, score(row["score"]), t(row["status"]), delta_color=STATUS_TONE[row["status"]],
                 delta_arrow="off", border=True, width=CARD_WIDTH)


def score_strip(table: pd.DataFrame) -> None:
    """Overall and per-perspective scores as a row of fixed-width cards that wraps between cards, never inside a word."""
    overall = table[table["level"] == "overall"].iloc[0]
    perspectives = table[table["level"] == "perspective"]
    strip = st.container(horizontal=True, gap="small")
    _score_card(strip, t("Overall score"), overall)
    for _, row in perspectives.iterrows():
        _score_card(strip, report_name(row), row)


def scorecard_table_html(table: pd.DataFrame, projects: pd.Series | str = "") -> str:
    """Perspectives → objectives → KPIs: status, actual, target, variance, score, trend, signal, projects, owner."""
    badges = projects if isinstance(projects, pd.Series) else pd.Series(projects, index=table.index)
    owners = table["owner"].fillna("") if "owner" in table else pd.Series("", index=table.index)
    extra = zip(_numbers(table, "variance"), _scores(table),
                [tables.sparkline(v) for v in table["trend"]], table["signal"].map(signal_label),
                badges.fillna("").astype(str), owners.map(owner_name))
    rows = [core + [variance, bar, trend, Cell(signal), Cell(badge, css="num"), tables.abbreviated(owner, 24, css="owner")]
            for core, (variance, bar, trend, signal, badge, owner) in zip(_core_cells(table), extra)]
    return _html([*CORE_HEADER, "Variance", "Score", "Trend (12 months)", "Signal or noise", "Six Sigma", "Owner"],
                 rows, table, [2, 3, 4, 5])

"""Meeting mode: one perspective at a time in large type, with the period's comments beside it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.core import loaders
from ui.core.format import STATUS_TONE, badge, number, plain, score, signal_label, user_names
from ui.core.i18n import digits, localized, report_name, separator, t

BIG_TYPE = """<style>
 [data-testid="stMetricValue"] { font-size: clamp(1.6rem, 2.2vw, 2.6rem); }
 [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { white-space: normal !important; overflow: visible !important;
     text-overflow: clip !important; overflow-wrap: normal !important; word-break: normal !important; }
 [data-testid="stMetricLabel"] p { font-size: 1.15rem; }
</style>"""


def _step(count: int, delta: int) -> None:
    st.session_state["meeting_index"] = (st.session_state.get("meeting_index", 0) + delta) % count


def _navigation(perspectives: pd.DataFrame) -> pd.Series:
    count = len(perspectives)
    index = st.session_state.get("meeting_index", 0) % count
    previous, title, following = st.columns([1, 6, 1], vertical_alignment="center")
    previous.button("◀ " + t("Previous"), on_click=_step, args=(count, -1), key="meeting_previous", width="stretch")
    following.button(t("Next") + " ▶", on_click=_step, args=(count, 1), key="meeting_next", width="stretch")
    current = perspectives.iloc[index]
    title.markdown(f"## {plain(report_name(current))}{separator()}{badge(current['status'])}{separator()}{t('score')} {score(current['score'])}"
                   f"  \n{t('Perspective {i} of {n}', i=digits(str(index + 1)), n=digits(str(count)))}")
    return current


def _kpi_cards(kpis: pd.DataFrame) -> None:
    for start in range(0, len(kpis), 3):
        for column, (_, row) in zip(st.columns(3), kpis.iloc[start:start + 3].iterrows()):
            delta = f"{t(row['status'])}{separator()}{t('target')} {number(row['target'], row['unit'])}"
            if signal_label(row["signal"]):
                delta += f"{separator()}{signal_label(row['signal'])}"
            column.metric(report_name(row), number(row["actual"], row["unit"]), delta,
                          delta_color=STATUS_TONE[row["status"]], delta_arrow="off",
                          chart_data=row["trend"] if isinstance(row["trend"], list) else None,
                          chart_type="line", border=True)


def _comments(kpis: pd.DataFrame, period: str) -> None:
    st.subheader(t("Comments"))
    comments = loaders.comments(period=period)
    comments = comments[comments["kpi_id"].isin(kpis["kpi_id"])]
    if comments.empty:
        st.caption(t("No comments for this period yet. Add them on the KPI page."))
    names = {row["kpi_id"]: report_name(row) for _, row in kpis.iterrows()}
    for _, row in comments.iterrows():
        st.markdown(f"**{plain(names.get(row['kpi_id'], ''))}** — {plain(row['text'])}  \n"
                    f"*{plain(user_names().get(row['author'], row['author']))}*")


def perspective_view(table: pd.DataFrame, period: str) -> None:
    """Next/previous through the perspectives; KPI cards on the left, comments on the right."""
    st.markdown(BIG_TYPE, unsafe_allow_html=True)
    perspectives = table[table["level"] == "perspective"]
    if perspectives.empty:
        st.info(t("The scorecard has no perspectives yet."))
        return
    current = _navigation(perspectives)
    kpis = table[(table["level"] == "kpi") & (table["perspective"] == current["name"])]
    main, side = st.columns([3, 1])
    with main:
        for _, rows in kpis.groupby("objective", sort=False):
            st.markdown(f"### {localized(rows.iloc[0], 'objective')}")
            _kpi_cards(rows)
    with side:
        _comments(kpis, period)

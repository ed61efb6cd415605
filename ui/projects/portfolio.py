"""The project portfolio: filters, the table with overruns flagged, a timeline, benefits by perspective,
and a form to start a project."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from data.roles import allows
from data.projects import create_project
from sixsigma import roadmap, timeline_figure
from ui.components import charts, pickers
from ui.core import loaders
from ui.core.auth import current_user
from ui.core.format import user_names
from ui.core.i18n import localized, t
from ui.core.writing import write
from ui.projects import loaders as project_loaders

OPEN_KEY = "workspace_project"


def filtered() -> pd.DataFrame:
    """The portfolio narrowed by kind, status, belt and perspective."""
    projects = project_loaders.portfolio().copy()
    projects["overrun"] = [roadmap.is_overrun(end, date.today(), status)
                           for end, status in zip(projects["planned_end"], projects["status"])]
    columns, names, choose = st.columns(4), user_names(), t("Choose")
    choices = {
        "kind": columns[0].multiselect(t("Kind"), sorted(projects["kind"].unique()), format_func=str.upper,
                                       key="portfolio_kind", placeholder=choose),
        "status": columns[1].multiselect(t("Status"), sorted(projects["status"].unique()), format_func=t,
                                         key="portfolio_status", placeholder=choose),
        "belt": columns[2].multiselect(t("Belt"), sorted(projects["belt"].unique()), key="portfolio_belt",
                                       format_func=lambda u: names.get(u, u), placeholder=choose),
        "perspective": columns[3].multiselect(t("Perspective"), sorted(projects["perspective"].dropna().unique()),
                                              key="portfolio_perspective", format_func=_perspective_name,
                                              placeholder=choose),
    }
    for column, chosen in choices.items():
        if chosen:
            projects = projects[projects[column].isin(chosen)]
    return projects


def _perspective_name(name: str) -> str:
    perspectives = loaders.perspectives()
    match = perspectives[perspectives["name"] == name]
    return localized(match.iloc[0]) if len(match) else name


def table(projects: pd.DataFrame) -> None:
    """One row per project; overruns flagged."""
    names = user_names()
    shown = pd.DataFrame({
        t("Project"): projects["title"], t("Kind"): projects["kind"].str.upper(),
        t("Phase"): [t(p.capitalize()) for p in projects["phase"]], t("Status"): projects["status"].map(t),
        t("KPI"): [localized(row, "kpi") if isinstance(row["kpi"], str) else "—" for _, row in projects.iterrows()], t("Objective"): projects["objective"].fillna("—"),
        t("Belt"): projects["belt"].map(lambda u: names.get(u, u)),
        t("Champion"): projects["champion"].map(lambda u: names.get(u, u)), t("Start"): projects["start"],
        t("Planned end"): projects["planned_end"], t("Overrun"): projects["overrun"],
        t("Last tollgate"): projects["last_decision"].fillna("—").map(t),
        t("Expected $k"): projects["expected_benefit"], t("Verified $k"): projects["verified_benefit"],
    })
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        t("Overrun"): st.column_config.CheckboxColumn(t("Overrun")),
        t("Expected $k"): st.column_config.NumberColumn(format="%.0f"),
        t("Verified $k"): st.column_config.NumberColumn(format="%.0f")})


def timeline(projects: pd.DataFrame) -> None:
    if len(projects):
        charts.show(timeline_figure(projects, date.today(), tr=t), width="stretch", key="portfolio_timeline")


def benefits(projects: pd.DataFrame) -> None:
    """Expected and verified benefits rolled up by perspective."""
    rolled = (projects.assign(perspective=projects["perspective"].map(_perspective_name, na_action="ignore")
                              .fillna(t("(none)")))
              .groupby("perspective", as_index=False)[["expected_benefit", "verified_benefit"]].sum(min_count=1))
    st.dataframe(rolled, hide_index=True, width="stretch", column_config={
        "perspective": t("Perspective"), "expected_benefit": st.column_config.NumberColumn(t("Expected $k"), format="%.0f"),
        "verified_benefit": st.column_config.NumberColumn(t("Verified $k"), format="%.0f")})


def open_button(projects: pd.DataFrame) -> None:
    """Open one project in its workspace."""
    if projects.empty:
        return
    labels = dict(zip(projects["id"].astype(int), projects["title"]))
    chosen = st.selectbox(t("Open a project"), list(labels), format_func=labels.get, key="portfolio_open")
    if st.button(t("Open workspace"), icon=":material/open_in_new:", key="portfolio_open_button"):
        st.session_state[OPEN_KEY] = chosen
        st.switch_page("screens/project.py")


def champions() -> list[str]:
    """Users whose role may decide tollgates (a project's champion must)."""
    users = loaders.users()
    return [user for user, role in zip(users["username"], users["role"]) if allows(role, "tollgates.decide")]


def new_project_form() -> None:
    """Start a DMAIC or DFSS project on a scorecard KPI, then open its workspace."""
    definition = loaders.definition()
    kpis = {int(r["kpi_id"]): f"{localized(r, 'objective')} › {localized(r, 'kpi')}" for _, r in definition.iterrows()}
    names = user_names()
    with st.form("new_project", enter_to_submit=False, clear_on_submit=True):
        title = st.text_input(t("Title"), key="new_project_title")
        left, right = st.columns(2)
        kind = left.radio(t("Kind"), roadmap.KINDS, format_func=lambda k: {"dmaic": "DMAIC", "dfss": "DFSS (DMADV)"}[k],
                          horizontal=True, key="new_project_kind")
        kpi = right.selectbox(t("KPI"), list(kpis), format_func=kpis.get, key="new_project_kpi")
        segment = left.selectbox(t("Customer segment"), loaders.segments()["name"].tolist(), format_func=t,
                                 key="new_project_segment")
        champion = right.selectbox(t("Champion"), [user for user in champions() if user in names],
                                   format_func=names.get, key="new_project_champion", help=t("Only people whose role may decide tollgates can champion a project."))
        start = pickers.date_picker(t("Start"), date.today(), key="new_project_start", container=left)
        end = pickers.date_picker(t("Planned end"), date.today() + timedelta(days=182), key="new_project_end",
                                 container=right)
        expected = left.number_input(t("Expected benefit ($ thousands a year)"), min_value=0.0, step=10.0,
                                     key="new_project_benefit")
        submitted = st.form_submit_button(t("Start project"), type="primary")
    if submitted:
        if write(create_project, kind=kind, title=title, kpi_id=kpi, segment=segment, champion=champion,
                 belt=current_user(), start=start, planned_end=end, expected_benefit=expected):
            started = project_loaders.portfolio()
            st.session_state[OPEN_KEY] = int(started.loc[started["title"] == title.strip(), "id"].max())
            st.switch_page("screens/project.py")

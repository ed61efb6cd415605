"""Signal → project: a KPI with a special-cause signal or a red status offers "Start a DMAIC project",
which creates a charter pre-filled with the KPI, its baseline, capability, the signal and its objective."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.projects import project_from_signal
from ui.core import loaders
from ui.core.auth import may_here
from ui.core.format import number, plain
from ui.core.i18n import localized, t
from ui.core.writing import write
from ui.projects import baseline as in_words
from ui.projects import loaders as project_loaders
from ui.projects.portfolio import OPEN_KEY


def signal_words(row) -> str:
    """Why a KPI's recent months are a signal, in words (from the meeting table's signal columns)."""
    sigmas = row.get("signal_sigmas")
    if "outside_band" in str(row.get("signal_rules", "")) and pd.notna(sigmas):
        return t("One of its last three months lies {sigmas}σ {side} what its own level, trend, season and "
                 "previous months predict.", sigmas=number(abs(float(sigmas)), decimals=1),
                 side=t("above") if float(sigmas) > 0 else t("below"))
    return t("Its last three months together have moved away from what its own pattern predicts.")


def reason(kpi_id: int, segment: str, period: str) -> str | None:
    """Why this KPI deserves a project in this segment and period (None when it does not)."""
    row = loaders.meeting_table(period, segment)
    row = row[(row["level"] == "kpi") & (row["kpi_id"] == kpi_id)]
    if row.empty:
        return None
    row = row.iloc[0]
    if row.get("signal") == "signal":
        return signal_words(row)
    if row["status"] == "red":
        return t("It is red this period.")
    return None


def _champion() -> str:
    users = loaders.users()
    champions = users.loc[users["role"] == "champion", "username"]
    return champions.iloc[0] if len(champions) else users["username"].iloc[0]


def offer(kpi_id: int, segment: str, period: str, key: str) -> None:
    """The "Start a DMAIC project" button for a KPI that needs one; opens the new project's workspace."""
    why = reason(kpi_id, segment, period)
    if why is None:
        return
    st.info(t("This KPI may need a Six Sigma project: {why}", why=why), icon=":material/lightbulb:")
    if not may_here("projects.start") or not st.button(t("Start a DMAIC project"), key=key,
                                                       icon=":material/rocket_launch:"):
        return
    kpi = loaders.definition().set_index("kpi_id").loc[kpi_id]
    baseline = project_loaders.kpi_baseline(kpi_id, segment) or {}
    name = localized(kpi, "kpi")
    statements = ({"problem": in_words.problem_statement(name, segment, baseline, kpi["unit"]),
                   "goal": in_words.goal_statement(name, baseline, kpi["unit"])} if baseline else {})
    if write(project_from_signal, kpi_id=kpi_id, kpi_name=name, segment=segment, champion=_champion(),
             title=t("Improve {kpi} ({segment})", kpi=name, segment=t(segment)), scope_in=t(segment),
             baseline={**baseline, "objective": kpi["objective"], "why": why}, **statements):
        mine = project_loaders.portfolio()
        mine = mine[(mine["kpi_id"] == kpi_id) & (mine["segment"] == segment)]
        st.session_state[OPEN_KEY] = int(mine["id"].max())
        st.switch_page("screens/project.py")


def badges(table: pd.DataFrame, segment: str) -> pd.Series:
    """Per scorecard row, the number of active projects on its KPI in the segment ("" when none)."""
    projects = project_loaders.portfolio()
    active = projects[(projects["status"] == "active") & (projects["segment"] == segment)]
    counts = active.groupby("kpi_id").size()
    return table["kpi_id"].map(counts).map(lambda n: f"▶ {int(n)}" if pd.notna(n) else "") if "kpi_id" in table else ""


def verified_benefits(table: pd.DataFrame, segment: str) -> None:
    """One line per closed project on a KPI of ``table`` in the segment with a verified benefit (a caption)."""
    projects = project_loaders.portfolio()
    closed = projects[(projects["status"] == "closed") & (projects["segment"] == segment)
                      & projects["kpi_id"].isin(table.get("kpi_id", pd.Series(dtype=float)))
                      & (projects["verified_benefit"] > 0)]
    if closed.empty:
        return
    lines = [t("{kpi} — {project}: {benefit} a year", kpi=plain(localized(row, "kpi")), project=plain(row["title"]),
               benefit=number(row["verified_benefit"], "$k")) for _, row in closed.iterrows()]
    st.caption(t("Verified benefits of closed projects (measured on the KPI): {lines}", lines="; ".join(lines)))

"""Define: the charter (SIPOC and the data collection plan are table tools, see ``_common``)."""

from __future__ import annotations

import streamlit as st

from ui.core.format import user_names
from ui.core.i18n import t
from ui.projects import baseline as in_words
from ui.projects.tools._common import _computed_baseline, _save, _unit


def _position(names: dict[str, str], user: str | None) -> int | None:
    """The user's place among the names (None, no one chosen, when the charter names no known user)."""
    return list(names).index(user) if user in names else None


def charter(project: dict, phase: str, kind: str, saved: dict | None, editable: bool) -> None:
    """Business case, SMART problem and goal, scope, CTQs and the team with the seed's roles."""
    saved = saved or {}
    baseline = _computed_baseline(project)
    names = user_names()
    if baseline:
        st.caption(t("Linked KPI baseline:") + "  \n" + "  \n".join(in_words.summary(baseline, _unit(project))))
    with st.form(f"charter_{project['id']}", enter_to_submit=False):
        fields = {key: st.text_area(t(label), saved.get(key, ""), height=68, disabled=not editable,
                                    key=f"charter_{key}_{project['id']}")
                  for key, label in (("business_case", "Business case"), ("problem", "Problem statement (SMART)"),
                                     ("goal", "Goal statement (SMART)"), ("scope_in", "In scope"),
                                     ("scope_out", "Out of scope"))}
        ctqs = st.text_area(t("CTQs (one per line)"), "\n".join(saved.get("ctqs", [])), height=68,
                            disabled=not editable, key=f"charter_ctqs_{project['id']}")
        left, right = st.columns(2)
        champion = left.selectbox(t("Champion"), list(names), format_func=names.get, disabled=not editable,
                                  index=_position(names, saved.get("champion", project["champion"])),
                                  key=f"charter_champion_{project['id']}")
        black_belt = right.selectbox(t("Black belt"), list(names), format_func=names.get, disabled=not editable,
                                     index=_position(names, saved.get("black_belt", project["belt"])),
                                     key=f"charter_black_belt_{project['id']}")
        green_belts = left.multiselect(t("Green belts"), list(names), [g for g in saved.get("green_belts", []) if g in names],
                                       format_func=names.get, disabled=not editable, key=f"charter_gb_{project['id']}")
        members = right.text_area(t("Team members (one per line)"), "\n".join(saved.get("members", [])), height=68,
                                  disabled=not editable, key=f"charter_members_{project['id']}")
        experts = st.text_area(t("Subject-matter experts (one per line)"), "\n".join(saved.get("experts", [])),
                               height=68, disabled=not editable, key=f"charter_experts_{project['id']}")
        submitted = st.form_submit_button(t("Save charter"), type="primary", disabled=not editable)
    if submitted:
        lines = lambda text: [line.strip() for line in text.splitlines() if line.strip()]  # noqa: E731
        _save(project, "define", "charter", {
            **{k: v.strip() for k, v in fields.items()}, "ctqs": lines(ctqs), "champion": champion,
            "black_belt": black_belt, "green_belts": green_belts, "members": lines(members),
            "experts": lines(experts), "kpi_baseline": saved.get("kpi_baseline") or baseline})

"""Comments and action items for a KPI and period: add, edit, mark done (author and time recorded)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.discussion import add_action_item, add_comment, edit_comment, update_action_item
from ui.components import pickers
from ui.core import loaders
from ui.core.auth import current_user, may, may_here
from ui.core.format import period_label, plain
from ui.core.i18n import t
from ui.core.writing import write


def _comment_form(kpi_id: int, period: str) -> None:
    with st.form(f"comment_{kpi_id}", clear_on_submit=True, enter_to_submit=False):
        text = st.text_area(t("New comment"), key=f"comment_text_{kpi_id}", height=80)
        if st.form_submit_button(t("Add comment")) and write(add_comment, kpi_id, period, text):
            st.toast(t("Comment added."))


def _comment(row: pd.Series) -> None:
    """One comment with its author and time; its author may edit it."""
    text_column, edit_column = st.columns([3, 1], vertical_alignment="center")
    text_column.markdown(f"{plain(row['text'])}  \n*{plain(row['author'])} · {row['created_at']:%Y-%m-%d %H:%M}*")
    if row["author"] != current_user():
        return
    with edit_column.popover(t("Edit"), icon=":material/edit:"):
        with st.form(f"edit_comment_{row['id']}", enter_to_submit=False):
            text = st.text_area(t("Comment"), row["text"], key=f"edit_comment_text_{row['id']}")
            if st.form_submit_button(t("Save")) and write(edit_comment, int(row["id"]), text):
                st.rerun()


def _action_form(kpi_id: int, period: str) -> None:
    with st.form(f"action_{kpi_id}", clear_on_submit=True, enter_to_submit=False):
        text = st.text_input(t("New action item"), key=f"action_text_{kpi_id}")
        owner_column, due_column = st.columns(2)
        owner = owner_column.text_input(t("Owner"), key=f"action_owner_{kpi_id}")
        due = pickers.date_picker(t("Due"), None, key=f"action_due_{kpi_id}", container=due_column)
        if st.form_submit_button(t("Add action item")) and write(add_action_item, kpi_id, period, text, owner, due):
            st.toast(t("Action item added."))


def _action_items(kpi_id: int) -> None:
    items = loaders.action_items(kpi_id)
    if items.empty:
        st.caption(t("No action items yet."))
        return
    shown = items[["id", "done", "text", "owner", "due", "period", "author"]]
    edited = st.data_editor(shown, key=f"actions_{kpi_id}", hide_index=True, width="stretch",
                            disabled=True if not may("comments.write") else ["id", "period", "author"], column_config={
                                "id": None, "done": st.column_config.CheckboxColumn(t("Done")),
                                "text": t("Action"), "owner": t("Owner"),
                                "due": st.column_config.DateColumn(t("Due")), "period": t("Period"),
                                "author": t("Author")})
    changed = edited.compare(shown) if edited.shape == shown.shape else None
    if changed is not None and not changed.empty and st.button(t("Save action items"), key=f"save_actions_{kpi_id}"):
        for index in changed.index:
            values = {c: edited.at[index, c] for c in ("done", "text", "owner", "due") if edited.at[index, c] != shown.at[index, c]}
            values = {k: (None if pd.isna(v) else (bool(v) if k == "done" else v)) for k, v in values.items()}
            write(update_action_item, int(shown.at[index, "id"]), values)
        st.rerun()


def panel(kpi_id: int, period: str) -> None:
    """The discussion of one KPI: this period's comments and all its action items."""
    comments_column, actions_column = st.columns(2)
    with comments_column:
        st.subheader(t("Comments for {period}", period=period_label(period)))
        listing = st.container()
        if may_here("comments.write"):
            _comment_form(kpi_id, period)
        with listing:  # filled after the form so a comment just added is listed at once
            for _, row in loaders.comments(period=period, kpi_id=kpi_id).iterrows():
                _comment(row)
    with actions_column:
        st.subheader(t("Action items"))
        listing = st.container()
        if may("comments.write"):
            _action_form(kpi_id, period)
        with listing:
            _action_items(kpi_id)

"""Shared page furniture: the sidebar (language, acting user) and right-to-left layout."""

from __future__ import annotations

import streamlit as st

from ui import loaders
from ui.i18n import LANGUAGES, is_rtl, t

RTL_CSS = """
<style>
  .stMainBlockContainer, [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
  .stMainBlockContainer .js-plotly-plot, [data-testid="stDataFrame"] { direction: ltr; }
</style>
"""


def language_picker() -> None:
    """Let the user choose the UI language; Persian turns the layout right-to-left."""
    st.sidebar.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language")
    if is_rtl():
        st.markdown(RTL_CSS, unsafe_allow_html=True)
        st.sidebar.toggle(t("Persian digits"), value=True, key="persian_digits")


def user_picker() -> None:
    """Choose who is acting; their role decides what they may change."""
    people = loaders.users()
    labels = dict(zip(people["username"], people["display_name"]))
    roles = dict(zip(people["username"], people["role"]))
    st.sidebar.selectbox(t("Acting as"), list(labels), format_func=labels.get, key="user",
                         help=t("Role: {role}", role=t(roles.get(st.session_state.get("user"), "viewer"))))


def current_user() -> str:
    """The acting user's name (the first user until someone is chosen)."""
    return st.session_state.get("user") or loaders.users()["username"].iloc[0]

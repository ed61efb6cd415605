"""Shared page furniture: the sidebar's language picker, right-to-left layout and the demo-mode label."""

from __future__ import annotations

import streamlit as st

from ui import auth
from ui.i18n import LANGUAGES, is_rtl, t

RTL_CSS = """
<style>
  .stMainBlockContainer, [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
  .stMainBlockContainer .js-plotly-plot, [data-testid="stDataFrame"] { direction: ltr; }
</style>
"""


def language_picker() -> None:
    """Let the user choose the UI language (kept on their user row); Persian turns the layout right-to-left."""
    st.sidebar.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language",
                         on_change=auth.remember_language)
    if is_rtl():
        st.markdown(RTL_CSS, unsafe_allow_html=True)
        st.sidebar.toggle(t("Persian digits"), value=True, key="persian_digits")


def demo_label() -> None:
    """A label on every page while the app runs in demo mode (demo accounts with a public password)."""
    if auth.is_demo():
        st.badge(t("Demo mode: demo data and demo accounts"), icon=":material/science:", color="orange")

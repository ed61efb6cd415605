"""Shared page furniture: the sidebar's language picker, right-to-left layout and the demo-mode label."""

from __future__ import annotations

import streamlit as st

from ui.core import auth
from ui.core.i18n import LANGUAGES, is_rtl, t

PAGE_CSS = """
<style>
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * { white-space: normal !important;
      overflow: visible !important; text-overflow: clip !important; word-break: normal !important;
      overflow-wrap: normal !important; hyphens: none !important; }
  @media print {
    [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
    [data-testid="stStatusWidget"], [data-testid="stBottom"], .stButton, .stDownloadButton,
    [data-testid="stButtonGroup"], [data-testid="stCheckbox"], [data-testid="stTooltipIcon"] { display: none !important; }
    [data-testid="stMain"], .stMainBlockContainer { padding: 0.5cm !important; max-width: 100% !important; margin: 0 !important; }
    [data-testid="stMetric"], tbody { break-inside: avoid; page-break-inside: avoid; }
  }
</style>
"""
RTL_CSS = """
<style>
  [data-testid="stAppViewContainer"] { flex-direction: row-reverse; }
  /* Joined buttons (Month | Quarter | Year) mirrored: rounded outer corners and the 1 px overlap on the other side. */
  [data-testid="stButtonGroup"] { padding-inline: 2px; }
  [data-testid="stButtonGroup"] button { margin-right: 0 !important; margin-left: -1px !important; }
  [data-testid="stButtonGroup"] button:first-of-type { border-radius: 0 8px 8px 0 !important; }
  [data-testid="stButtonGroup"] button:last-of-type { border-radius: 8px 0 0 8px !important; margin-left: 0 !important; }
  .stMainBlockContainer, [data-testid="stSidebarContent"] { direction: rtl; text-align: right; }
  .stMainBlockContainer .js-plotly-plot, [data-testid="stDataFrame"] { direction: ltr; }
</style>
"""


def root(start: st.Page) -> st.Page:
    """The app's root "/": a hidden default page that opens ``start`` at its own address.

    Streamlit serves its default page only at "/" (the default page's url_path is ""), so a
    bookmark of the default page's own path (/overview) opened "Page not found". With this
    page as the default, every screen keeps a URL that works when opened first."""
    return st.Page(lambda: st.switch_page(start), title=start.title, url_path="home", default=True, visibility="hidden")


_KEPT = {"language": "kept_language", "persian_digits": "kept_persian_digits"}


def _restore_choices() -> None:
    """Streamlit drops a widget's state when a page switch interrupts a run; the copies kept beside it survive."""
    for widget, kept in _KEPT.items():
        if widget not in st.session_state and kept in st.session_state:
            st.session_state[widget] = st.session_state[kept]


def _keep_choices() -> None:
    for widget, kept in _KEPT.items():
        if widget in st.session_state:
            st.session_state[kept] = st.session_state[widget]


def language_picker() -> None:
    """Let the user choose the UI language (kept on their user row); Persian turns the layout right-to-left."""
    _restore_choices()
    st.sidebar.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language",
                         on_change=auth.remember_language)
    st.html(PAGE_CSS)
    if is_rtl():
        st.markdown(RTL_CSS, unsafe_allow_html=True)
        st.sidebar.toggle(t("Persian digits"), value=True, key="persian_digits")
    _keep_choices()


def demo_label() -> None:
    """A label on every page while the app runs in demo mode (demo accounts with a public password)."""
    if auth.is_demo():
        st.badge(t("Demo mode: demo data and demo accounts"), icon=":material/science:", color="orange")

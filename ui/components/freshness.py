"""How fresh the data on a screen is: when the scorecard last changed and when the CRM source was last read."""

from __future__ import annotations

import streamlit as st

from ui.core import loaders
from ui.core.format import moment_label, user_names
from ui.core.i18n import t


def _who(username: str | None) -> str:
    """A person's display name; the command line's system user is "the command line or a schedule"."""
    return user_names().get(username) or t("the command line or a schedule")


def data_as_of() -> None:
    """A caption: the scorecard's latest change and its latest refresh from the CRM source (and by whom)."""
    as_of = loaders.data_as_of()
    changed = t("Data as of {moment}", moment=moment_label(as_of.changed_at))
    if as_of.refreshed_at is None:
        st.caption(f"{changed} · {t('not refreshed from a CRM source yet')}")
        return
    st.caption(f"{changed} · " + t("last refresh from the CRM source ({source}) {moment} by {who}",
                                   source=as_of.refreshed_from or "—", moment=moment_label(as_of.refreshed_at),
                                   who=_who(as_of.refreshed_by)))

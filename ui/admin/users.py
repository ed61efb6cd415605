"""The admin screen's parts: the list of users, and forms to add users, set roles, reset passwords, unlock."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data import accounts
from data.passwords import MIN_LENGTH
from data.roles import ROLES
from ui.core.cache import cached, db
from ui.core.i18n import LANGUAGES, digits, t
from ui.core.writing import write


@cached(areas=("accounts",))
def _accounts() -> pd.DataFrame:
    return pd.DataFrame(accounts.accounts(db()))


def _role_label(role: str) -> str:
    return t(ROLES.get(role, role))


def _done(message: str) -> None:
    """After a saved change: say so and redraw the list."""
    st.toast(message, icon=":material/check:")
    st.rerun()


def users_table() -> pd.DataFrame:
    """Every user with role, e-mail, language and lock state (never a password or hash); returns the table."""
    users = _accounts()
    st.dataframe(users.assign(role=users["role"].map(_role_label)), hide_index=True, width="stretch", column_config={
        "username": t("User name"), "display_name": t("Name"), "role": t("Role"), "email": t("E-mail (OIDC)"),
        "language": t("Language"), "demo": st.column_config.CheckboxColumn(t("Demo account")),
        "has_password": st.column_config.CheckboxColumn(t("Has a password")),
        "failed_attempts": t("Failed sign-ins"),
        "locked_until": st.column_config.DatetimeColumn(t("Locked until"), format="YYYY-MM-DD HH:mm")})
    return users


def add_user_form() -> None:
    """Add a user with a role, and a password (local sign-in) and/or an e-mail address (OIDC)."""
    with st.form("add_user", clear_on_submit=True, enter_to_submit=False):
        name_column, display_column = st.columns(2)
        username = name_column.text_input(t("User name"), key="new_user_username")
        display_name = display_column.text_input(t("Name"), key="new_user_display_name")
        role_column, language_column = st.columns(2)
        role = role_column.selectbox(t("Role"), list(ROLES), index=list(ROLES).index("viewer"), format_func=_role_label,
                                     key="new_user_role")
        language = language_column.selectbox(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get,
                                             key="new_user_language")
        email = st.text_input(t("E-mail (OIDC)"), key="new_user_email")
        password = st.text_input(t("Password (at least {minimum} characters, not a common one; blank for OIDC only)", minimum=digits(str(MIN_LENGTH))), type="password",
                                 key="new_user_password")
        submitted = st.form_submit_button(t("Add user"), type="primary")
    if submitted and write(accounts.create_user, username=username, display_name=display_name, role=role,
                           password=password or None, email=email or None, language=language):
        _done(t("User {name} added.", name=username))


def change_user_forms(usernames: list[str]) -> None:
    """For one chosen user: set the role, reset the password (which also unlocks), or unlock."""
    username = st.selectbox(t("User"), usernames, key="manage_user")
    role_column, password_column, unlock_column = st.columns(3)
    with role_column.form("set_role", enter_to_submit=False):
        role = st.selectbox(t("New role"), list(ROLES), format_func=_role_label, key="manage_role")
        if st.form_submit_button(t("Set role")) and write(accounts.set_role, username, role):
            _done(t("{name} is now: {role}.", name=username, role=_role_label(role)))
    with password_column.form("reset_password", clear_on_submit=True, enter_to_submit=False):
        password = st.text_input(t("New password"), type="password", key="manage_password")
        if st.form_submit_button(t("Reset password")) and write(accounts.set_password, username, password):
            _done(t("The password of {name} was reset.", name=username))
    with unlock_column:
        if st.button(t("Unlock"), key="manage_unlock") and write(accounts.unlock, username):
            _done(t("{name} is unlocked.", name=username))

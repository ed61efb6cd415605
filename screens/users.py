"""Users (administrators only): who may sign in, with which role; add users, set roles, reset passwords, unlock."""

import streamlit as st

from ui.admin import users as users_admin
from ui.core.i18n import t

st.title(t("Users"))
st.caption(t("Roles decide what each person may change; every change here is recorded in the audit log. "
             "Passwords are stored only as argon2 hashes and are never shown."))
users = users_admin.users_table()
st.subheader(t("Add a user"))
users_admin.add_user_form()
st.subheader(t("Change a user"))
users_admin.change_user_forms(users["username"].tolist())

"""Sign-in and the signed-in account: local accounts, or OIDC through ``st.login`` when configured.

OIDC is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section; the e-mail address the
provider signs in is then mapped to a user row (:func:`data.accounts.account_for_email`), and an
unknown address is refused. Local accounts (user name and password) work beside it, so the first
administrator can always sign in. A local sign-in survives a reload and a deep link: the page hands
a one-time code to the server's own route, which sets the session cookie (app.py, data/sessions.py);
a new browser session finds its account from that cookie.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from data import accounts, sessions
from data.accounts import Account, SignInRefused
from data.db import DatabaseBusy
from data.demo.catalog import DEMO_PASSWORD, DEMO_USERS
from data.db import demo_mode
from data.roles import PERMISSIONS, ROLES, allows
from data.throttle import client_source
from ui.core import loaders
from ui.core.cache import db
from ui.core.i18n import t
from ui.core.messages import explain

ACCOUNT, ERROR = "account", "signin_error"
SESSION, HANDOVER = "session_id", "session_handover"  # this browser session's sign-in session; its code to hand over


def has_auth_section(secrets: Mapping) -> bool:
    """Whether a secrets mapping configures an OIDC provider (an ``[auth]`` section)."""
    return bool(secrets.get("auth"))


def oidc_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` configures OIDC sign-in."""
    try:
        return has_auth_section(st.secrets)
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        return False


def _logged_in() -> bool:
    """Whether the identity provider has signed someone in (``st.user`` holds their claims)."""
    return bool(st.user.get("is_logged_in", False))


def is_demo() -> bool:
    """Whether the app runs in demo mode (demo accounts may sign in)."""
    return demo_mode(loaders.database_url())


def _resumed() -> Account | None:
    """The account of the session cookie this browser sent (a reload or a deep link after a sign-in)."""
    found = accounts.account_for_session(loaders.engine(), st.context.cookies.get(sessions.COOKIE), demo_mode=is_demo())
    if found is None:
        return None
    st.session_state[SESSION] = found[0]
    return _begin(found[1])


def current_account() -> Account | None:
    """The signed-in account: from this browser session, its session cookie, or OIDC's sign-in mapped to a user."""
    account = st.session_state.get(ACCOUNT) or _resumed()
    if account is None and oidc_configured() and _logged_in():
        try:
            account = _begin(accounts.account_for_email(loaders.engine(), st.user.get("email")))
        except SignInRefused as exc:
            st.session_state[ERROR] = explain(exc)
    return account


def current_user() -> str:
    """The signed-in user's name (pages run only after sign-in)."""
    return st.session_state[ACCOUNT].username


def may(permission: str) -> bool:
    """Whether the signed-in user's role holds ``permission`` (data/roles.py; the write checks again)."""
    account = st.session_state.get(ACCOUNT)
    return account is not None and allows(account.role, permission)


def may_here(permission: str) -> bool:
    """Whether the signed-in role may ``permission``; if not, one line saying so where its control would be.

    Screens show only what a role may do: the control is left out and this note says why (the
    write path refuses again, whatever a crafted request tries).
    """
    if may(permission):
        return True
    st.caption(":material/lock: " + why_not(permission))
    return False


def why_not(permission: str) -> str:
    """Why the signed-in role may not ``permission``: a disabled control's ``help`` or a caption."""
    account = st.session_state.get(ACCOUNT)
    role = t(ROLES.get(account.role, account.role)) if account else "?"
    return t("Your role ({role}) may not {what}.", role=role, what=t(PERMISSIONS[permission]))


def _begin(account: Account) -> Account:
    st.session_state[ACCOUNT] = account
    st.session_state.pop(ERROR, None)
    if account.language:
        st.session_state["language"] = account.language
    return account


def _source() -> str:
    """Where this browser session's requests come from (the client, or what a trusted proxy reports).

    Streamlit gives the TCP peer's address, and None for a loopback peer (a proxy on this host).
    """
    return client_source(st.context.ip_address or "127.0.0.1", st.context.headers.get("X-Forwarded-For"))


def _sign_in() -> None:
    """The sign-in form's callback: check the password, remember the account or why not; forget the password."""
    try:
        account = _begin(accounts.authenticate(db(), st.session_state.get("signin_username", ""),
                                               st.session_state.get("signin_password", ""), demo_mode=is_demo(),
                                               source=_source()))
        handover = sessions.start(db(), account.username)
        st.session_state[SESSION], st.session_state[HANDOVER] = handover.session_id, handover.code
    except (SignInRefused, DatabaseBusy) as exc:   # busy: a long write holds the database; try again
        st.session_state[ERROR] = explain(exc)
    st.session_state["signin_password"] = ""


def _demo_accounts() -> None:
    st.info(t("Demo mode: sign in as any demo user below with the password **{password}**.", password=DEMO_PASSWORD),
            icon=":material/info:")
    st.dataframe([{t("User name"): u["username"], t("Name"): t(u["display_name"]), t("Role"): t(ROLES[u["role"]])}
                  for u in DEMO_USERS], hide_index=True)


def sign_in_screen() -> None:
    """The sign-in page shown instead of every screen until someone signs in."""
    st.title(t("Sign in"))
    if st.session_state.pop("signed_out", False):
        _post_to_server("/_crm/sign-out")
    if oidc_configured():
        if _logged_in():
            st.button(t("Sign out of the identity provider"), on_click=st.logout)
        elif st.button(t("Sign in with your organisation's account"), type="primary", icon=":material/key:"):
            st.login()
    with st.form("signin"):
        st.text_input(t("User name"), key="signin_username")
        st.text_input(t("Password"), type="password", key="signin_password")
        st.form_submit_button(t("Sign in"), type="primary", on_click=_sign_in, key="signin_submit")
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR], icon=":material/lock:")
    if not accounts.has_administrator(db(), demo_mode=is_demo()):
        st.warning(t("No administrator can sign in yet. On the server, run `python -m scorecard create-admin "
                     "USER` to create the first one."), icon=":material/admin_panel_settings:")
    if is_demo():
        _demo_accounts()


def _post_to_server(path: str, body: str = "", where=st) -> None:
    """Have the browser post ``body`` to one of the server's own routes (app.py), cookies included."""
    where.html(f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
               f"body: {json.dumps(body)}}});</script>", unsafe_allow_javascript=True)


def keep_signed_in() -> None:
    """Once after a sign-in: the browser trades the one-time code for its session cookie.

    Its script sits in a slot at the foot of the sidebar that every run draws, so that no element of
    the page moves between this run and the next (a moved element loses its state, a tab its choice).
    """
    slot = st.sidebar.empty()
    code = st.session_state.pop(HANDOVER, None)
    if code:
        _post_to_server("/_crm/session", code, where=slot)


def _sign_out() -> None:
    st.session_state.pop(ACCOUNT, None)
    sessions.end(db(), session_id=st.session_state.pop(SESSION, None))
    st.session_state["signed_out"] = True  # the sign-in screen has the browser drop the cookie
    if oidc_configured() and _logged_in():
        st.logout()


def account_box(account: Account) -> None:
    """Who is signed in, with their role, and the sign-out button (sidebar)."""
    role = t(ROLES.get(account.role, account.role))
    st.sidebar.caption(t("Signed in as {name}", name=t(account.display_name)) + "  \n" + t("Role: {role}", role=role))
    st.sidebar.button(t("Sign out"), key="sign_out", icon=":material/logout:", on_click=_sign_out)


def remember_language() -> None:
    """The language picker's callback: store the choice on the signed-in user's row."""
    account = st.session_state.get(ACCOUNT)
    language = st.session_state.get("language")
    if account is None or language == account.language:
        return
    accounts.set_language(db(), account.username, language)
    st.session_state[ACCOUNT] = replace(account, language=language)

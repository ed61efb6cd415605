"""CRM strategy dashboard: the web server. ``streamlit run app.py`` serves dashboard.py (the router over
the screens, behind sign-in) as Streamlit's ``st.App``, with two routes of its own that keep a sign-in
across reloads and deep links (data/sessions.py):

- ``POST /_crm/session`` takes the one-time hand-over code the page got at sign-in and answers with the
  session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS): the token never passes through a
  script or a URL;
- ``POST /_crm/sign-out`` ends the cookie's session and clears the cookie.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from data import sessions
from data.db import make_engine
from ui.core.cache import database_url

_engines: dict[str, Engine] = {}


def _engine() -> Engine:
    """The database the pages use (already migrated by the first page run: a hand-over follows a sign-in)."""
    url = database_url()
    if url not in _engines:
        _engines[url] = make_engine(url)
    return _engines[url]


async def hand_over(request: Request) -> Response:
    """Exchange the page's one-time code for the session cookie."""
    code = (await request.body()).decode("ascii", errors="replace")[:200]
    token = await run_in_threadpool(sessions.claim, _engine(), code)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(sessions.COOKIE, token, max_age=int(sessions.session_hours() * 3600), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    return response


async def sign_out(request: Request) -> Response:
    """End the cookie's session (the page has ended it too, by its id) and clear the cookie."""
    await run_in_threadpool(sessions.end, _engine(), token=request.cookies.get(sessions.COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(sessions.COOKIE, path="/", httponly=True, samesite="strict")
    return response


app = st.App("dashboard.py", routes=[Route("/_crm/session", hand_over, methods=["POST"]),
                                     Route("/_crm/sign-out", sign_out, methods=["POST"])])

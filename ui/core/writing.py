"""Running a data-layer write as the signed-in user from a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from data.writes import PermissionDenied, StaleEdit
from ui.core import loaders
from ui.core.auth import current_user
from ui.core.i18n import t
from ui.core.messages import explain


def write(action: Callable[..., Any], *args: Any, on_stale: Callable[[], None] | None = None, **kwargs: Any) -> bool:
    """Call ``action(engine, user, *args, **kwargs)``; on a refusal or bad input show why, save nothing.

    Returns whether the write was saved; after a saved write (or one refused because someone saved
    the same row first, which also calls ``on_stale``) the next loader reads the data versions afresh,
    so it shows the change (other sessions see it on their next run: :mod:`ui.core.cache`).
    """
    try:
        action(loaders.engine(), current_user(), *args, **kwargs)
    except PermissionDenied as exc:
        st.error(t("You may not change this: {reason}", reason=explain(exc)), icon=":material/block:")
        return False
    except StaleEdit as exc:  # someone saved first: the next run shows their change
        loaders.after_write()
        if on_stale:
            on_stale()
        st.error(explain(exc), icon=":material/sync_problem:")
        return False
    except ValueError as exc:
        st.error(explain(exc), icon=":material/error:")
        return False
    loaders.after_write()
    return True

"""Running a data-layer write as the signed-in user from a page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from data.writes import PermissionDenied
from ui import loaders
from ui.i18n import t
from ui.messages import explain
from ui.layout import current_user


def write(action: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
    """Call ``action(engine, user, *args, **kwargs)``; on a refusal or bad input show why, save nothing.

    Returns whether the write was saved; after a saved write every cached table is cleared.
    """
    try:
        action(loaders.engine(), current_user(), *args, **kwargs)
    except PermissionDenied as exc:
        st.error(t("You may not change this: {reason}", reason=explain(exc)), icon=":material/block:")
        return False
    except ValueError as exc:
        st.error(explain(exc), icon=":material/error:")
        return False
    loaders.clear()
    return True

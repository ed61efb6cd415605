"""The domain's messages in the user's language: a catalog of the English sentences that
``scorecard/``, ``sixsigma/`` and ``data/`` raise or return, with their ``{placeholders}``.

The domain stays English. :func:`explain` matches a message against :data:`MESSAGES` and
translates it through ``t()`` (the Persian entries live in ui/locales/fa.json with the same
placeholders); a message the catalog does not know is shown as it is.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from functools import cache

from ui.core.i18n import digits, is_rtl, t

MESSAGES = (
    # tollgates and roadmaps (sixsigma.roadmap, data.projects)
    "The tollgate cannot be approved yet: {gaps}",
    "Tick “{item}”.",
    "Save the {tools}.",
    "Fill in the charter's {fields}.",
    "Record the verified benefit before closing the project.",
    "Say why the phase needs to {decision}.",
    "The planned end must come after the start.",
    "Planned for {months} months: most Six Sigma projects need 3 to 9.",
    "Planned for {months} months: most Six Sigma projects take 3 to 9; consider splitting it.",
    "Only the open phase ({phase}) of an active project has a tollgate to decide.",
    "The project is {status}: nothing more can be saved in it.",
    "A project needs a title.",
    # refusals (data.writes, data.projects)
    "The role '{role}' of '{user}' may not do '{permission}'.",
    "only the project's champion, {champion}, may decide its tollgates",
    "only the project's belt ({belt}) or its team may change it",
    # control charts and capability (sixsigma)
    "{where} has no phase-I samples left to estimate limits from (after exclusions)",
    "a chart of individual values needs at least 2 values",
    "{what} is empty: a chart needs data",
    "{what} must contain numbers only, found text",
    "capability needs at least one specification limit (lsl or usl)",
    "lsl ({lsl}) must be below usl ({usl})",
    "all values are identical: σ is zero and capability is undefined",
    "the normality check needs at least 8 values",
    # imports (scorecard.io.importer)
    "{file}, row {row}, column '{column}': {reason}",
    "{file}, row {row}: {reason}",
    "row {row}, column '{column}': {reason}",
)

SENTENCE_END = re.compile(r"(?<=[.”])\s+(?=\S)")


def _split_tools(text: str) -> str:
    return t(" or the ").join(t(name) for name in text.split(" or the "))


def _stage(text: str) -> str:
    match = re.fullmatch(r"stage '(.+)'", text)
    return t("stage '{stage}'", stage=match.group(1)) if match else t(text)


# How a placeholder's value is put in the user's language (default: t(), so catalogued words translate).
FIELDS: dict[str, Callable[[str], str]] = {
    "gaps": lambda text: " ".join(explain(part) for part in SENTENCE_END.split(text)),
    "tools": _split_tools, "where": _stage, "reason": lambda text: explain(text),
    "item": t, "decision": t, "status": t, "phase": lambda text: t(text.capitalize()), "role": t,
    "months": digits, "row": digits, "lsl": digits, "usl": digits,
}


@cache
def _pattern(template: str) -> re.Pattern:
    """A regular expression that matches the template with each placeholder captured."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts), re.DOTALL)


def explain(message: object) -> str:
    """A domain message (or exception) in the user's language."""
    text = str(message)
    if not is_rtl():
        return text
    for template in MESSAGES:
        match = _pattern(template).fullmatch(text)
        if match:
            values = {name: FIELDS.get(name, str)(value) for name, value in match.groupdict().items()}
            return t(template, **values)
    return t(text)

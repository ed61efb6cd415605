"""The domain's messages in the user's language.

``scorecard/``, ``sixsigma/`` and ``data/`` raise :class:`errors.DomainError` (or another
:class:`errors.MessageError`) and return :class:`errors.Message` values: an English template and
its parameters (see errors.py). :func:`explain` translates the template through ``t()`` (the
Persian entries in ui/locales/fa.json keep the same placeholders and format specs) and writes each
parameter for the reader: numbers in the user's digits, nested messages and lists of them
explained in turn, catalogued words (the parameters named in :data:`WORDS`) translated. Any other
text or exception is translated as a whole when the catalog knows it, else shown as it is.
"""

from __future__ import annotations

from datetime import date
from numbers import Integral, Number
from typing import Any

from errors import Message, MessageError, convert, fill
from scorecard.numbers import LRM, MINUS
from ui.core.i18n import digits, is_rtl, t

# Parameters whose text values are catalogued words (roles, permissions, phases, statuses, decisions,
# tools, checklist items, field and category names, the demo's people…): shown through t().
WORDS = frozenset({
    "categories", "current", "data", "decision", "earlier", "fields", "item", "ordinal", "permission", "phase",
    "rating", "reason", "role", "status", "table", "tools", "user", "what",
})


def _number(value: Number | date, spec: str) -> str:
    """A number (or date) formatted by its placeholder's spec, in the user's digits and separators."""
    text = format(value, spec)
    if not is_rtl() or spec[-1:] in ("x", "X", "b", "o"):
        return text
    sign = MINUS if text.startswith("-") else ""
    text = digits(text.removeprefix("-").replace(",", "٬"))
    return f"{LRM}{sign}{text}" if sign else text      # the sign stays left of the digits in right-to-left text


def _field(name: str, value: Any, conversion: str | None, spec: str) -> str:
    """One parameter as the reader sees it: the Persian counterpart of :func:`errors.english`."""
    if isinstance(value, list) and not conversion:
        return t(spec or ", ").join(_field(name, item, None, "") for item in value)
    if isinstance(value, (Message, MessageError)):
        return format(explain(value), spec)
    if conversion:
        return format(convert(value, conversion), spec)     # shown as typed: a name, a value the user gave
    if isinstance(value, (Number, date)) and not isinstance(value, bool):
        return _number(value, spec)
    if isinstance(value, str) and name in WORDS:
        return format(t(value), spec)
    return format(value, spec)


def explain(message: object) -> str:
    """A domain message (or exception, or an import or table problem) in the user's language."""
    message = getattr(message, "sentence", message)     # a problem names its file, row and column
    if isinstance(message, (Message, MessageError)):
        return fill(t(message.template), message.params, _field) if is_rtl() else str(message)
    return t(str(message))


def message_payload(message: Message) -> dict:
    """A message as JSON for a saved result: its template and parameters (nested messages and lists kept as
    such, NumPy numbers as plain numbers). :func:`message_from` reads it back."""
    def plain_value(value: Any) -> Any:
        if isinstance(value, Message):
            return message_payload(value)
        if isinstance(value, (list, tuple)):
            return [plain_value(item) for item in value]
        if isinstance(value, Number) and not isinstance(value, bool):
            return int(value) if isinstance(value, Integral) else float(value)
        return value
    return {"template": message.template, "params": {k: plain_value(v) for k, v in message.params.items()}}


def message_from(payload: dict) -> Message:
    """The message a saved result keeps (see :func:`message_payload`)."""
    def value(item: Any) -> Any:
        if isinstance(item, dict) and set(item) == {"template", "params"}:
            return message_from(item)
        return [value(i) for i in item] if isinstance(item, list) else item
    return Message(payload["template"], **{k: value(v) for k, v in payload["params"].items()})


def saved_sentence(result: dict) -> str:
    """A saved result's sentence in the reader's language: from its template when it kept one, else the English
    sentence it was saved with (results saved before sentences were templates)."""
    if isinstance(result.get("message"), dict):
        return explain(message_from(result["message"]))
    return str(result.get("sentence") or "")

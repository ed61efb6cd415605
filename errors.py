"""Sentences for the user as templates: raised (:class:`DomainError`) or returned (:class:`Message`).

``scorecard/``, ``sixsigma/`` and ``data/`` write every sentence a user may read as a literal
English template and pass its values as parameters::

    raise DomainError("The history must be monthly, not frequency {freq!r}.", freq=index.freqstr)

``str()`` fills the template in English exactly as the f-string it replaces would (format specs
such as ``{low:g}`` and conversions such as ``{name!r}`` work). Parameters hold raw values:
numbers as numbers, names as strings, nested :class:`Message` objects, or lists of these; a list
is joined by its placeholder's format spec (``{gaps: }`` joins with a space, ``{tools: or the }``
with " or the ", no spec with ", "), unless converted (``{names!r}`` is the list's repr).
The UI (``ui.messages.explain``) translates the template with ``t()`` and formats each parameter
for the reader instead; tests/test_error_templates.py fails on a template that is not a literal
or has no Persian entry. Exceptions that are not bad input (a refusal, an unreachable database)
keep their own base class and carry their text the same way through :class:`MessageError`.

Pure Python, importing nothing of the project, so that every package may use it.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from functools import cache
from typing import Any, Self

# How one placeholder is written: (name, value, conversion or None, format spec) → text.
Field = Callable[[str, Any, "str | None", str], str]


@cache
def placeholders(template: str) -> tuple[tuple[str, str | None, str | None, str], ...]:
    """The template parsed once: (literal text, placeholder name or None, conversion, format spec) pieces."""
    return tuple((literal, name, conversion, spec or "")
                 for literal, name, spec, conversion in string.Formatter().parse(template))


def fill(template: str, params: dict[str, Any], field: Field | None = None) -> str:
    """The template with each placeholder written by ``field`` (default: in English, as an f-string would)."""
    write = field or english
    return "".join(literal + ("" if name is None else write(name, params[name], conversion, spec))
                   for literal, name, conversion, spec in placeholders(template))


def convert(value: Any, conversion: str | None) -> Any:
    """A ``!r``, ``!s`` or ``!a`` conversion applied as ``str.format`` applies it."""
    return {"r": repr, "s": str, "a": ascii}[conversion](value) if conversion else value


def english(name: str, value: Any, conversion: str | None, spec: str) -> str:
    """A parameter as the English text shows it."""
    if isinstance(value, list) and not conversion:
        return (spec or ", ").join(english(name, item, None, "") for item in value)
    if isinstance(value, Message):
        value = str(value)
    return format(convert(value, conversion), spec)


class Message:
    """A sentence for the user: an English ``template`` with ``{placeholders}`` and their ``params``.

    ``str()`` is the English text. A Message equals another with the same template and text, and
    a plain string with the same text; ``in`` looks into the text (code that read texts keeps working).
    """

    __slots__ = ("template", "params")

    def __init__(self, template: str, /, **params: Any) -> None:
        self.template, self.params = template, params

    def __str__(self) -> str:
        return fill(self.template, self.params)

    def __repr__(self) -> str:
        return f"Message({self.template!r}{''.join(f', {k}={v!r}' for k, v in self.params.items())})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Message):
            return self.template == other.template and str(self) == str(other)
        return str(self) == other if isinstance(other, str) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class MessageError(Exception):
    """An exception whose text is a :class:`Message`: ``message``, ``template`` and ``params``."""

    def __init__(self, template: str, /, **params: Any) -> None:
        self.message = Message(template, **params)
        super().__init__(str(self.message))

    @classmethod
    def from_message(cls, message: Message) -> Self:
        """The exception saying an existing message (one a helper built from a literal template)."""
        return cls(message.template, **message.params)

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def params(self) -> dict[str, Any]:
        return self.message.params

    def __str__(self) -> str:
        return str(self.message)


class DomainError(MessageError, ValueError):
    """Input the domain or the data layer cannot use, said in words the user can act on."""

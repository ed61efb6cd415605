"""Comments and action items on a KPI for a period, written through the audited write path."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from data.models import ActionItem, Comment, User
from data.writes import PermissionDenied, Writer, write_session
from errors import DomainError

# Roles that may change anyone's action item (besides its author and owner); administrators always may.
ACTION_ITEM_KEEPERS = frozenset({"strategy"})


def add_comment(engine: Engine, username: str, kpi_id: int, period: str, text: str) -> int:
    """Add a comment (author and time recorded); returns its id."""
    if not text.strip():
        raise DomainError("A comment needs some text.")
    with write_session(engine, username, "comments.write") as writer:
        return writer.create(Comment, {"kpi_id": kpi_id, "period": period, "author": username,
                                       "text": text.strip()}).id


def edit_comment(engine: Engine, username: str, comment_id: int, text: str) -> None:
    """Change a comment's text; only its author may (the change is audited, old → new)."""
    if not text.strip():
        raise DomainError("A comment needs some text.")
    with write_session(engine, username, "comments.write") as writer:
        comment = writer.session.get(Comment, comment_id)
        if comment is None:
            raise DomainError("No comment with id {key}", key=comment_id)
        if comment.author != username:
            raise PermissionDenied("only {author}, who wrote this comment, may edit it", author=comment.author)
        writer.update(Comment, comment_id, {"text": text.strip()})


def add_action_item(engine: Engine, username: str, kpi_id: int, period: str, text: str,
                    owner: str = "", due: date | None = None) -> int:
    """Add an open action item; returns its id."""
    if not text.strip():
        raise DomainError("An action item needs a description.")
    with write_session(engine, username, "comments.write") as writer:
        return writer.create(ActionItem, {"kpi_id": kpi_id, "period": period, "author": username,
                                          "text": text.strip(), "owner": owner.strip(), "due": due,
                                          "done": False}).id


def _may_change(writer: Writer, item: ActionItem) -> bool:
    """The item's author, its owner (by user name, display name, or the name before its parenthesis:
    "Leila Moradi" for "Leila Moradi (Green Belt)"), the strategy team or an administrator."""
    if writer.is_admin or writer.role in ACTION_ITEM_KEEPERS or writer.username == item.author:
        return True
    owner = (item.owner or "").strip().casefold()
    if not owner:
        return False
    display = writer.session.scalar(select(User.display_name).where(User.username == writer.username)) or ""
    names = {writer.username, display, display.split(" (", 1)[0]}
    return owner in {name.strip().casefold() for name in names if name.strip()}


def update_action_item(engine: Engine, username: str, item_id: int, values: dict) -> None:
    """Edit an action item's text, owner, due date or done flag: only its author, its owner or the
    CRM strategy team may (the same circle as a comment's author, widened to who must act on it)."""
    allowed = {"text", "owner", "due", "done"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError("Action items have no field(s) {fields}", fields=sorted(unknown))
    with write_session(engine, username, "comments.write") as writer:
        item = writer.session.get(ActionItem, item_id)
        if item is None:
            raise DomainError("No action item with id {key}", key=item_id)
        if not _may_change(writer, item):
            raise PermissionDenied("only {author}, who wrote this action item, its owner or the CRM strategy team may "
                                   "change it", author=item.author)
        writer.update(ActionItem, item_id, values)

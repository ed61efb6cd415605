"""Comments and action items on a KPI for a period, written through the audited write path."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from data.models import ActionItem, Comment
from data.writes import PermissionDenied, write_session
from errors import DomainError


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


def update_action_item(engine: Engine, username: str, item_id: int, values: dict) -> None:
    """Edit an action item's text, owner, due date or done flag."""
    allowed = {"text", "owner", "due", "done"}
    unknown = set(values) - allowed
    if unknown:
        raise DomainError("Action items have no field(s) {fields}", fields=sorted(unknown))
    with write_session(engine, username, "comments.write") as writer:
        writer.update(ActionItem, item_id, values)

"""Screens show only what a role may do (issue #21 §5): a viewer finds no Save, Refresh now, Add comment
or Start project that would then be refused, and is told why instead; a role that may still finds them.
Expected permissions come from the roles of the source documents (README's table), not from the code."""

from __future__ import annotations

import pytest

from tests.apptest import ok, start

WRITES = {  # screen → controls that write, and the note a role without the permission reads instead
    "screens/data.py": ["Save changes", "Validate and import"],
    "screens/settings.py": ["Refresh now"],
    "screens/projects.py": ["Start project"],
    "screens/kpi_detail.py": ["Add comment", "Add action item"],
}


def _buttons(at) -> set[str]:
    return {b.label for b in at.button}


def _notes(at) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize("screen", sorted(WRITES))
def test_a_viewer_sees_no_write_controls_only_why(sqlite_url, sqlite_engine, monkeypatch, screen):
    at = ok(start(sqlite_url, screen, monkeypatch, user="guest"))
    assert not _buttons(at) & set(WRITES[screen]), _buttons(at)
    assert "Your role (Viewer) may not" in _notes(at)
    if screen == "screens/settings.py":
        assert [b.disabled for b in at.button if b.label == "Save settings"] == [True]


MAY = {"screens/data.py": "sara", "screens/settings.py": "sara", "screens/projects.py": "reza",  # belts start
       "screens/kpi_detail.py": "sara"}                                                            # projects


@pytest.mark.parametrize("screen", sorted(WRITES))
def test_a_role_that_may_finds_them(sqlite_url, sqlite_engine, monkeypatch, screen):
    at = ok(start(sqlite_url, screen, monkeypatch, user=MAY[screen]))
    assert set(WRITES[screen]) <= _buttons(at), _buttons(at)
    assert "may not" not in _notes(at)


def test_only_the_team_edits_a_project_and_only_its_champion_decides(sqlite_url, sqlite_engine, monkeypatch):
    # The demo's open project is Reza's (black belt), championed by Nima (README, demo story).
    for user, edits, decides in (("reza", True, False), ("nima", False, True), ("guest", False, False),
                                 ("maryam", False, False)):
        at = ok(start(sqlite_url, "screens/project.py", monkeypatch, user=user))
        labels = _buttons(at)
        assert ("Record the decision" in labels) == decides, (user, labels)
        assert (not any("Only the project's belt" in c for c in _notes(at).splitlines())) == edits, user

"""End to end: a belt types into a workspace grid at a person's speed and every keystroke is saved (#18).

Typing "Complaint desk" into the SIPOC grid once saved "nt desk": each edit reran the script and
the rerun raced the typing. Every table tool now shares one form-wrapped grid
(``ui.projects.tools.grid_form``, in ``ui/projects/tools/_common.py``), so this test of the SIPOC grid covers the mechanism of all.
"""

from __future__ import annotations

from datetime import date

from data.db import make_engine
from data.projects import create_project, project_detail
from tests.test_browser import _choose, _tool, load, own_server  # noqa: F401  (own_server: a fixture)

TITLE = "Typed at a person's speed"
HEADER, ROW = 35, 35  # the grid's header and row heights (px): the first row's cells sit below the header


def _new_project(url: str) -> int:
    engine = make_engine(url)
    try:
        return create_project(engine, "leila", kind="dmaic", title=TITLE, kpi_id=None, segment="Retail",
                              champion="nima", belt="leila", start=date(2026, 12, 1), planned_end=date(2027, 5, 1))
    finally:
        engine.dispose()


def _saved_sipoc(url: str, project_id: int) -> list[dict]:
    engine = make_engine(url)
    try:
        return project_detail(engine, project_id)["artifacts"].get("define/sipoc", {}).get("rows", [])
    finally:
        engine.dispose()


def _type_in_cell(page, grid, text: str) -> None:
    """Once the cell's editor is open, type into it as a person does (about 10 characters a second), commit
    with Tab (on to the next column) and wait until the grid holds the text (its accessible table, which the
    canvas mirrors)."""
    editor = page.locator("textarea.gdg-input")
    editor.wait_for(timeout=30_000)
    page.keyboard.type(text, delay=100)
    page.keyboard.press("Tab")
    editor.wait_for(state="detached", timeout=30_000)
    grid.locator("td").filter(has_text=text).first.wait_for(state="attached", timeout=30_000)


def test_typing_into_a_grid_character_by_character_saves_every_character(own_server, own_url, page):
    project_id = _new_project(own_url)
    load(page, f"{own_server}/project", user="leila")
    box = page.locator("[data-testid='stMain'] [data-testid='stSelectbox']").filter(has_text="Project").first
    if TITLE not in box.inner_text():
        _choose(page, box, f"{TITLE} · DMAIC")
    sipoc = _tool(page, "SIPOC")
    grid = sipoc.locator("[data-testid='stDataFrame']").first
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    frame = grid.bounding_box()
    page.mouse.click(frame["x"] + 60, frame["y"] + HEADER + ROW / 2)      # the empty grid's "add row" line
    _type_in_cell(page, grid, "Complaint desk")
    for text in ("Complaint form", "Log and route"):      # the next columns: Enter opens the cell's editor
        page.keyboard.press("Enter")
        _type_in_cell(page, grid, text)
    sipoc.get_by_role("button", name="Save").click()
    page.get_by_text("✓ SIPOC").wait_for(timeout=60_000)
    rows = _saved_sipoc(own_url, project_id)
    assert [(row["suppliers"], row["inputs"], row["process"]) for row in rows] == [
        ("Complaint desk", "Complaint form", "Log and route")]
    assert page.locator("[data-testid='stException']").count() == 0

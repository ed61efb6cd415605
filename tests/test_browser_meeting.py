"""End to end in Chromium: meeting-ready screens (tables that fit, Persian right to left, deep links).

Tables fit when no data grid scrolls sideways (scrollWidth ≤ clientWidth of its scroller) and
no HTML table reaches outside the page's content column, at 1280 and 1920 px, in English and
Persian. Screenshots of every screen in Persian, and the printed scorecard, go to the run's
artifacts folder (printed at the end of the run) to be looked at.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_browser import PAGES, _choose, _idle, load, reopen, serve, session_cookie, signed_in_page

FITS = """() => {
  const column = document.querySelector('.stMainBlockContainer').getBoundingClientRect();
  const shown = [...document.querySelectorAll('.fit-table, [data-testid=stDataFrame] .dvn-scroller')]
    .filter(e => e.offsetParent !== null);
  return shown.map(e => { const r = e.getBoundingClientRect();
    return {kind: e.className.toString().split(' ')[0], scrolls: e.scrollWidth > e.clientWidth + 1,
            clipped: r.left < column.left - 1 || r.right > column.right + 1}; });
}"""
NOT_FOUND_WATCH = """new MutationObserver(() => {
  if (document.body && document.body.innerText.includes('Page not found')) window.__notFound = true;
}).observe(document, {subtree: true, childList: true, characterData: true});"""


LANGUAGE_NAMES = {"en": "English", "fa": "فارسی"}
CHOSEN = """name => { const picker = document.querySelector("[data-testid='stSidebar'] [data-testid='stSelectbox'] input");
  return picker !== null && picker.value === name; }"""


@pytest.fixture(scope="module")
def server(browser, sqlite_url, sqlite_engine, tmp_path_factory):
    """The app on this module's own copy of the demo: the language chosen here is kept on the
    signed-in user's row, and must not follow that user into other tests."""
    folder = tmp_path_factory.mktemp("meeting")
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as source, sqlite3.connect(folder / "demo.db") as copy:
        source.backup(copy)
    with serve(f"sqlite:///{folder / 'demo.db'}", folder / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def signed_in(browser, server):
    """``signed_in(language)``: one admin page per language, signed in once and kept for the module (a
    sign-in survives a deep link since #22, so each test opens its URL in it with ``_open``), instead of a new
    browser context, a sign-in and a language choice for every case."""
    pages = {}

    def page_in(language: str):
        if language not in pages:
            pages[language] = signed_in_page(browser, f"{server}/overview")
        return pages[language]

    yield page_in
    for page in pages.values():
        page.context.close()


def _open(signed_in, url: str, width: int, language: str):
    """The signed-in page of ``language`` at ``width`` px, showing ``url`` opened afresh (a new Streamlit
    session) in ``language``. The choice is kept on the admin's row, which a new session reads: when the other
    language's page chose last, it is chosen again and the URL opened once more, so that every check looks at
    a first run (under two busy loops, the print check once counted the scorecard's table bodies twice, 14,
    right after such a choice's rerun)."""
    page = signed_in(language)
    page.set_viewport_size({"width": width, "height": 1000})
    reopen(page, url)
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first  # the language picker
    if box.locator("input").first.input_value() != LANGUAGE_NAMES[language]:
        _choose(page, box, LANGUAGE_NAMES[language])
        reopen(page, url)
    page.wait_for_function(CHOSEN, arg=LANGUAGE_NAMES[language], timeout=60_000)
    page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=60_000)
    _idle(page)
    return page


def _tables(page, required: bool = False) -> list[dict]:
    """The shown tables' fit, once the grids have laid out their columns; with ``required``, once some
    table shows (a rerun still drawing the page has none for a moment: it failed CI once)."""
    for _ in range(20):
        page.wait_for_timeout(800)
        _idle(page)
        seen = page.evaluate(FITS)
        if seen or not required:
            return seen
    return seen


# Every path at both widths in both languages; one language's cases after the other's, so that each
# language's page rarely has to choose its language again (the ids stay path-width-language).
FIT_CASES = [(path, width, language) for language in ("en", "fa")
             for path in ("scorecard", "strategy-map", "data") for width in (1280, 1920)]


@pytest.mark.parametrize("path,width,language", FIT_CASES)
def test_no_table_scrolls_sideways_or_is_clipped(server, signed_in, path, width, language):
    page = _open(signed_in, f"{server}/{path}", width, language)
    page.wait_for_function(f"({FITS})().length > 0", timeout=90_000)  # a loaded machine may still be drawing
    seen = _tables(page, required=True)
    tabs = page.get_by_role("tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        seen += _tables(page)
    assert seen, "no table on the page"
    assert not [t for t in seen if t["scrolls"] or t["clipped"]], seen


@pytest.mark.parametrize("path", list(PAGES))
def test_every_screen_in_persian_is_right_to_left(server, signed_in, path, artifacts):
    page = _open(signed_in, f"{server}/{path}", 1280, "fa")
    page.wait_for_timeout(1_000)
    (artifacts / "persian").mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "persian" / f"{path}.png"), full_page=True)
    sidebar = page.locator("[data-testid='stSidebar']").bounding_box()
    main = page.locator(".stMainBlockContainer").bounding_box()
    assert sidebar["x"] >= main["x"] + main["width"] - 1, "the sidebar is not on the right"
    assert page.locator("[data-testid='stException']").count() == 0
    headers = page.locator(".fit-table thead th")
    if headers.count() > 1:  # columns mirrored: the first column is the rightmost
        first, last = headers.first.bounding_box(), headers.last.bounding_box()
        assert first["x"] > last["x"]


def test_printing_the_scorecard_leaves_out_the_furniture_and_keeps_perspectives_together(server, signed_in, artifacts):
    page = _open(signed_in, f"{server}/scorecard", 1280, "en")
    try:
        page.locator(".fit-table").first.wait_for(timeout=60_000)
        page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1_000)
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['stSidebar', 'stHeader', 'stButtonGroup'].map(id =>
            [...document.querySelectorAll(`[data-testid=${id}]`)].every(e => getComputedStyle(e).display === 'none'))""")
        assert all(hidden)
        groups = page.evaluate("() => [...document.querySelectorAll('.fit-table tbody')].map(b => getComputedStyle(b).breakInside)")
        assert len(groups) == 7 and set(groups) == {"avoid"}  # the overall row and six perspectives
        page.pdf(path=str(artifacts / "scorecard-print.pdf"), format="A4", print_background=True)
    finally:
        page.emulate_media(media="null")  # the page serves the next test on screen


def test_deep_links_open_their_screen_on_a_fresh_server(browser, tmp_path):
    """Each screen's URL opened first, starting with /overview on a server whose database is still empty."""
    with serve(f"sqlite:///{tmp_path / 'fresh.db'}", tmp_path / "server.log") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(NOT_FOUND_WATCH)  # on every page the context loads
        page = context.new_page()
        try:
            for number, (path, title) in enumerate(PAGES.items()):
                if number == 0:
                    load(page, f"{url}/{path}")  # the sign-in screen first, then the deep link's screen
                    assert session_cookie(context, page), "no session cookie after signing in"
                else:  # a new Streamlit session, signed in by its cookie (#22), opening the URL first
                    reopen(page, f"{url}/{path}")
                assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip() == title, f"/{path}"
                assert not page.evaluate("() => window.__notFound === true"), f"/{path}: 'Page not found'"
                assert page.url.rstrip("/").endswith(f"/{path}")
            reopen(page, f"{url}/")
            assert page.url.endswith("/overview")  # the root opens the Overview at its own address
        finally:
            context.close()
    assert Path(tmp_path / "fresh.db").exists()


UNBROKEN = """() => {
  const cards = [...document.querySelectorAll('[data-testid=stMetric]')].filter(e => e.offsetParent !== null);
  const problems = [];
  for (const card of cards) {
    for (const part of card.querySelectorAll('[data-testid=stMetricLabel] p, [data-testid=stMetricValue] div, [data-testid=stMetricValue]')) {
      if (part.scrollWidth > part.clientWidth + 1) problems.push({cut: part.innerText});
    }
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) problems.push({split: match[0]});
      }
    }
  }
  return {cards: cards.length, problems};
}"""


def _cards(page, at_least: int) -> dict:
    """The cards' check, taken in the same moment as at least ``at_least`` cards are drawn (a loaded machine
    may still be redrawing them between a wait and a separate look)."""
    found = page.wait_for_function(f"(() => {{ const seen = ({UNBROKEN})(); return seen.cards >= {at_least} && seen; }})",
                                   timeout=90_000)
    return found.json_value()


@pytest.mark.parametrize("width,language", [(width, language) for language in ("en", "fa") for width in (1280, 1920)])
def test_meeting_mode_cards_never_break_a_word(server, signed_in, width, language):
    """Score cards and meeting mode's KPI cards: no word split over two lines, no value cut off."""
    page = _open(signed_in, f"{server}/scorecard", width, language)  # a new session: meeting mode off
    strip = _cards(page, 7)  # the score strip, drawn in the chosen language
    page.get_by_text({"en": "Meeting mode", "fa": "حالت جلسه"}[language], exact=True).click()
    page.get_by_text({"en": "Perspective 1 of 6", "fa": "بعد ۱ از ۶"}[language]).wait_for(timeout=60_000)
    # Meeting mode draws more cards than the strip's seven score cards. The strip's own count is racy
    # (other metrics further down may or may not be drawn yet), so compare with the seven it must show.
    page.wait_for_timeout(300)
    meeting = _cards(page, 8)
    assert strip["cards"] >= 7 and meeting["cards"] > 7
    assert not strip["problems"] and not meeting["problems"], (strip["problems"], meeting["problems"])

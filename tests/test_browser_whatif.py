"""End to end in Chromium, English and Persian: the executive plays with the What-if page and the strategy team
promotes one of her scenarios after reviewing its preview.

Maryam (executive) raises the Revenue target, moves a driver of Revenue (Penetration rate) and sees Revenue's
expected actual and chance rise, each table agreeing with the others; asks what it would take to reach a Revenue
target with an 80 % chance, applies two answers and saves each as a scenario; compares them. Sara (CRM strategy
team) previews one and makes its targets official, which the database shows (raw SQL).
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import create_engine, text

from tests.test_browser import _act_as, _choose, _idle, _translator, load, own_server  # noqa: F401 (a fixture)

SEEK_TARGET = 18_500          # $k: above the raised target (18,000); the forecast alone gives it less than 80 %
ASKED = 80                    # % (the goal seek's default chance)
DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬−", "01234567890123456789.,-")
MARKS = re.compile("[\u200e\u200f\u2066-\u2069\u061c]")


def _number(text: str) -> float:
    """The first number in a cell as the app writes it, in either language ("+$1,234k", "‎−۱٬۲۳۴ هزار دلار")."""
    plain = MARKS.sub("", text).translate(DIGITS).replace(",", "")
    found = re.search(r"-?\d+(?:\.\d+)?", plain.replace("$-", "-$").replace("$", ""))
    assert found, f"no number in {text!r}"
    return float(found.group())


def _table(page, header: str) -> list[dict[str, str]]:
    """The rows of the fitted HTML table with column ``header`` (first cell by its full name), by column."""
    return page.evaluate("""header => {
        for (const table of document.querySelectorAll('table')) {
            const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
            if (!heads.includes(header)) continue;
            return [...table.querySelectorAll('tbody tr')].map(tr => Object.fromEntries(
                [...tr.querySelectorAll('td')].map((td, i) => [heads[i], i === 0 ? (td.title || td.innerText).trim()
                                                                                 : td.innerText.trim()])));
        }
        return [];
    }""", header)


def _row(page, header: str, first: str, name: str) -> dict[str, str]:
    """The row named ``name`` (in column ``first``) of the table with column ``header``, once it shows."""
    page.wait_for_function("""([header, first, name]) => [...document.querySelectorAll('table')].some(t =>
        [...t.querySelectorAll('thead th')].some(th => th.innerText.trim() === header)
        && [...t.querySelectorAll('tbody tr td:first-child')].some(td => (td.title || td.innerText).trim() === name))""",
                           arg=[header, first, name], timeout=60_000)
    return next(row for row in _table(page, header) if row[first] == name)


def _settled(page, header: str, first: str, name: str, column: str, value: float, tolerance: float) -> dict[str, str]:
    """The row once its ``column`` shows ``value`` (a slider's rerun redraws the tables a moment later)."""
    for _ in range(120):
        rows = [row for row in _table(page, header) if row.get(first) == name]
        if rows and abs(_number(rows[0][column]) - value) <= tolerance:
            return rows[0]
        page.wait_for_timeout(250)
    raise AssertionError(f"{name}'s {column} never showed {value}: {rows}")


def _slider(page, key: str):
    """A slider's hidden range input (the thumb the keyboard moves) by its widget key."""
    return page.locator(f".st-key-{key} input[type=range]").first


def _press(page, key: str, keys: list[str]) -> None:
    """Focus a slider's thumb and press ``keys``, waiting for the page to settle after each."""
    thumb = _slider(page, key)
    thumb.wait_for(state="attached", timeout=60_000)
    for name in keys:
        before = thumb.input_value()
        thumb.focus()
        page.keyboard.press(name)
        page.wait_for_function("([el, v]) => el.value !== v", arg=[thumb.element_handle(), before], timeout=30_000)
        _idle(page)


def _label(page, key: str) -> str:
    return MARKS.sub("", page.locator(f".st-key-{key} [data-testid='stWidgetLabel']").first.inner_text())


def _kpis(url: str) -> dict[str, tuple[int, str]]:
    """KPI name → (id, Persian name), raw SQL."""
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, name, name_fa FROM kpi")).all()
    engine.dispose()
    return {name: (kpi_id, name_fa or name) for kpi_id, name, name_fa in rows}


def _standing_target(url: str, kpi_id: int) -> float:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(
            "SELECT t.value FROM target t JOIN segment s ON s.id = t.segment_id "
            "WHERE t.kpi_id = :kpi AND s.name = 'All' AND t.period IS NULL"), {"kpi": kpi_id}).scalar_one()
    engine.dispose()
    return float(value)


def _saved_targets(url: str, name: str) -> dict[str, float]:
    engine = create_engine(url)
    with engine.connect() as connection:
        overrides = connection.execute(text("SELECT overrides FROM scenario WHERE name = :name"),
                                       {"name": name}).scalar_one()
    engine.dispose()
    overrides = json.loads(overrides) if isinstance(overrides, str) else overrides
    return {str(k): float(v) for k, v in overrides["targets"].items()}


def _saved(url: str, name: str) -> bool:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT count(*) FROM scenario WHERE name = :name"), {"name": name}).scalar_one()
    engine.dispose()
    return found == 1


def _save(page, tr, url: str, name: str) -> None:
    """Save the sliders as scenario ``name``; its toast shows and its row is in the database."""
    page.get_by_role("tab", name=tr("Save"), exact=True).click()
    page.get_by_label(tr("Scenario name")).fill(name)
    page.get_by_role("button", name=tr("Save scenario")).click()
    page.get_by_text(tr("Scenario saved.")).first.wait_for(timeout=30_000)
    for _ in range(120):                              # an earlier save's toast may still show: the row says
        if _saved(url, name):
            break
        page.wait_for_timeout(250)
    assert _saved(url, name)
    _idle(page)


def _pick(page, picker, option: str) -> None:
    """Add an option to a multiselect (the list may still be open from the last pick, or closed by its rerun)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(4):
        if not page.get_by_role("option").filter(has_text=option).count():
            picker.locator("input").first.click()
        try:
            page.get_by_role("option").filter(has_text=option).first.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
    _idle(page)
    picker.get_by_text(option).first.wait_for(timeout=30_000)           # its chip


def _apply(page, rank: int) -> None:
    page.locator(f".st-key-whatif_seek_apply_{rank} button:visible").first.click()
    _idle(page)


@pytest.mark.parametrize("language", ["en", "fa"])
def test_an_executive_plays_seeks_saves_and_compares_and_the_strategy_team_promotes(own_server, own_url, page,
                                                                                    artifacts, language):
    tr = _translator(language)
    kpis = _kpis(own_url)
    name = (lambda kpi: kpis[kpi][1]) if language == "fa" else (lambda kpi: kpi)
    revenue, penetration = kpis["Revenue"][0], kpis["Penetration rate"][0]
    official_revenue_target = _standing_target(own_url, revenue)
    load(page, f"{own_server}/what-if", user="maryam")
    if language == "fa":
        _choose(page, page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first, "فارسی")
        page.locator("[data-testid='stMain'] h1").filter(has_text=tr("What-if")).wait_for(timeout=60_000)
        # A slider writes its own numbers in Latin digits only: in Persian they are hidden, the labels say the values.
        # (Waits first: the English run's sliders may still be on the screen for a moment.)
        horizon = page.locator(".st-key-whatif_horizon [data-testid='stWidgetLabel']").filter(has_text=re.compile("[۰-۹]"))
        horizon.first.wait_for(timeout=60_000)
        assert not re.search("[0-9]", MARKS.sub("", horizon.first.inner_text()))
        thumb = page.locator(f".st-key-whatif_target_All_{revenue} [data-testid='stSliderThumbValue']").first
        thumb.wait_for(state="attached", timeout=60_000)
        thumb.wait_for(state="hidden", timeout=60_000)
        assert thumb.count() and not thumb.is_visible()
        # The month and the KPI chips chosen in English are written in Persian after the switch (the browser kept a
        # picker's shown labels when only its format_func changed: "2026-10" and English chips stayed).
        month = page.locator("[class*='st-key-whatif_period'] input").first.input_value()
        assert re.search("[۰-۹]{4}", month) and not re.search("[0-9]", month), month
        chips = MARKS.sub("", page.locator("[class*='st-key-whatif_kpis']").first.inner_text())
        assert name("Revenue") in chips and "Revenue" not in chips, chips

    # 1. A harder Revenue target (twenty $100k steps up): its scenario chance falls below the official one.
    _press(page, f"whatif_target_All_{revenue}", ["ArrowRight"] * 20)
    raised = float(_slider(page, f"whatif_target_All_{revenue}").input_value())
    assert raised == pytest.approx(official_revenue_target + 20 * 100, abs=100)   # on a $100k step
    start = _settled(page, tr("Chance (scenario)"), tr("KPI"), name("Revenue"), tr("Scenario target"), raised, 0.5)
    assert _number(start[tr("Chance (scenario)")]) < _number(start[tr("Chance (official)")])
    assert _number(start[tr("Expected (scenario)")]) == _number(start[tr("Expected (official)")])   # no driver moved yet
    assert _number(start[tr("Expected (scenario)")]) < _number(start[tr("Scenario target")])

    # 2. Penetration rate (a driver of Revenue with a positive estimated effect) up ten steps.
    _press(page, f"whatif_change_All_{penetration}", ["ArrowRight"] * 10)
    change = float(_slider(page, f"whatif_change_All_{penetration}").input_value())
    assert change > 0
    official = _number(_row(page, tr("Chance (scenario)"), tr("KPI"), name("Penetration rate"))[tr("Expected (official)")])
    # The driver's own expected actual moves by the slider's change (written to 0.1 pt).
    _settled(page, tr("Chance (scenario)"), tr("KPI"), name("Penetration rate"), tr("Expected (scenario)"),
             official + change, 0.051 + 1e-9)
    moved = _row(page, tr("Expected (scenario)"), tr("KPI"), name("Revenue"))
    shift = _number(moved[tr("Expected (scenario)")]) - _number(moved[tr("Expected (official)")])
    assert shift > 0                                          # a positive effect raises the expected actual ...
    assert _number(moved[tr("Expected (scenario)")]) < _number(moved[tr("Scenario target")])
    assert _number(moved[tr("Chance (scenario)")]) > _number(start[tr("Chance (scenario)")])  # ... and, below it, the chance
    knock_on = _row(page, tr("Expected change"), tr("KPI"), name("Revenue"))
    assert _number(knock_on[tr("Expected change")]) == pytest.approx(shift, abs=1.0)   # $k written to the unit
    changes = _row(page, tr("Scenario actual"), tr("Scorecard item"), name("Revenue"))
    assert (_number(changes[tr("Scenario actual")]) - _number(changes[tr("Official actual")])
            == pytest.approx(shift, abs=1.0))
    page.screenshot(path=str(artifacts / f"whatif-driver-{language}.png"), full_page=False)

    # 3. What would it take to reach $18,000k with an 80 % chance?
    page.locator(".st-key-whatif_seek").scroll_into_view_if_needed()
    target_label = _label(page, f"whatif_seek_target_All_{revenue}")
    assert "$k" not in target_label or language == "en"
    assert target_label == tr("Target ({unit})").format(unit="$k" if language == "en" else "هزار دلار")
    box = page.locator(f".st-key-whatif_seek_target_All_{revenue} input")
    box.fill(str(SEEK_TARGET))
    box.press("Enter")
    _idle(page)
    page.locator(".st-key-whatif_seek button:visible").first.click()
    page.locator(".st-key-whatif_seek_apply_1 button:visible").first.wait_for(timeout=60_000)
    answer = page.locator(".st-key-whatif_outcome").inner_text()
    assert " a 80" not in answer
    sizes = [_number(s) for s in re.findall(r"([\d۰-۹.٫]+)\s*σ", MARKS.sub("", answer))]
    assert len(sizes) >= 2 and sizes[:-1] == sorted(sizes[:-1])   # easiest (fewest σ) first; the shared row last
    page.screenshot(path=str(artifacts / f"whatif-seek-{language}.png"), full_page=False)

    # 4. Apply the first answer: Revenue's chance is the asked one (within 2 points); the slider shows what was applied.
    _apply(page, 0)                                  # the whole answer lands in one rerun, the target with it
    applied = _settled(page, tr("Chance (scenario)"), tr("KPI"), name("Revenue"), tr("Scenario target"), SEEK_TARGET, 0)
    assert abs(_number(applied[tr("Chance (scenario)")]) - ASKED) <= 2
    moved_sliders = page.evaluate("""() => [...document.querySelectorAll("[class*='st-key-whatif_change_All_'] input[type=range]")]
        .filter(i => Number(i.value) !== 0).map(i => ({value: i.value, step: i.step, min: i.min}))""")
    assert len(moved_sliders) == 1
    value, step, low = (float(moved_sliders[0][k]) for k in ("value", "step", "min"))
    assert abs((value - low) / step - round((value - low) / step)) < 1e-6        # on the slider's step
    _save(page, tr, own_url, "Stretch A")

    _apply(page, 1)
    assert abs(_number(_row(page, tr("Chance (scenario)"), tr("KPI"), name("Revenue"))[tr("Chance (scenario)")])
               - ASKED) <= 2
    _save(page, tr, own_url, "Stretch B")

    # 5. Compare the two: their Revenue targets and the official one, with units.
    page.get_by_role("tab", name=tr("Compare"), exact=True).click()
    picker = page.locator(".st-key-whatif_compare")
    for scenario in ("Stretch A", "Stretch B"):
        _pick(page, picker, scenario)
    page.keyboard.press("Escape")              # close the list: while open, it hides the rest from the accessibility tree
    page.get_by_role("listbox").wait_for(state="hidden", timeout=10_000)
    compared = _row(page, tr("{scenario}: target").format(scenario="Stretch A"), tr("Scorecard item"), name("Revenue"))
    assert _number(compared[tr("{scenario}: target").format(scenario="Stretch A")]) == SEEK_TARGET
    assert _number(compared[tr("{scenario}: target").format(scenario="Stretch B")]) == SEEK_TARGET
    assert _number(compared[tr("{scenario}: target").format(scenario=tr("Official"))]) == round(official_revenue_target)
    page.screenshot(path=str(artifacts / f"whatif-compare-{language}.png"), full_page=False)
    assert _saved_targets(own_url, "Stretch A") == {str(revenue): SEEK_TARGET}

    # 6. Sara (strategy team) reviews Stretch A's preview and makes its targets official.
    _act_as(page, "sara", tr)
    page.get_by_role("tab", name=tr("Saved scenarios"), exact=True).click()
    chooser = page.locator(".st-key-whatif_saved_choice")
    if "Stretch A" not in chooser.inner_text():
        _choose(page, chooser, "Stretch A")                  # the newest (Stretch B) is chosen first
    page.locator(".st-key-whatif_promote button:visible").first.click()
    preview = _row(page, tr("New target"), tr("KPI"), name("Revenue"))
    assert _number(preview[tr("Old target")]) == round(official_revenue_target)
    assert _number(preview[tr("New target")]) == SEEK_TARGET
    assert _standing_target(own_url, revenue) == official_revenue_target      # nothing written before confirming
    page.screenshot(path=str(artifacts / f"whatif-preview-{language}.png"), full_page=False)
    page.locator(".st-key-whatif_promote_confirm button:visible").first.click()
    page.get_by_text(tr("The scenario's targets are now the official ones (audited).")).wait_for(timeout=30_000)
    assert _standing_target(own_url, revenue) == SEEK_TARGET
    assert page.locator("[data-testid='stException']").count() == 0

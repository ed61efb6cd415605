"""The What-if page under AppTest: sliders change the outcome; scenarios are saved, reopened,
compared and promoted with the right permissions, and saving never touches official targets."""

from __future__ import annotations

import re

import pytest

from data import repository
from data.db import make_engine
from data.scenarios import scenarios
from tests.apptest import html_tables, kpi_id, ok, sign_in, start

PAGE = "screens/whatif.py"


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column: str):
    """The first table on the page (a data grid or a fitted HTML table) with ``column``."""
    frames = [frame.value for frame in at.dataframe] + html_tables(at)
    return next(frame for frame in frames if column in frame.columns)


def _percent(text: str) -> float:
    return float(text.rstrip(" %"))


def _standing_target(engine, kpi: int, segment: str = "All") -> float:
    targets = repository.targets(engine)
    row = targets[(targets["kpi_id"] == kpi) & (targets["segment"] == segment) & targets["period"].isna()]
    return float(row["value"].iloc[0])


def _move_and_save(at, kpi: int, name: str, end: str = "min") -> float:
    """Move a KPI's target slider to one end, save the sliders as a scenario; returns the new target."""
    slider = at.slider(key=f"whatif_target_All_{kpi}")
    slider.set_value(getattr(slider, end))
    ok(at.run())
    chosen = at.slider(key=f"whatif_target_All_{kpi}").value
    at.text_input(key="whatif_save_name").input(name)
    at.button(key="FormSubmitter:whatif_save-Save scenario").click()
    ok(at.run())
    return chosen


def test_moving_a_target_changes_statuses_and_shows_its_chance(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, PAGE, monkeypatch)
    assert _metric(at, "Scores moved") == "0"
    retention = kpi_id(sqlite_engine, "Retention rate")
    slider = at.slider(key=f"whatif_target_All_{retention}")
    slider.set_value(slider.max)                                   # a much harder retention target
    ok(at.run())
    assert int(_metric(at, "Scores moved")) >= 1
    changes = _table(at, "Scorecard item")
    assert "Retention rate" in set(changes["Scorecard item"])
    chances = _table(at, "Chance (scenario)")
    row = chances[chances["KPI"] == "Retention rate"].iloc[0]
    assert _percent(row["Chance (scenario)"]) < _percent(row["Chance (official)"])  # higher target, lower chance
    assert at.get("plotly_chart"), "the prediction band is drawn"


def _persian(text: str) -> str:  # Persian digits and separators, as the Persian UI writes numbers (by hand)
    return text.translate(str.maketrans("0123456789,.", "۰۱۲۳۴۵۶۷۸۹٬٫"))


def test_slider_labels_show_the_moved_value_with_its_unit_in_either_language(sqlite_url, sqlite_engine, monkeypatch):
    revenue, clv = kpi_id(sqlite_engine, "Revenue"), kpi_id(sqlite_engine, "Customer lifetime value")
    official = _standing_target(sqlite_engine, revenue)
    at = start(sqlite_url, PAGE, monkeypatch)
    slider = at.slider(key=f"whatif_target_All_{revenue}")
    assert slider.label.startswith(f"**Revenue** target **${official:,.0f}k** (official ${official:,.0f}k; actual $")
    slider.set_value(slider.max)
    ok(at.run())
    moved = at.slider(key=f"whatif_target_All_{revenue}")
    assert moved.label.startswith(f"**Revenue** target **${moved.value:,.0f}k** (official ${official:,.0f}k")
    change = at.slider(key=f"whatif_change_All_{clv}")              # a driver: its assumed change names its unit
    assert change.label == "**Customer lifetime value** assumed change in the actual, in $: **$0.00**"
    persian = start(sqlite_url, PAGE, monkeypatch, language="fa")
    label = persian.slider(key=f"whatif_target_All_{revenue}").label
    assert _persian(f"{official:,.0f}") + "\u00a0هزار\u00a0دلار" in label.replace(" ", "\u00a0")
    assert not any(digit in label for digit in "0123456789")


def test_a_new_target_that_leaves_the_score_alone_is_listed_but_not_counted_as_a_score_move(sqlite_url, sqlite_engine,
                                                                                             monkeypatch):
    at = start(sqlite_url, PAGE, monkeypatch)
    revenue = kpi_id(sqlite_engine, "Revenue")
    slider = at.slider(key=f"whatif_target_All_{revenue}")
    slider.set_value(slider.value + 15 * slider.step)     # still below the actual: the score stays at its cap
    ok(at.run())
    assert _metric(at, "Scores moved") == "0"
    assert "Revenue" in set(_table(at, "Scorecard item")["Scorecard item"])


def test_moving_a_driver_shows_what_follows_with_a_band(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, PAGE, monkeypatch)
    service = kpi_id(sqlite_engine, "Tickets resolved within SLA")
    slider = at.slider(key=f"whatif_change_All_{service}")
    slider.set_value(slider.max)
    ok(at.run())
    knock_on = _table(at, "Expected change")
    follows = knock_on["KPI"].tolist()
    assert "Customer lifetime value" in follows and "Retention rate" in follows
    assert all("…" in band for band in knock_on["90% band"])
    chances = _table(at, "Expected (scenario)")                    # the moved actuals' chances include the shift
    row = chances[chances["KPI"] == "Customer lifetime value"].iloc[0]
    assert row["Expected (scenario)"] != row["Expected (official)"]
    assert row["Official target"] == row["Scenario target"]


def test_an_executive_saves_and_reopens_a_scenario_without_changing_targets(own_url, monkeypatch):
    engine = make_engine(own_url)
    retention = kpi_id(engine, "Retention rate")
    official = _standing_target(engine, retention)
    at = start(own_url, PAGE, monkeypatch, user="maryam")
    chosen = _move_and_save(at, retention, "Easier retention")
    saved = scenarios(engine)
    assert saved["name"].tolist() == ["Easier retention"] and saved["author"].tolist() == ["maryam"]
    assert _standing_target(engine, retention) == official
    at.slider(key=f"whatif_target_All_{retention}").set_value(official)
    ok(at.run())
    at.button(key="whatif_reopen").click()
    ok(at.run())
    assert at.slider(key=f"whatif_target_All_{retention}").value == chosen


def test_only_the_strategy_team_promotes_a_scenario(own_url, monkeypatch):
    engine = make_engine(own_url)
    retention = kpi_id(engine, "Retention rate")
    at = start(own_url, PAGE, monkeypatch, user="maryam")
    new_target = _move_and_save(at, retention, "Realistic retention")
    assert at.button(key="whatif_promote").disabled and "may not" in at.button(key="whatif_promote").help
    assert _standing_target(engine, retention) != new_target
    ok(sign_in(at, "sara"))
    at.button(key="whatif_promote").click()
    ok(at.run())
    assert _standing_target(engine, retention) != new_target  # a preview first
    at.button(key="whatif_promote_confirm").click()
    ok(at.run())
    assert _standing_target(engine, retention) == new_target
    assert repository.audit_log(engine).iloc[0]["action"] == "promote"


def test_two_saved_scenarios_are_compared_side_by_side(own_url, monkeypatch):
    engine = make_engine(own_url)
    retention, revenue = kpi_id(engine, "Retention rate"), kpi_id(engine, "Revenue")
    at = start(own_url, PAGE, monkeypatch, user="maryam")
    for name, kpi in (("Retention push", retention), ("Revenue push", revenue)):
        _move_and_save(at, kpi, name, end="max")
    at.multiselect(key="whatif_compare").set_value(scenarios(engine)["id"].tolist())
    ok(at.run())
    table = _table(at, "Retention push: status")
    assert {"Retention push: status", "Revenue push: score"} <= set(table.columns)
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download Excel"]


def test_a_scenario_left_at_the_official_values_is_not_saved(own_url, monkeypatch):
    at = start(own_url, PAGE, monkeypatch, user="maryam")
    at.text_input(key="whatif_save_name").input("Nothing moved")
    at.button(key="FormSubmitter:whatif_save-Save scenario").click()
    ok(at.run())
    assert any("official values" in w.value for w in at.warning)
    assert scenarios(make_engine(own_url)).empty


def test_what_it_would_take_applies_to_the_sliders_and_gives_the_asked_chance(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, PAGE, monkeypatch)
    lifetime = kpi_id(sqlite_engine, "Customer lifetime value")
    at.selectbox(key="whatif_seek_kpi").set_value(lifetime)
    ok(at.run())
    target_box = at.number_input(key=f"whatif_seek_target_All_{lifetime}")
    target_box.set_value(target_box.value * 1.05)
    ok(at.run())
    at.button(key="whatif_seek").click()
    ok(at.run())
    at.button(key="whatif_seek_apply_0").click()
    ok(at.run())
    assert any(s.value != 0 for s in at.slider if s.key and s.key.startswith("whatif_change_All_"))
    chances = _table(at, "Chance (scenario)")
    row = chances[chances["KPI"] == "Customer lifetime value"].iloc[0]
    assert abs(_percent(row["Chance (scenario)"]) - 80) <= 2          # the asked 80 %, within 2 points


DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬−", "0123456789.,-")


def _first_number(text: str) -> float:
    """The first number written in ``text``, in either language's digits (bidi marks and separators dropped)."""
    plain = re.sub("[\u200e\u200f\u2066-\u2069]", "", text).translate(DIGITS).replace(",", "")
    return float(re.search(r"-?\d+(?:\.\d+)?", plain.replace("$", "")).group())


def _seek(at, kpi: int, target: float):
    """Ask what it would take for ``kpi`` to reach ``target`` (80 %)."""
    at.selectbox(key="whatif_seek_kpi").set_value(kpi)
    ok(at.run())
    at.number_input(key=f"whatif_seek_target_All_{kpi}").set_value(target)
    ok(at.run())
    at.button(key="whatif_seek").click()
    return ok(at.run())


def test_in_persian_the_seek_names_its_unit_in_persian(sqlite_url, sqlite_engine, monkeypatch):
    at = start(sqlite_url, PAGE, monkeypatch, language="fa")             # Revenue is the first KPI to seek for
    revenue = kpi_id(sqlite_engine, "Revenue")
    assert at.number_input(key=f"whatif_seek_target_All_{revenue}").label == "هدف (هزار دلار)"    # not "$k"


def test_an_applied_answer_sits_on_its_sliders_step_and_shows_the_number_the_answer_gave(sqlite_url, sqlite_engine,
                                                                                        monkeypatch):
    revenue = kpi_id(sqlite_engine, "Revenue")
    at = _seek(start(sqlite_url, PAGE, monkeypatch), revenue, 18_000)
    answer = next(m.value for m in at.markdown if m.value.startswith(("Customer", "Penetration", "CRM", "Tickets",
                                                                      "Opportunity", "Retention", "Highly")))
    at.button(key="whatif_seek_apply_0").click()
    ok(at.run())
    moved = [s for s in at.slider if s.key and s.key.startswith("whatif_change_All_") and s.value != 0]
    assert len(moved) == 1
    slider = moved[0]
    positions = (slider.value - slider.min) / slider.proto.step
    assert positions == pytest.approx(round(positions), abs=1e-6)            # on one of the slider's positions
    assert _first_number(answer) == pytest.approx(slider.value)               # the answer said what the slider shows
    assert _first_number(slider.label.split("**")[-2]) == pytest.approx(slider.value)
    assert at.slider(key=f"whatif_target_All_{revenue}").value == 18_000


def test_the_seek_ranks_the_fewest_sigmas_first_and_says_so_in_plain_english(sqlite_url, sqlite_engine, monkeypatch):
    at = _seek(start(sqlite_url, PAGE, monkeypatch), kpi_id(sqlite_engine, "Revenue"), 18_000)
    intro = next(c.value for c in at.caption if c.value.startswith("Each change below"))
    assert "chance of 80% of reaching $18,000k" in intro and " a 80" not in intro
    sizes = [float(c.value.split(" σ")[0]) for c in at.caption if " σ of its history · " in c.value]
    alone = sizes[:-1]                                                        # the last is the shared move
    assert len(alone) >= 2 and alone == sorted(alone)
    words = {"a usual": 1, "a large": 2, "a rare": 3, "beyond three": 4}     # harder words never come first
    ranks = [next(rank for start_, rank in words.items() if c.value.split(" · ")[1].startswith(start_))
             for c in at.caption if " σ of its history · " in c.value][:-1]
    assert ranks == sorted(ranks)


def test_kpis_chosen_before_a_language_switch_are_read_back_from_their_labels(sqlite_engine):
    # After a switch of language the KPI picker hands back the labels it showed before (English or Persian
    # "objective › KPI"), not the KPI ids; written back as they came, they broke the next rerun (the walk in
    # tests/test_browser_whatif.py, Persian, at Apply). AppTest cannot hand back labels, so the reading is tested here.
    from sqlalchemy import text

    from ui.whatif.panels import kpi_ids, label_ids

    with sqlite_engine.connect() as connection:
        labels = {name: (kpi, f"{objective} › {name}", f"{objective_fa} › {name_fa}") for kpi, name, name_fa, objective,
                  objective_fa in connection.execute(text(
                      "SELECT k.id, k.name, k.name_fa, o.name, o.name_fa FROM kpi k JOIN objective o ON o.id = k.objective_id"))}
    revenue, penetration, win = labels["Revenue"], labels["Penetration rate"], labels["Opportunity win rate"]
    chosen = [revenue[1], penetration[2], win[0], revenue[0], "Gone › Deleted KPI"]   # English, Persian, an id, twice
    assert kpi_ids(chosen, label_ids(repository.scorecard_definition(sqlite_engine))) == [revenue[0], penetration[0], win[0]]


def test_a_driver_change_past_what_it_can_take_is_named_and_not_offered(sqlite_url, sqlite_engine, monkeypatch):
    # Customer lifetime value 30 % above its target: Retention rate stands near 99 % in the demo, so any change of it
    # that gets there alone passes 100 % (the goal seek's own arithmetic is checked by hand in tests/test_goalseek.py).
    lifetime = kpi_id(sqlite_engine, "Customer lifetime value")
    at = start(sqlite_url, PAGE, monkeypatch)
    at.selectbox(key="whatif_seek_kpi").set_value(lifetime)
    ok(at.run())
    _seek(at, lifetime, at.number_input(key=f"whatif_seek_target_All_{lifetime}").value * 1.3)
    beyond = [c.value for c in at.caption if c.value.startswith("Would need a value they cannot take")]
    assert len(beyond) == 1 and "Retention rate" in beyond[0], [c.value for c in at.caption]
    offered = [m.value for m in at.markdown if "Retention rate" in m.value and "σ" not in m.value]
    assert not [text for text in offered if "+" in text], offered   # no "Retention rate +19 pts" row to apply



def test_an_assumed_change_slider_stops_where_the_share_would_pass_100(sqlite_url, sqlite_engine, monkeypatch):
    from sqlalchemy import text

    retention = kpi_id(sqlite_engine, "Retention rate")
    with sqlite_engine.connect() as connection:
        month, actual = connection.execute(text(
            "SELECT m.period, m.actual FROM measurement m JOIN segment s ON s.id = m.segment_id "
            "WHERE m.kpi_id = :kpi AND s.name = 'All' ORDER BY m.period DESC LIMIT 1"), {"kpi": retention}).one()
    at = start(sqlite_url, PAGE, monkeypatch)
    slider = at.slider(key=f"whatif_change_All_{retention}")
    assert at.session_state["whatif_period"] == month                      # the newest month, the page's default
    assert actual + slider.max <= 100.0 + 1e-9                             # a retention rate cannot pass 100 %
    assert actual + slider.max + slider.proto.step > 100.0 - 1e-9          # and the last step before it is there
    assert slider.min < 0



def test_a_return_target_may_pass_100_but_a_share_target_may_not(sqlite_url, sqlite_engine, monkeypatch):
    # Campaign ROI (return / cost × 100) may pass 100 %: its demo target stands above it, and every "%" target
    # slider used to stop at 100, so it could not be raised at all. A share of counted units (Retention rate) stops.
    from sqlalchemy import text

    roi, retention = kpi_id(sqlite_engine, "Campaign ROI"), kpi_id(sqlite_engine, "Retention rate")
    with sqlite_engine.connect() as connection:
        standing = connection.execute(text(
            "SELECT t.value FROM target t JOIN segment s ON s.id = t.segment_id "
            "WHERE t.kpi_id = :kpi AND s.name = 'All' AND t.period IS NULL"), {"kpi": roi}).scalar_one()
    assert standing > 100
    at = start(sqlite_url, PAGE, monkeypatch)
    at.multiselect(key="whatif_kpis").set_value([roi, retention])
    ok(at.run())
    roi_slider = at.slider(key=f"whatif_target_All_{roi}")
    assert roi_slider.value == pytest.approx(standing) and roi_slider.max > standing    # it can be raised
    assert at.slider(key=f"whatif_target_All_{retention}").max <= 100.0


def test_a_thumb_writes_an_off_step_target_as_the_label_does(sqlite_url, sqlite_engine, monkeypatch):
    # CRM information access rate: official target 99.5 % on a slider of whole-point steps; its thumb read "100%"
    # while the label said 99.5 %. Revenue's $15,960.32k on $100k steps reads $15960k (the label: $15,960k).
    access, revenue = kpi_id(sqlite_engine, "CRM information access rate"), kpi_id(sqlite_engine, "Revenue")
    at = start(sqlite_url, PAGE, monkeypatch)
    access_slider = at.slider(key=f"whatif_target_All_{access}")
    assert access_slider.proto.step == 1 and access_slider.value == pytest.approx(99.5)
    assert access_slider.proto.format == "%.1f%%"
    assert at.slider(key=f"whatif_target_All_{revenue}").proto.format == "$%.0fk"

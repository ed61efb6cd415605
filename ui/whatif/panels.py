"""The what-if playground: target and driver sliders beside the scenario's outcome.

The scenario lives in session state, one widget key per KPI and segment, so the save form,
the saved-scenario list and a reopened scenario all read and write the same values. Moving a
slider reruns only :func:`playground` (an ``st.fragment``).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from scorecard import FIT_HORIZON, UNITS, LinkEffect, assumed_effect, default_decimals, kpi_history_figure, unit_name
from scorecard.forecast import SEASONAL_POINTS, Predictive
from scorecard import goalseek
from scorecard import whatif as engine
from ui.components import charts, tables
from ui.components.pickers import carried_over
from ui.core import loaders
from ui.core.format import chance, delta_style, number, number_style, period_label, score, signed
from ui.core.i18n import is_rtl, language, localized, report_name, separator, steady_style, t
from ui.core.messages import explain
from ui.scorecard.kpi_panels import model_words
from ui.whatif import loaders as whatif_loaders

LEVEL = 0.90  # width of the band shown for knock-on effects
OUTCOME_KEY = "whatif_outcome"
# On a wide screen the outcome column stays in view (scrolling on its own if taller than the window)
# while the sliders beside it scroll; the KPI picker's chips show whole names, wrapped, never cut.
PAGE_CSS = """<style>
  @media (min-width: 768px) {
    [data-testid="stColumn"]:has(.st-key-whatif_outcome) { position: sticky; top: 3.75rem; align-self: flex-start;
        max-height: calc(100vh - 4.5rem); overflow-y: auto; }
  }
  [class*="st-key-whatif_kpis"] div { max-height: none !important; }
  [class*="st-key-whatif_kpis"] span { max-width: 100%; height: auto; white-space: normal; overflow-wrap: anywhere; }
</style>"""
# A slider writes its own numbers (its thumb and its ends) in Latin digits only: in Persian the labels carry the
# values as the app writes them, and the sliders' own numbers are hidden.
PERSIAN_SLIDERS_CSS = """<style>
  [class*="st-key-whatif_"] [data-testid="stSliderThumbValue"],
  [class*="st-key-whatif_"] [data-testid="stSliderTickBar"] { visibility: hidden; }
</style>"""


def page_style() -> None:
    """The What-if page's style: the outcome column stays in view, the KPI chips are never cut; in Persian the
    sliders' Latin numbers give way to their labels'."""
    st.html(PAGE_CSS)
    if is_rtl():
        st.html(PERSIAN_SLIDERS_CSS)


def target_key(segment: str, kpi_id: int) -> str:
    return f"whatif_target_{segment}_{kpi_id}"


def change_key(segment: str, kpi_id: int) -> str:
    return f"whatif_change_{segment}_{kpi_id}"


def assumptions_key(segment: str) -> str:
    return f"whatif_assumptions_{segment}"


def _editor_key(segment: str) -> str:
    return f"whatif_links_{segment}"


def month_picker(key: str, container=st) -> str:
    """Pick a month, newest first (targets are monthly, so a what-if is too)."""
    months = sorted(loaders.measurements()["period"].dropna().unique())[::-1]
    return container.selectbox(t("Month"), months, format_func=period_label, key=carried_over(key))


def label_ids(definition: pd.DataFrame) -> dict[str, int]:
    """Each KPI's picker label ("objective › KPI") in either language, to its id."""
    return {f"{localized(row, 'objective', code)} › {localized(row, 'kpi', code)}": int(row["kpi_id"])
            for _, row in definition.iterrows() for code in ("en", "fa")}


def kpi_ids(chosen: list, labels: dict[str, int]) -> list[int]:
    """The chosen KPIs as ids. After a switch of language the picker hands back the labels it showed
    (in the other language), which name the same KPIs; a label naming no KPI is left out."""
    read = (labels.get(item) if isinstance(item, str) else int(item) for item in chosen)
    return [kpi for kpi in dict.fromkeys(read) if kpi is not None]


def show_kpis(*kpis: int, key: str = "whatif_kpis") -> None:
    """Add KPIs to the picker's choice (a callback's), keeping the ones chosen, as ids."""
    key = carried_over(key)
    chosen = kpi_ids(st.session_state.get(key, []), label_ids(loaders.definition()))
    st.session_state[key] = list(dict.fromkeys([*chosen, *kpis]))


def kpi_choice(key: str) -> list[int]:
    """Pick the KPIs to play with; each objective's headline KPI by default."""
    definition = loaders.definition()
    labels = {int(row["kpi_id"]): f"{localized(row, 'objective')} › {localized(row, 'kpi')}"
              for _, row in definition.iterrows()}
    ids = label_ids(definition)

    def label(item) -> str:   # an id, or a label the picker showed in the other language
        return labels.get(ids.get(item) if isinstance(item, str) else item, str(item))

    key = carried_over(key)
    st.session_state.setdefault(key, list(whatif_loaders.headline_kpis().values()))
    return kpi_ids(st.multiselect(t("KPIs to play with"), list(labels), format_func=label, key=key,
                                  help=t("Each objective's headline KPI is chosen to start with.")), ids)


def _step(span: float) -> float:
    """A round slider step giving about a hundred positions over ``span``."""
    return 10.0 ** math.floor(math.log10(span / 100)) if span > 0 else 1.0


def _spread(centre: float, spread: float) -> float:
    """A slider's spread: the KPI's own, or a tenth of the value (at least 1) for a KPI that never varied."""
    return spread if spread > 0 else max(abs(centre) * 0.1, 1.0)


def slider_step(centre: float, spread: float) -> float:
    """The step of a slider around ``centre`` (a target, or 0 for an assumed change)."""
    return _step(6 * _spread(centre, spread))


def on_step(value: float, step: float) -> float:
    """``value`` at the nearest position of a slider with ``step`` (its ends are multiples of the step too)."""
    return round(round(value / step) * step, 10)


def _bounds(centre: float, spread: float, possible: tuple[float, float] = (-math.inf, math.inf)
            ) -> tuple[float, float, float]:
    """Slider range around a value: three spreads either side, within the values the KPI can take (a share
    0–100 %; a return on investment may pass 100 %)."""
    spread, step = _spread(centre, spread), slider_step(centre, spread)
    low, high = math.floor((centre - 3 * spread) / step) * step, math.ceil((centre + 3 * spread) / step) * step
    if math.isfinite(possible[0]):
        low = max(low, math.ceil(possible[0] / step) * step)
    if math.isfinite(possible[1]):
        high = min(high, math.floor(possible[1] / step) * step)
    return round(low, 10), round(high, 10), step


def _thumb_format(unit: str, step: float, value: float) -> str:
    """The slider's own number (a printf pattern) to its step's decimals, or the value's as the app writes it if
    more ("%.0f" for a step of 100, so an official target of 15,960.32 reads 15960 on its thumb; 99.5 % on a
    step of 1 stays 99.5 %, not 100 %): with the unit in English ("$%.0fk", "%.1f%%"); bare in Persian, where it
    is hidden (:data:`PERSIAN_SLIDERS_CSS`) and the label writes the value."""
    decimals = max(-math.floor(math.log10(step)) if step > 0 else 0, default_decimals(value, unit), 0)
    places = f"%.{decimals}f"
    if language() != "en" or unit not in UNITS:
        return places
    return UNITS[unit][0].replace("%", "%%").replace("{n}", places)


def _slider(label: str, key: str, default: float, low: float, high: float, step: float, unit: str) -> float:
    """A slider whose value lives in session state (so a reopened scenario can set it); ``label`` is a
    template with ``{value}``, filled in with the current value as the app writes it."""
    value = st.session_state.setdefault(key, default)
    low, high = min(low, value), max(high, value)
    # The value is passed although the key holds it: without one, Streamlit scans the whole
    # session state on every slider to learn whether it is a range (quadratic in the KPIs).
    return st.slider(label, low, high, value=value, step=step, key=key, format=_thumb_format(unit, step, value))


def _change_bounds(spread: float, actual: float | None, possible: tuple[float, float]) -> tuple[float, float, float]:
    """An assumed change's slider range: three spreads either way, but never past the values the KPI can take
    from its actual (a share of 98.9 % may rise by 1.1 pts at most)."""
    if pd.isna(actual):
        return _bounds(0.0, spread)
    low, high, step = _bounds(0.0, spread, (possible[0] - actual, possible[1] - actual))
    return (low, high, step) if low < high else _bounds(0.0, spread)


def _kpi_sliders(row: dict, words: dict[str, str], segment: str, spread: float, is_driver: bool,
                 possible: tuple[float, float]) -> None:
    """A KPI's target slider and, for a driver, its change slider, each labelled with its current value.

    One widget per slider and no card around it: a page holds up to every KPI, and each
    element costs a slider move its time.
    """
    kpi_id, unit = int(row["kpi_id"]), row["unit"] or ""
    state = st.session_state
    if pd.notna(row["target"]):
        key = target_key(segment, kpi_id)
        low, high, step = _bounds(float(row["target"]), spread, possible)
        label = t("**{kpi}** target **{value}** (official {target}; actual {actual})",
                  value=number(state.get(key, row["target"]), unit), **words)
        _slider(label, key, float(row["target"]), low, high, step, unit)
    if is_driver:
        key = change_key(segment, kpi_id)
        low, high, step = _change_bounds(spread, row["actual"], possible)
        template = ("**{kpi}** assumed change in the actual, in {unit}: **{value}**" if words["unit"]
                    else "**{kpi}** assumed change in the actual: **{value}**")
        _slider(t(template, value=signed(state.get(key, 0.0), unit), **words), key, 0.0, low, high, step,
                "pts" if unit == "%" else unit)


def kpi_controls(cards: dict[int, dict], period: str, segment: str, kpi_ids: list[int], drivers: set[int]) -> None:
    """The chosen KPIs' sliders under their perspectives' names, in scorecard order."""
    spreads, words = whatif_loaders.spreads(segment), whatif_loaders.slider_words(period, segment, *number_style())
    possible = whatif_loaders.value_ranges()
    chosen, perspective = set(kpi_ids), None
    for kpi_id, card in cards.items():
        if kpi_id not in chosen:
            continue
        if card["perspective"] != perspective:
            perspective = card["perspective"]
            st.markdown(f"##### {localized(card, 'perspective')}")
        _kpi_sliders(card, words[kpi_id], segment, spreads.get(kpi_id, 0.0), kpi_id in drivers,
                     possible.get(kpi_id, (-math.inf, math.inf)))


RULES_OF_THUMB = ("Rules of thumb from the source documents: keeping a customer costs 6–7 times less than winning "
                  "one; the chance of selling to an existing customer is 60–70 %, to a new one 5–25 %; a loyal "
                  "customer's revenue is on average 10 times the first purchase.")


def _link_frame(names: dict[int, str], effects: dict, assumed: dict) -> pd.DataFrame:
    records = []
    for (cause, effect), fit in effects.items():
        own = assumed.get((cause, effect))
        records.append({"cause": cause, "effect": effect, "link": f"{names[cause]} → {names[effect]}",
                        "estimated": fit.slope, "low": fit.ci_low, "high": fit.ci_high, "lag": fit.lag,
                        "use_own": own is not None, "own_slope": own.slope if own else None,
                        "own_low": own.ci_low if own else None, "own_high": own.ci_high if own else None,
                        "note": own.note if own else ""})
    return pd.DataFrame(records)


def _assumptions(edited: pd.DataFrame) -> dict[tuple[int, int], LinkEffect]:
    """The ticked rows as assumed effects; a row that does not make sense is named and left out."""
    assumed = {}
    for _, row in edited[edited["use_own"]].iterrows():
        try:
            values = [float(row[c]) if pd.notna(row[c]) else float("nan") for c in ("own_slope", "own_low", "own_high")]
            assumed[(int(row["cause"]), int(row["effect"]))] = assumed_effect(*values, str(row["note"] or ""))
        except ValueError as exc:
            st.error(f"{row['link']}: {explain(exc)}", icon=":material/error:")
    return assumed


def link_assumptions(period: str, segment: str) -> None:
    """Each link's effect as estimated from history; tick a row to use your own slope and interval instead.

    Outside the playground fragment: an edit reruns the page (the playground with it), while a
    slider move does not redraw this table.
    """
    effects = whatif_loaders.link_effects(segment)
    names = {kpi_id: localized(card, "kpi") for kpi_id, card in whatif_loaders.kpi_cards(period, segment).items()}
    with st.expander(t("Link effects (estimated from history, or your own assumption)")):
        st.caption(t("Change in the effect KPI per unit change of the cause KPI, with its 95 % interval.") + " "
                   + t(RULES_OF_THUMB))
        number_column = st.column_config.NumberColumn
        edited = st.data_editor(
            _link_frame(names, effects, st.session_state.get(assumptions_key(segment), {})),
            key=_editor_key(segment), hide_index=True, width="stretch",
            disabled=["link", "estimated", "low", "high", "lag"],
            column_order=["link", "estimated", "low", "high", "lag", "use_own", "own_slope", "own_low", "own_high", "note"],
            column_config={"link": t("Cause → effect"), "estimated": number_column(t("Estimated slope"), format="%.3g"),
                           "low": number_column(t("95% CI low"), format="%.3g"),
                           "high": number_column(t("95% CI high"), format="%.3g"), "lag": t("Lag (months)"),
                           "use_own": st.column_config.CheckboxColumn(t("Use my assumption")),
                           "own_slope": number_column(t("My slope")), "own_low": number_column(t("My low")),
                           "own_high": number_column(t("My high")), "note": t("Why")})
    st.session_state[assumptions_key(segment)] = _assumptions(edited) if len(edited) else {}


def current_scenario(rows: pd.DataFrame, segment: str) -> engine.Scenario:
    """The scenario the sliders describe: targets that differ from the official ones, non-zero changes."""
    state = st.session_state
    targets = {int(k): float(state[target_key(segment, k)]) for k, official in zip(rows["kpi_id"], rows["target"])
               if target_key(segment, k) in state and not math.isclose(state[target_key(segment, k)], official)}
    changes = {int(k): float(state[change_key(segment, k)]) for k in rows["kpi_id"]
               if state.get(change_key(segment, k), 0.0) != 0.0}
    return engine.Scenario(targets=targets, changes=changes, assumptions=dict(state.get(assumptions_key(segment), {})))


def reopen(saved: dict) -> None:
    """Put a saved scenario back on the sliders (its month, segment and KPIs); a button's on_click callback."""
    chosen = engine.Scenario.from_dict(saved)
    segment = saved["segment"]
    for key in [k for k in st.session_state if str(k).startswith(("whatif_target_", "whatif_change_"))]:
        del st.session_state[key]
    st.session_state["whatif_period"] = st.session_state["whatif_period_fa"] = saved["period"]
    st.session_state["whatif_segment"] = st.session_state["whatif_segment_fa"] = segment
    for kpi_id, value in chosen.targets.items():
        st.session_state[target_key(segment, kpi_id)] = value
    for kpi_id, value in chosen.changes.items():
        st.session_state[change_key(segment, kpi_id)] = value
    st.session_state[assumptions_key(segment)] = dict(chosen.assumptions)
    st.session_state.pop(_editor_key(segment), None)
    touched = set(chosen.targets) | set(chosen.changes)
    show_kpis(*touched)


def _actual_cell(value: float, unit: str) -> tables.Cell:
    return tables.Cell(number(value, unit) if pd.notna(value) else "", css="num")


def _change_row(row: dict, units: dict[int, str]) -> list[tables.Cell]:
    """An item's statuses and scores, and for a KPI its actual, official beside scenario (why a status turned)."""
    change = row["score_change"]
    unit = units.get(int(row["kpi_id"]), "") if row["level"] == "kpi" and pd.notna(row.get("kpi_id")) else ""
    return [tables.abbreviated(report_name(row)), _actual_cell(row["actual"], unit),
            _actual_cell(row["scenario_actual"], unit), tables.status_cell(row["status"], t(row["status"])),
            tables.status_cell(row["scenario_status"], t(row["scenario_status"])),
            tables.Cell(score(row["score"]), css="num"), tables.bar(row["scenario_score"], score(row["scenario_score"])),
            tables.Cell(signed(change, decimals=1) if pd.notna(change) else "", css="num")]


_CHANGE_COLUMNS = {"level", "name", "kpi_id", "actual", "scenario_actual", "status", "scenario_status", "score",
                   "scenario_score", "score_change"}  # what a row of the changes table reads (and the names' *_fa)


def _changes_table(comparison: pd.DataFrame, cards: dict[int, dict], show_all: bool) -> None:
    """The scorecard items the scenario moves (or every item), official beside scenario, as a fitting table."""
    needed = comparison[[c for c in comparison.columns if c in _CHANGE_COLUMNS or c.endswith("_fa")]]
    shown = needed if show_all else needed[comparison["changed"].to_numpy(dtype=bool)]
    if shown.empty:
        st.info(t("No status or score changes yet: move a slider."))
        return
    header = ["Scorecard item", "Official actual", "Scenario actual", "Official status", "Scenario status",
              "Official score", "Scenario score", "Change"]
    units = {kpi_id: card["unit"] or "" for kpi_id, card in cards.items()}
    tables.show([t(h) for h in header], [_change_row(row, units) for row in shown.to_dict("records")],
                numeric=[1, 2, 5, 6, 7], row_classes=[f"level-{level}" for level in shown["level"]])


def _headline(comparison: pd.DataFrame) -> None:
    level = comparison["level"].to_numpy()
    overall = comparison.loc[level == "overall", ["scenario_score", "score_change"]].iloc[0]
    kpis = comparison.loc[level == "kpi", ["status", "scenario_status"]]
    first, second, third = st.columns(3)
    first.metric(t("Overall score"), score(overall["scenario_score"]),
                 signed(overall["score_change"], decimals=1) if pd.notna(overall["score_change"]) else None, border=True,
                 **delta_style(overall["score_change"]),
                 help=t("The whole scorecard's score under the scenario, and its change from the official score."))
    second.metric(t("Status changes"), number((kpis["status"] != kpis["scenario_status"]).sum(), decimals=0),
                  border=True)
    moved = (comparison["score_change"].abs() >= engine.SCORE_MOVE).sum()  # a new target alone need not move a score
    third.metric(t("Scores moved"), number(moved, decimals=0), border=True,
                 help=t("Scorecard items whose score moved by {points} points or more.", points=number(engine.SCORE_MOVE)))


def _chance_cell(probability: float) -> tables.Cell:
    return tables.bar(probability * 100 if pd.notna(probability) else None, chance(probability))


def _outlook_row(card: dict, seen: engine.Outlook | None, new_target: float) -> list[tables.Cell]:
    """A KPI's row: targets, expected actuals (official forecast, scenario) and the chance of meeting each target."""
    unit = card["unit"] or ""
    cells = [tables.abbreviated(localized(card, "kpi")), tables.Cell(number(card["target"], unit), css="num"),
             tables.Cell(number(new_target, unit), css="num")]
    if seen is None:  # too short a history to forecast
        return cells + [tables.Cell("—", css="num")] * 2 + [_chance_cell(float("nan"))] * 2
    band = t("± {sd} (standard error of the assumed and knock-on changes)", sd=number(seen.shift_sd, unit))
    return cells + [tables.Cell(number(seen.official_expected, unit), css="num"),
                    tables.Cell(number(seen.scenario_expected, unit), css="num", title=band if seen.shift_sd else ""),
                    _chance_cell(seen.official_chance), _chance_cell(seen.scenario_chance)]


def _moved_kpis(cards: dict[int, dict], chosen: engine.Scenario, moved: dict[int, tuple[float, float]]) -> list[int]:
    """The KPIs with a target whose target or expected actual the scenario moves, in scorecard order."""
    return [kpi_id for kpi_id, card in cards.items()
            if (kpi_id in chosen.targets or kpi_id in moved) and pd.notna(card["target"])]


def _outlooks(cards: dict[int, dict], chosen: engine.Scenario, moved: dict[int, tuple[float, float]],
              fits: dict[int, Predictive | None], horizon: int) -> dict[int, engine.Outlook | None]:
    """The outlook of each KPI in ``fits`` (its fitted forecast by id; None for too short a history)."""
    outlooks = {}
    for kpi_id, fitted in fits.items():
        card = cards[kpi_id]
        shift, shift_sd = moved.get(kpi_id, (0.0, 0.0))
        outlooks[kpi_id] = None if fitted is None else engine.outlook(
            fitted, horizon, card["direction"], float(card["target"]), chosen.targets.get(kpi_id, float(card["target"])),
            shift, shift_sd)
    return outlooks


def _basis(months: int, horizon: int) -> str:
    """What the chances rest on (``months``: the longest history among them), in a sentence an executive reads (no
    model names)."""
    pattern = t("trend and season") if months >= SEASONAL_POINTS else t("trend")
    return t("Chances {h} months ahead, based on the last {months} months' {pattern}, plus the scenario's assumed "
             "and knock-on changes with their uncertainty.", h=number(horizon, decimals=0),
             months=number(months, decimals=0), pattern=pattern)


def _models(cards: dict[int, dict], fits: dict[int, Predictive | None]) -> None:
    """The forecast models behind each chance, for those who ask (inside an expander)."""
    with st.expander(t("How the chances are worked out")):
        st.caption(t("Each KPI's forecast weighs several models by how well they fit its history; the scenario's "
                     "changes are added with their own uncertainty, independent of the forecast's."))
        for kpi_id, fitted in fits.items():
            if fitted is not None:
                st.markdown(f"- **{localized(cards[kpi_id], 'kpi')}**: {model_words(fitted.model)}")


def _feasibility(cards: dict[int, dict], chosen: engine.Scenario, moved: dict[int, tuple[float, float]], segment: str,
                 horizon: int) -> None:
    """Each moved target's and moved actual's chance ``horizon`` months ahead, official beside scenario."""
    kpi_ids = _moved_kpis(cards, chosen, moved)
    if not kpi_ids:
        st.caption(t("Move a target or a driver to see how likely the targets are to be met."))
        return
    fits = {kpi_id: whatif_loaders.predictive(kpi_id, segment) for kpi_id in kpi_ids}  # one loader call each per move
    outlooks = _outlooks(cards, chosen, moved, fits, horizon)
    header = ["KPI", "Official target", "Scenario target", "Expected (official)", "Expected (scenario)",
              "Chance (official)", "Chance (scenario)"]
    tables.show([t(h) for h in header], [_outlook_row(cards[kpi_id], seen, chosen.targets.get(kpi_id, cards[kpi_id]["target"]))
                                         for kpi_id, seen in outlooks.items()], numeric=[1, 2, 3, 4, 5, 6])
    months = whatif_loaders.history_months(segment)
    st.caption(_basis(max(months.get(kpi_id, 0) for kpi_id in kpi_ids), horizon))
    _models(cards, fits)
    names = {kpi_id: localized(cards[kpi_id], "kpi") for kpi_id in outlooks}
    shown = st.selectbox(t("Prediction band for"), list(names), format_func=names.get, key="whatif_band_kpi")
    if whatif_loaders.forecast_band(shown, segment, horizon) is not None:
        charts.show_built(_band_figure, loaders.version_key(loaders.SCORECARD), shown, segment, horizon,
                          chosen.targets.get(shown, cards[shown]["target"]), names[shown], width="stretch",
                          key="whatif_band_chart")


def _band_figure(version: tuple, kpi_id: int, segment: str, horizon: int, target: float, title: str):
    """A KPI's history, forecast band and target; ``version`` (the loaders' :func:`~ui.core.cache.version_key`)
    keys the built figure by the data it shows, which is cheaper than hashing that data on every move."""
    return kpi_history_figure(loaders.history(kpi_id, segment), target,
                              whatif_loaders.forecast_band(kpi_id, segment, horizon), title=title, tr=t)


def _knock_on(cards: dict[int, dict], propagation: pd.DataFrame) -> None:
    """Downstream effects of the driver changes, each with its band."""
    downstream = propagation[propagation["propagated"]]
    if downstream.empty:
        st.caption(t("Move a driver's actual to see what follows along the strategy map."))
        return
    header = [t("KPI"), t("Expected change"), t("{level:.0%} band", level=LEVEL)]
    tables.show(header, [[tables.abbreviated(localized(cards[k], "kpi")),
                          tables.Cell(signed(mean, cards[k]["unit"]), css="num"),
                          tables.Cell(f"{signed(low, cards[k]['unit'])} … {signed(high, cards[k]['unit'])}", css="num")]
                         for k, mean, low, high in downstream[["node", "mean", "lower", "upper"]].itertuples(index=False)],
                numeric=[1, 2])


SEEK_ANSWER, SEEK_RERUN = "whatif_seek_answer", "whatif_seek_rerun"


def apply_move(segment: str, kpi_id: int, target: float, changes: dict[int, float]) -> None:
    """Put a goal seek's answer on the sliders (an Apply button's callback): its target, its changes, other drivers at 0."""
    state = st.session_state
    for key in [k for k in state if str(k).startswith(f"whatif_change_{segment}_")]:
        state[key] = 0.0
    state[target_key(segment, kpi_id)] = target
    for driver, change in changes.items():
        state[change_key(segment, driver)] = change
    show_kpis(kpi_id, *changes)
    state[SEEK_RERUN] = True   # the KPI list lives outside this fragment: rerun the page


def _move_words(changes: dict[int, float], cards: dict[int, dict]) -> str:
    return t(" and ").join(t("{kpi} {change}", kpi=localized(cards[d], "kpi"), change=signed(c, cards[d]["unit"] or ""))
                           for d, c in changes.items())


def _stepped(move: goalseek.Move, segment: str) -> dict[int, float]:
    """The move's changes at their sliders' positions: what Apply sets and the slider then shows."""
    spreads = whatif_loaders.spreads(segment)
    return {driver: on_step(change, slider_step(0.0, spreads.get(driver, 0.0))) for driver, change in move.changes.items()}


def _feasible_words(move: goalseek.Move) -> str:
    """The move's size in σ and what such a change is in its driver's history (the words follow the σ)."""
    size = t("{sigmas} σ of its history", sigmas=number(move.sigmas, decimals=1))
    months = number(move.months, decimals=0)
    if move.feasibility == "usual":
        words = t("a usual change: within one σ of the last {months} months", months=months)
    elif move.feasibility == "large":
        words = t("a large change for the last {months} months", months=months)
    elif move.feasibility == "rare":
        words = t("a rare change: two to three σ of the last {months} months", months=months)
    else:
        words = t("beyond three σ: a change hardly ever seen in {months} months", months=months)
    return f"{size} · {words}"


def _move_row(move: goalseek.Move, cards: dict[int, dict], segment: str, kpi_id: int, target: float, key: str) -> None:
    words, size, button = st.columns([5, 4, 1.4], vertical_alignment="center")
    changes = _stepped(move, segment)
    words.markdown(_move_words(changes, cards))
    size.caption(_feasible_words(move))
    button.button(t("Apply"), key=key, on_click=apply_move, args=(segment, kpi_id, target, changes),
                  help=t("Set the sliders to this change (other drivers back to 0)."))


def _seek_inputs(cards: dict[int, dict], candidates: list[int], segment: str) -> tuple[int, float, float]:
    names = {kpi_id: localized(cards[kpi_id], "kpi") for kpi_id in candidates}
    kpi_column, target_column, chance_column = st.columns(3)
    kpi_id = kpi_column.selectbox(t("KPI"), candidates, format_func=names.get, key=carried_over("whatif_seek_kpi"))
    card = cards[kpi_id]
    default = float(st.session_state.get(target_key(segment, kpi_id), card["target"]))
    unit = unit_name(card["unit"] or "", language())
    target = target_column.number_input(t("Target ({unit})", unit=unit) if unit else t("Target"), value=default,
                                        key=f"whatif_seek_target_{segment}_{kpi_id}", format="%g")
    asked = st.session_state.get("whatif_seek_chance", round(goalseek.CHANCE * 100))
    wanted = chance_column.slider(t("Chance wanted: **{chance}**", chance=chance(asked / 100)), 50, 95,
                                  round(goalseek.CHANCE * 100), step=5, key="whatif_seek_chance")
    step = slider_step(float(card["target"]), whatif_loaders.spreads(segment).get(kpi_id, 0.0))
    return kpi_id, on_step(float(target), step), wanted / 100   # the target as its slider will hold it


def goal_seek_panel(cards: dict[int, dict], segment: str, horizon: int, edges: dict) -> None:
    """What would it take: for a KPI and a target, each driver's change alone and a shared one, each with Apply."""
    st.subheader(t("What would it take?"))
    reached = {effect for _, effect in edges}
    candidates = [k for k in cards if k in reached and pd.notna(cards[k]["target"])]
    if not candidates:
        st.caption(t("No KPI on this scorecard has drivers along the strategy map."))
        return
    kpi_id, target, wanted = _seek_inputs(cards, candidates, segment)
    asked = (segment, kpi_id, target, wanted, horizon)
    if st.button(t("Work it out"), icon=":material/calculate:", key="whatif_seek"):
        fitted = whatif_loaders.predictive(kpi_id, segment)
        histories = {cause: loaders.history(cause, segment) for cause, _ in edges}
        st.session_state[SEEK_ANSWER] = (asked, None if fitted is None else goalseek.goal_seek(
            fitted, horizon, cards[kpi_id]["direction"], target, kpi_id, edges, histories, wanted,
            ranges=whatif_loaders.value_ranges()))
    shown, answer = st.session_state.get(SEEK_ANSWER, (None, None))
    if shown != asked:
        st.caption(t("Choose a KPI, a target and the chance you want, then work out which driver changes would give it."))
        return
    if answer is None:
        st.warning(t("Too short a history to forecast this KPI."))
    elif answer.already is not None:
        st.success(t("No change needed: the chance is already {chance}.", chance=chance(answer.already)))
    else:
        _answer_rows(answer, cards, segment, kpi_id, target, wanted)


def _answer_rows(answer: goalseek.Answer, cards: dict[int, dict], segment: str, kpi_id: int, target: float,
                 wanted: float) -> None:
    st.caption(t("Each change below, on its own, gives a chance of {chance} of reaching {target} in the chosen "
                 "months; the smallest change for its driver's history (the fewest σ) first.",
                 chance=chance(wanted), target=number(target, cards[kpi_id]["unit"] or "")))
    for rank, move in enumerate(answer.alone[:5]):
        _move_row(move, cards, segment, kpi_id, target, f"whatif_seek_apply_{rank}")
    if answer.shared is not None:
        st.markdown(t("**Shared**: every driver moves by the same multiple of its own σ."))
        _move_row(answer.shared, cards, segment, kpi_id, target, "whatif_seek_apply_shared")
    if answer.beyond_range:
        st.caption(t("Would need a value they cannot take (a share above 100 %, a count below 0): {kpis}.",
                     kpis=separator().join(localized(cards[k], "kpi") for k in answer.beyond_range)))
    if answer.out_of_reach:
        st.caption(t("Too uncertain to reach that chance alone, however far they move: {kpis}.",
                     kpis=separator().join(localized(cards[k], "kpi") for k in answer.out_of_reach)))
    if not (answer.alone or answer.shared):
        st.warning(t("No driver along the strategy map can give that chance."))


@loaders.fragment
def playground(period: str, segment: str, kpi_ids: list[int]) -> None:
    """Sliders on the left; on the right, what the scenario changes, how likely it is, what follows, what it would take."""
    if st.session_state.pop(SEEK_RERUN, False):
        st.rerun(scope="app")
    with steady_style():   # a slider move writes hundreds of strings and numbers, all in one language
        _playground(period, segment, kpi_ids)


def _playground(period: str, segment: str, kpi_ids: list[int]) -> None:
    rows, cards = loaders.kpi_rows(period, segment), whatif_loaders.kpi_cards(period, segment)
    effects = whatif_loaders.link_effects(segment)
    controls, outcome = st.columns([2, 3], gap="large")
    with controls:
        st.subheader(t("Targets and drivers"))
        months = number(st.session_state.get("whatif_horizon", 3), decimals=0)
        horizon = st.slider(t("Feasibility horizon: **{months}** months", months=months), 1, FIT_HORIZON, 3,
                            key="whatif_horizon")  # one fit serves all
        kpi_controls(cards, period, segment, kpi_ids, {cause for cause, _ in effects})
    chosen = current_scenario(rows, segment)
    try:
        result = engine.evaluate(rows, chosen, effects, loaders.scoring_config(), level=LEVEL,
                                 official=loaders.report(period, segment))
    except ValueError as exc:
        outcome.error(explain(exc), icon=":material/error:")
        return
    with outcome, st.container(key=OUTCOME_KEY):
        st.subheader(t("Scenario against the official scorecard"))
        _headline(result.comparison)
        _changes_table(result.comparison, cards, st.toggle(t("Show every scorecard item"), key="whatif_show_all"))
        st.subheader(t("How likely are the targets?"))
        _feasibility(cards, chosen, engine.shifts(result.propagation), segment, horizon)
        st.subheader(t("What follows along the strategy map"))
        _knock_on(cards, result.propagation)
        goal_seek_panel(cards, segment, horizon, {**effects, **chosen.assumptions})

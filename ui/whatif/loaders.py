"""What-if loaders: KPI cards and slider labels, the strategy map's link effects, forecasts, saved scenarios."""

from __future__ import annotations

import threading

import pandas as pd

import services
from data import scenarios as scenario_store
from data.metrics import value_range
from scorecard import LinkEffect, unit_name, whatif
from scorecard.forecast import FIT_HORIZON, Predictive, forecast
from scorecard.forecast import predictive as fitted_predictive
from ui.core.cache import SCORECARD, cached, db
from ui.core.format import number
from ui.core.i18n import localized
from ui.core.loaders import definition, history, kpi_rows, measurements, tables

CARD_FIELDS = ["kpi_id", "kpi", "kpi_fa", "perspective", "perspective_fa", "unit", "direction", "actual", "target"]


@cached(areas=SCORECARD)
def kpi_cards(period: str, segment: str) -> dict[int, dict]:
    """Each KPI's name, perspective, unit, direction, actual and target by id, in scorecard order (plain dicts:
    the page reads them on every slider move)."""
    rows = kpi_rows(period, segment)
    return {int(card["kpi_id"]): card for card in rows[[c for c in CARD_FIELDS if c in rows]].to_dict("records")}


@cached(areas=SCORECARD)
def slider_words(period: str, segment: str, language_code: str, persian_digits: bool) -> dict[int, dict[str, str]]:
    """Each KPI's slider label words: its name, official target and actual formatted with the unit, and the
    unit of an assumed change ("$k", "pts" for a percentage). ``language_code`` and ``persian_digits``
    (:func:`ui.core.format.number_style`) key the cache (the formatting reads them from the session)."""
    return {kpi_id: {"kpi": localized(card, "kpi"), "target": number(card["target"], card["unit"] or ""),
                     "actual": number(card["actual"], card["unit"] or ""),
                     "unit": unit_name("pts" if card["unit"] == "%" else card["unit"] or "", language_code)}
            for kpi_id, card in kpi_cards(period, segment).items()}


@cached(areas=SCORECARD)
def spreads(segment: str) -> dict[int, float]:
    """Each KPI's month-to-month spread in a segment (standard deviation of its actuals), for slider ranges."""
    mine = measurements()[measurements()["segment"] == segment]
    return {int(k): float(v) for k, v in mine.groupby("kpi_id")["actual"].std(ddof=1).fillna(0.0).items()}


@cached(areas=SCORECARD)
def value_ranges() -> dict[int, tuple[float, float]]:
    """The values each KPI can take (low, high) by its metric (:func:`data.metrics.value_range`)."""
    kpis = definition()
    return {int(k): value_range(m if isinstance(m, str) else None) for k, m in zip(kpis["kpi_id"], kpis["metric"])}


@cached(areas=SCORECARD)
def history_months(segment: str) -> dict[int, int]:
    """Each KPI's number of months with an actual in a segment (the length of :func:`ui.core.loaders.history`);
    a KPI without any is left out."""
    mine = measurements()[measurements()["segment"] == segment].dropna(subset=["actual"])
    return {int(k): int(n) for k, n in mine.groupby("kpi_id").size().items()}


@cached(areas=SCORECARD)
def headline_kpis() -> dict[str, int]:
    """Each objective's headline KPI (the one with the largest weight)."""
    return whatif.headline_kpis(definition())


@cached(areas=SCORECARD)
def link_effects(segment: str) -> dict[tuple[int, int], LinkEffect]:
    """Each strategy-map link as an effect between its objectives' headline KPIs, estimated from history."""
    return services.link_effects(tables(), segment)


_prefit_lock = threading.Lock()
_prefitting: dict[str, threading.Thread] = {}


def _fit_each(histories: list[pd.Series]) -> None:
    for series in histories:
        try:
            fitted_predictive(series, FIT_HORIZON)  # cached by the forecast module for every later call
        except ValueError:
            continue


def prefit(kpi_ids: list[int], segment: str) -> threading.Thread:
    """Fit the chosen KPIs' forecasts in a background thread, so a first target move finds them ready.

    One thread per segment and KPI set; a page rerun with the same choice starts none.
    """
    key = f"{db().url}:{segment}:{sorted(kpi_ids)}"
    with _prefit_lock:
        if key not in _prefitting:
            if len(_prefitting) > 256:
                _prefitting.clear()
            histories = [history(kpi_id, segment) for kpi_id in kpi_ids]
            _prefitting[key] = threading.Thread(target=_fit_each, args=(histories,), daemon=True,
                                                name=f"prefit {segment}")
            _prefitting[key].start()
        return _prefitting[key]


@cached(areas=SCORECARD)
def predictive(kpi_id: int, segment: str) -> Predictive | None:
    """One KPI's fitted predictive distributions a year ahead (None for a history too short to forecast).

    The feasibility table asks it for every changed target's chance (:meth:`Predictive.probability`):
    one fit and one cached call per KPI, whatever the targets and the horizon.
    """
    try:
        return fitted_predictive(history(kpi_id, segment), FIT_HORIZON)
    except ValueError:
        return None


@cached(areas=SCORECARD)
def forecast_band(kpi_id: int, segment: str, horizon: int) -> pd.DataFrame | None:
    """The forecast with its 80 % and 95 % bands (None for a history too short to forecast)."""
    try:
        return forecast(history(kpi_id, segment), horizon)
    except ValueError:
        return None


@cached(areas=("scorecard", "scenarios"))
def promotion_preview(scenario_id: int) -> list[scenario_store.TargetChange]:
    """The standing targets promoting a saved scenario would change, old → new (nothing written)."""
    return scenario_store.promotion_preview(db(), scenario_id)


@cached
def saved_scenarios() -> pd.DataFrame:
    """Saved scenarios, newest first."""
    return scenario_store.scenarios(db())

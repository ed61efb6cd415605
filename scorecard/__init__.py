"""Balanced-scorecard domain: scoring, periods, the scored report, forecasts, signals, link evidence,
what-if scenarios, number formatting and figures. File formats live in :mod:`scorecard.io`.

Pure Python (pandas, statsmodels, plotly); never imports streamlit or ``data/``. Public names are
re-exported here and load on first use (PEP 562), so that a command or a module that needs only the
scoring does not wait for statsmodels and plotly. A name is never re-exported over a submodule of the
same name, so both ``scorecard.forecast.probability_of_target`` and ``from scorecard import
probability_of_target`` work.
"""

from __future__ import annotations

import importlib

_HOMES: dict[str, str] = {
    **dict.fromkeys(('kpi_baseline',), "scorecard.baseline"),
    **dict.fromkeys((
        'kpi_history_figure', 'link_style', 'node_positions', 'sparkline', 'sparkline_points', 'status_color',
        'strategy_map_figure',
    ), "scorecard.charts"),
    **dict.fromkeys((
        'FIT_HORIZON', 'monthly_history', 'Predictive', 'predictive', 'probability_of_target',
    ), "scorecard.forecast"),
    **dict.fromkeys((
        'assumed_effect', 'estimate_effect', 'link_evidence', 'LinkEffect', 'LinkEvidence', 'VERDICTS',
    ), "scorecard.links"),
    **dict.fromkeys(('meeting_table',), "scorecard.meeting"),
    **dict.fromkeys((
        'default_decimals', 'format_probability', 'format_score', 'format_value', 'localize_digits', 'unit_name',
        'UNITS',
    ), "scorecard.numbers"),
    **dict.fromkeys(('kpi_outlook', 'Outlook'), "scorecard.outlook"),
    **dict.fromkeys((
        'aggregate_kpi', 'aggregate_measurements', 'AGGREGATIONS', 'CALENDARS', 'GRAINS', 'jalali_label',
        'JALALI_MONTHS_EN', 'JALALI_MONTHS_FA', 'month_label', 'months_in', 'months_to_date', 'parse_period',
        'Period', 'period_of', 'period_options', 'previous', 'to_jalali_month', 'year_ago',
    ), "scorecard.periods"),
    **dict.fromkeys(('TerminalProgress',), "scorecard.progress"),
    **dict.fromkeys((
        'aggregate_status', 'amber_limit', 'kpi_score', 'kpi_scores', 'kpi_status', 'kpi_statuses', 'METHODS',
        'score_kpis', 'score_scorecard', 'ScoringConfig', 'STATUSES', 'weighted_mean',
    ), "scorecard.scoring"),
    **dict.fromkeys(('ScoringExample',), "scorecard.scoring_example"),
    **dict.fromkeys(('recent_signal', 'signal_table', 'SignalStatus',), "scorecard.signals"),
    **dict.fromkeys(('link_table', 'objective_index',), "scorecard.strategy"),
    **dict.fromkeys(('Problem',), "scorecard.validation"),
    **dict.fromkeys((
        'kpi_history', 'kpi_rows', 'latest_period', 'monthly_targets', 'resolve_targets', 'scorecard_report',
    ), "scorecard.view"),
    **dict.fromkeys((
        'apply_scenario', 'compare', 'evaluate', 'headline_kpis', 'Outcome', 'propagate', 'rescore', 'Scenario',
        'side_by_side',
    ), "scorecard.whatif"),
}
"""Each public name and the module that defines it."""

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    """Import a public name's module the first time the name is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'scorecard' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})

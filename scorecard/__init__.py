"""Balanced-scorecard domain: scoring, periods, the scored report, forecasts, signals, link evidence,
what-if scenarios, number formatting and figures. File formats live in :mod:`scorecard.io`.

Pure Python (pandas, statsmodels, plotly); never imports streamlit or ``data/``. Public names are
re-exported here; a name is never re-exported over a submodule of the same name, so both
``scorecard.forecast.probability_of_target`` and ``from scorecard import probability_of_target`` work.
"""

from scorecard.baseline import kpi_baseline
from scorecard.charts import (
    kpi_history_figure,
    link_style,
    node_positions,
    sparkline,
    sparkline_points,
    status_color,
    strategy_map_figure,
)
from scorecard.forecast import FIT_HORIZON, Predictive, monthly_history, predictive, probability_of_target
from scorecard.links import VERDICTS, LinkEffect, LinkEvidence, assumed_effect, estimate_effect, link_evidence
from scorecard.meeting import meeting_table
from scorecard.numbers import (
    UNITS,
    default_decimals,
    format_probability,
    format_score,
    format_value,
    localize_digits,
    unit_name,
)
from scorecard.outlook import Outlook, kpi_outlook
from scorecard.periods import (
    AGGREGATIONS,
    CALENDARS,
    GRAINS,
    JALALI_MONTHS_EN,
    JALALI_MONTHS_FA,
    Period,
    aggregate_kpi,
    aggregate_measurements,
    jalali_label,
    month_label,
    months_in,
    months_to_date,
    parse_period,
    period_of,
    period_options,
    previous,
    to_jalali_month,
    year_ago,
)
from scorecard.progress import TerminalProgress
from scorecard.scoring import (
    METHODS,
    STATUSES,
    ScoringConfig,
    aggregate_status,
    amber_limit,
    kpi_score,
    kpi_scores,
    kpi_status,
    kpi_statuses,
    score_kpis,
    score_scorecard,
    weighted_mean,
)
from scorecard.scoring_example import ScoringExample
from scorecard.signals import SignalStatus, recent_signal, signal_table
from scorecard.strategy import link_table, objective_index
from scorecard.validation import Problem
from scorecard.view import kpi_history, kpi_rows, latest_period, monthly_targets, resolve_targets, scorecard_report
from scorecard.whatif import (
    Outcome,
    Scenario,
    apply_scenario,
    compare,
    evaluate,
    headline_kpis,
    propagate,
    rescore,
    side_by_side,
)

__all__ = [
    "AGGREGATIONS", "CALENDARS", "FIT_HORIZON", "GRAINS", "JALALI_MONTHS_EN", "JALALI_MONTHS_FA", "METHODS",
    "STATUSES", "UNITS", "VERDICTS", "LinkEffect", "LinkEvidence", "Outcome", "Outlook", "Period", "Predictive",
    "Problem", "Scenario", "ScoringConfig", "ScoringExample", "SignalStatus", "TerminalProgress",
    "aggregate_kpi", "aggregate_measurements", "aggregate_status", "amber_limit", "apply_scenario", "assumed_effect", "compare",
    "default_decimals", "estimate_effect", "evaluate", "format_probability", "format_score", "format_value",
    "headline_kpis", "jalali_label", "kpi_baseline", "kpi_history", "kpi_history_figure", "kpi_outlook",
    "kpi_rows", "kpi_score", "kpi_scores", "kpi_status", "kpi_statuses", "latest_period", "link_evidence",
    "link_style", "link_table", "localize_digits", "meeting_table", "month_label", "monthly_history",
    "monthly_targets", "months_in", "months_to_date", "node_positions", "objective_index", "parse_period", "period_of",
    "period_options", "predictive", "previous", "probability_of_target", "propagate", "recent_signal",
    "rescore", "resolve_targets", "score_kpis", "score_scorecard", "scorecard_report", "side_by_side",
    "signal_table", "sparkline", "sparkline_points", "status_color", "strategy_map_figure", "to_jalali_month",
    "unit_name", "weighted_mean", "year_ago",
]

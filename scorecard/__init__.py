"""Balanced-scorecard domain: scoring, periods, import validation, forecasts, link evidence, figures.

Pure Python (pandas, statsmodels, plotly); never imports streamlit or ``data/``.
"""

from scorecard.charts import kpi_history_figure, sparkline, sparkline_points, status_color, strategy_map_figure
from scorecard.forecast import forecast, probability_of_target
from scorecard.importer import (
    ImportProblem,
    ImportValidationError,
    kpis_template,
    measurements_template,
    read_table,
    validate_kpis,
    validate_measurements,
)
from scorecard.links import VERDICTS, LinkEvidence, link_evidence
from scorecard.periods import (
    Period,
    aggregate_kpi,
    aggregate_measurements,
    jalali_label,
    months_in,
    parse_period,
    period_of,
    period_options,
    previous,
    year_ago,
)
from scorecard.scoring import ScoringConfig, aggregate_status, kpi_score, kpi_status, score_scorecard

__all__ = [
    "ImportProblem", "ImportValidationError", "LinkEvidence", "Period", "ScoringConfig", "VERDICTS",
    "aggregate_kpi", "aggregate_measurements", "aggregate_status", "forecast", "jalali_label",
    "kpi_history_figure", "kpi_score", "kpi_status", "kpis_template", "link_evidence", "measurements_template",
    "months_in", "parse_period", "period_of", "period_options", "previous", "probability_of_target", "read_table",
    "score_scorecard", "sparkline", "sparkline_points", "status_color", "strategy_map_figure", "validate_kpis",
    "validate_measurements", "year_ago",
]

"""Six Sigma statistics: control charts, run rules, process capability and their figures.

Pure NumPy/SciPy/statsmodels/Plotly; never imports streamlit, ``data`` or ``scorecard``.
Public names are re-exported here; modules starting with ``_`` are private.
"""

from sixsigma._constants import A2, A3, B3, B4, D3, D4, c4, d2, d2_exact, d3
from sixsigma._rules import RULE_DESCRIPTIONS, RULE_SETS
from sixsigma._suggest import Suggestion, suggest_chart
from sixsigma.capability import (
    AutoCapability,
    Capability,
    Interval,
    capability,
    capability_auto,
    capability_ci,
    dpmo,
    sigma_level,
)
from sixsigma.charts import capability_figure, control_chart_figure
from sixsigma.spc import KINDS, Chart, ChartSet, Signal, control_chart

__all__ = [
    "A2",
    "A3",
    "B3",
    "B4",
    "D3",
    "D4",
    "KINDS",
    "RULE_DESCRIPTIONS",
    "RULE_SETS",
    "AutoCapability",
    "Capability",
    "Chart",
    "ChartSet",
    "Interval",
    "Signal",
    "Suggestion",
    "c4",
    "capability",
    "capability_auto",
    "capability_ci",
    "capability_figure",
    "control_chart",
    "control_chart_figure",
    "d2",
    "d2_exact",
    "d3",
    "dpmo",
    "sigma_level",
    "suggest_chart",
]

"""Six Sigma: control charts, run rules, capability, project roadmaps, root-cause and analysis tools.

Pure NumPy/SciPy/statsmodels/Plotly; never imports streamlit, ``data`` or ``scorecard``.
Public names are re-exported here, never over a submodule of the same name (``sixsigma.capability`` is the
module; its function is ``sixsigma.capability.capability``); modules starting with ``_`` are private.
"""

from sixsigma._constants import A2, A3, B3, B4, D3, D4, c4, d2, d2_exact, d3
from sixsigma._rules import RULE_DESCRIPTIONS, RULE_SETS
from sixsigma._suggest import Suggestion, suggest_chart
from sixsigma.analysis import (
    RegressionResult,
    TestResult,
    chi_square,
    one_way_anova,
    paired_t,
    regression,
    shift_test,
    two_proportions,
    two_sample_t,
)
from sixsigma.capability import (
    AutoCapability,
    Capability,
    Interval,
    capability_auto,
    capability_ci,
    dpmo,
    sigma_level,
)
from sixsigma.charts import capability_figure, control_chart_figure
from sixsigma.design import ctq_tree, qfd
from sixsigma.project_charts import fishbone_figure, pareto_figure, qfd_figure, timeline_figure
from sixsigma.roadmap import CHECKLISTS, DECISIONS, PHASES, TOOLS, next_phase, phase_states, tollgate_gaps
from sixsigma.rootcause import SIX_M, action_priority, fishbone, five_whys, fmea_table, pareto, rpn
from sixsigma.spc import KINDS, Chart, ChartSet, Signal, control_chart

__all__ = [
    "A2",
    "CHECKLISTS",
    "DECISIONS",
    "PHASES",
    "SIX_M",
    "TOOLS",
    "RegressionResult",
    "TestResult",
    "action_priority",
    "chi_square",
    "ctq_tree",
    "fishbone",
    "fishbone_figure",
    "five_whys",
    "fmea_table",
    "next_phase",
    "one_way_anova",
    "paired_t",
    "pareto",
    "pareto_figure",
    "phase_states",
    "qfd",
    "qfd_figure",
    "regression",
    "rpn",
    "shift_test",
    "timeline_figure",
    "tollgate_gaps",
    "two_proportions",
    "two_sample_t",
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

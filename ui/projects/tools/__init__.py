"""The project phases' tools: each shows what is saved and, in the open phase, a form that
validates with the domain and saves through ``data.projects.save_artifact``.

One module per area (``define``, ``measure``, ``analyze``, ``improve``, ``control_verify``) with the helpers they
share in ``_common``; this front door keeps the names other modules and the tests import."""

from __future__ import annotations

from collections.abc import Callable

from ui.projects.tools._common import (HEADERS, NUMBER, SHOWN, TABLE_COLUMNS, column_label, grid_form, numbers,
                                       table_tool)
from ui.projects.tools.analyze import (GROUP_TESTS, PAIR_NAMES, PAIR_TESTS, TESTS, _run_test, _typed,
                                       fishbone_tool, five_whys_tool, hypothesis_tool, pareto_tool, regression_tool)
from ui.projects.tools.control_verify import (CAPABILITY_COLUMNS, DIRECTIONS, benefit_words, closure_tool, text_tool,
                                              trend_words, verification_tool)
from ui.projects.tools.define import charter
from ui.projects.tools.improve import DESIGNS, ORDER, doe_tool, pilot_tool, qfd_tool, run_sheet
from ui.projects.tools.measure import (AGREEMENT_KINDS, AGREEMENT_ROLES, AIAG_VERDICTS, GAGE_ROLES, SIZE_SENTENCES,
                                       SIZES, SOURCES, attribute_agreement_tool, baseline, gage_rr_tool,
                                       sample_size_tool)

__all__ = ["AGREEMENT_KINDS", "AGREEMENT_ROLES", "AIAG_VERDICTS", "CAPABILITY_COLUMNS", "DESIGNS", "DIRECTIONS",
           "GAGE_ROLES", "GROUP_TESTS", "HEADERS", "NUMBER", "ORDER", "PAIR_NAMES", "PAIR_TESTS", "RENDERERS",
           "Renderer", "SHOWN", "SIZES", "SIZE_SENTENCES", "SOURCES", "TABLE_COLUMNS", "TESTS", "attribute_agreement_tool",
           "baseline", "benefit_words", "charter", "closure_tool", "column_label", "doe_tool", "fishbone_tool",
           "five_whys_tool", "gage_rr_tool", "grid_form", "hypothesis_tool", "numbers", "pareto_tool", "pilot_tool",
           "qfd_tool", "regression_tool", "run_sheet", "sample_size_tool", "table_tool", "text_tool", "trend_words",
           "verification_tool"]

Renderer = Callable[[dict, str, str, "dict | None", bool], None]
RENDERERS: dict[str, Renderer] = {
    "charter": charter, "sipoc": table_tool, "data_collection_plan": table_tool, "baseline": baseline,
    "pareto": pareto_tool, "fishbone": fishbone_tool, "five_whys": five_whys_tool, "hypothesis_test": hypothesis_tool,
    "regression": regression_tool, "solutions": table_tool, "ctq_tree": table_tool, "qfd": qfd_tool,
    "fmea": table_tool, "pilot": pilot_tool, "control_plan": table_tool, "response_plan": text_tool,
    "closure": closure_tool, "gage_rr": gage_rr_tool, "attribute_agreement": attribute_agreement_tool,
    "doe": doe_tool, "sample_size": sample_size_tool, "verification": verification_tool,
}
"""Each tool of the registry (sixsigma.tools.REGISTRY) and the function that shows it: (project, phase, kind,
saved payload, editable)."""

"""The KPI definitions of one perspective as a table that wraps its long texts, in the user's language."""

from __future__ import annotations

import pandas as pd

from scorecard import unit_name
from ui.components import tables
from ui.components.tables import Cell
from ui.core.format import number, owner_name
from ui.core.i18n import language, localized, t

HEADER = ("Objective", "KPI", "Unit", "Direction", "Aggregation over periods", "Weight", "Owner", "Source", "Definition")


def definition_text(text: str) -> str:
    """A KPI's definition in the user's language (the catalog holds the demo's; others stay as written)."""
    return t(text) if text else t("No definition written yet.")


def _row(row: pd.Series) -> list[Cell]:
    return [Cell(localized(row, "objective")), Cell(localized(row, "kpi")),
            Cell(unit_name(row["unit"] or "", language()) or "—"),
            Cell(t("higher is better") if row["direction"] == "higher" else t("lower is better")),
            Cell(t(row["aggregation"])), Cell(number(row["weight"], decimals=2), css="num"),
            Cell(owner_name(row["owner"])), Cell(t(row["source"])), Cell(definition_text(row["definition"]))]


def table(kpis: pd.DataFrame) -> None:
    """Put the definitions of ``kpis`` on the page."""
    tables.show([t(h) for h in HEADER], [_row(row) for _, row in kpis.iterrows()], numeric=[5])

"""The import form: KPI definitions and measurements from CSV or Excel, all or nothing."""

from __future__ import annotations

import streamlit as st

from data.imports import kpi_names, save_import, segment_names
from data.writes import PermissionDenied
from scorecard.io import (
    ImportValidationError,
    kpis_template,
    max_import_megabytes,
    measurements_template,
    read_table,
    validate_kpis,
    validate_measurements,
)
from ui.admin.editors import show_problems
from ui.core import loaders
from ui.core.auth import current_user, may_here
from ui.core.i18n import t
from ui.core.messages import explain


def _templates() -> None:
    left, right = st.columns(2)
    left.download_button(t("KPI template (CSV)"), kpis_template().to_csv(index=False), "KPIS.csv", "text/csv")
    right.download_button(t("Measurements template (CSV)"), measurements_template().to_csv(index=False),
                          "MEASUREMENTS.csv", "text/csv")


def _validated(kpi_file, measurement_file):
    """Parse and check both files; raises ImportValidationError naming file, row and column."""
    segments = segment_names(loaders.engine())
    kpis = validate_kpis(read_table(kpi_file, kpi_file.name), kpi_file.name, segments) if kpi_file else None
    known = kpi_names(loaders.engine()) | (set(kpis["kpi"]) if kpis is not None else set())
    measurements = (validate_measurements(read_table(measurement_file, measurement_file.name),
                                          measurement_file.name, known, segments) if measurement_file else None)
    return kpis, measurements


def import_form() -> None:
    """Upload, validate and import; a bad file changes nothing and every problem is listed."""
    st.caption(t("Formats: KPIS.csv (perspective, objective, kpi, unit, direction, target, weight, …) and "
                 "MEASUREMENTS.csv (kpi, period, actual, …). Excel files with the same columns work too."))
    _templates()
    if not may_here("measurements.edit"):
        return
    with st.form("import_form", clear_on_submit=False):
        limit = max_import_megabytes()
        kpi_file = st.file_uploader(t("KPI definitions"), type=["csv", "xlsx"], key="import_kpis", max_upload_size=limit)
        measurement_file = st.file_uploader(t("Measurements"), type=["csv", "xlsx"], key="import_measurements",
                                            max_upload_size=limit)
        submitted = st.form_submit_button(t("Validate and import"), type="primary")
    if not submitted:
        return
    if not kpi_file and not measurement_file:
        st.warning(t("Choose at least one file."))
        return
    try:
        with st.spinner(t("Checking and importing…")):
            summary = save_import(loaders.engine(), current_user(), *_validated(kpi_file, measurement_file))
    except ImportValidationError as exc:
        show_problems(exc.problems)
        return
    except PermissionDenied as exc:
        st.error(t("You may not change this: {reason}", reason=explain(exc)))
        return
    except ValueError as exc:  # an unknown segment, a busy database: nothing was saved
        st.error(explain(exc))
        return
    loaders.after_write()
    st.success(t("Imported {kpis} KPIs, {targets} targets and {measurements} measurements.",
                 kpis=summary.kpis, targets=summary.targets, measurements=summary.measurements))

"""A project's report for a tollgate review: its charter, the KPI's chart and verified benefit, each phase's
evidence and the tollgate decisions, as a PDF in the user's language (scorecard.io.project_report_pdf)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import streamlit as st

from scorecard.io import PROJECT_REPORT_LABELS, ProjectReport, project_report_pdf
from sixsigma import roadmap
from sixsigma.tools import REGISTRY, results
from ui.core import loaders
from ui.core.auth import current_account
from ui.core.format import moment_label, number, period_label, user_names
from ui.core.i18n import language, localized, t
from ui.core.messages import saved_sentence
from ui.projects import loaders as project_loaders
from ui.projects.tools import benefit_words, trend_words

CHARTER_FIELDS = (("business_case", "Business case"), ("problem", "Problem statement (SMART)"),
                  ("goal", "Goal statement (SMART)"), ("scope_in", "In scope"), ("scope_out", "Out of scope"),
                  ("ctqs", "CTQs"))


def _charter(saved: dict) -> list[tuple[str, str]]:
    fields = []
    for key, label in CHARTER_FIELDS:
        value = saved.get(key)
        text = ", ".join(value) if isinstance(value, list) else str(value or "").strip()
        if text:
            fields.append((t(label), text))
    return fields


def _finding(kind: str, payload: dict) -> str:
    """What a saved tool found, in its own words where it has some (tests, regressions, pilots, verifications)."""
    found = results(payload) if REGISTRY[kind].several else [payload]      # other tools' "results" are their own
    sentences = [saved_sentence(result) for result in found if isinstance(result, dict)]
    words = " ".join(str(s) for s in sentences if s)
    return f"{t(REGISTRY[kind].name)}: {words}" if words else t(REGISTRY[kind].name)


def _phases(project: dict, artifacts: dict) -> list[tuple[str, list[str]]]:
    phases = []
    for phase in roadmap.PHASES[project["kind"]]:
        saved = [(key.split("/", 1)[1], payload) for key, payload in artifacts.items() if key.startswith(f"{phase}/")]
        phases.append((t(phase.capitalize()), [_finding(kind, payload) for kind, payload in saved
                                               if kind in REGISTRY and kind != "charter"]))
    return phases


def _decisions(tollgates: list[dict]) -> list[list[str]]:
    names = user_names()
    return [[t(gate["phase"].capitalize()), t(gate["decision"].capitalize()), names.get(gate["decided_by"], gate["decided_by"]),
             moment_label(gate["decided_at"]), str(gate.get("reason") or "")] for gate in tollgates]


def _kpi(project: dict) -> tuple[pd.Series | None, float | None, str, str]:
    """The KPI's months ("YYYY-MM"), its latest target, its unit and a caption naming the change month."""
    if project.get("kpi_id") is None or pd.isna(project["kpi_id"]):
        return None, None, "", ""
    kpi, segment = int(project["kpi_id"]), project["segment"] or "All"
    history = loaders.history(kpi, segment).dropna()
    history.index = history.index.strftime("%Y-%m")
    row = loaders.kpi_rows(str(history.index[-1]), segment).set_index("kpi_id").loc[kpi] if len(history) else None
    unit = str(loaders.definition().set_index("kpi_id").at[kpi, "unit"] or "")
    change = project_loaders.change_month(int(project["id"]))
    caption = t("{kpi} in {segment}; the dotted line is the target ({target}).", kpi=localized(project, "kpi"),
                segment=t(segment), target=number(row["target"], unit) if row is not None else "—")
    if change:
        caption += " " + t("The change was approved in {month}.", month=period_label(change))
    target = float(row["target"]) if row is not None and pd.notna(row["target"]) else None
    return history, target, unit, caption


def project_report(detail: dict) -> ProjectReport:
    """The report of a project's detail (project_loaders.detail), every text in the user's language."""
    project, artifacts = detail["project"], detail["artifacts"]
    names = user_names()
    history, target, unit, caption = _kpi(project)
    closure = next((payload for key, payload in artifacts.items() if key.endswith("/closure")), {})
    account = current_account()
    return ProjectReport(
        title=str(project["title"]),
        subtitle=t("{kind} · KPI: {kpi} · segment: {segment} · belt: {belt} · champion: {champion}",
                   kind=project["kind"].upper(), kpi=localized(project, "kpi") if project.get("kpi") else "—",
                   segment=t(project["segment"] or "All"), belt=names.get(project["belt"], project["belt"]),
                   champion=names.get(project["champion"], project["champion"])),
        charter=_charter(artifacts.get("define/charter", {})), phases=_phases(project, artifacts),
        decisions=_decisions(detail["tollgates"]), history=history, target=target, unit=unit, history_caption=caption,
        benefit=" ".join(filter(None, (benefit_words(closure, unit), trend_words(closure, unit)))) if "shift" in closure else "",
        generated_by=t(account.display_name) if account else "", generated_at=moment_label(datetime.now(timezone.utc)),
        language=language())


def download(detail: dict) -> None:
    """The report's download button (the PDF is drawn only when it is asked for)."""
    report, labels = project_report(detail), {label: t(label) for label in PROJECT_REPORT_LABELS}
    st.download_button(t("Project report (PDF)"), data=lambda: project_report_pdf(report, lambda s: labels.get(s, s)),
                       file_name=f"project-{detail['project']['id']}-{report.language}.pdf", mime="application/pdf",
                       icon=":material/picture_as_pdf:", on_click="ignore", key=f"report_{detail['project']['id']}")

"""The demo's Six Sigma portfolio: four projects at different stages, tied to demo KPIs.

- DMAIC "Cut complaint resolution time" (Retail), in Improve: charter, SIPOC, data plan,
  baseline, Pareto of complaint causes, fishbone, 5 Whys, a hypothesis test, solutions, FMEA.
- DFSS "Redesign onboarding to lift retention" (SME), in Design: CTQ tree and house of quality.
- DMAIC "Restore SLA after outsourcing" (All), closed with a verified benefit: the demo's
  July-2025 shift in tickets resolved within SLA, found, fixed and held.
- DMAIC "Raise campaign response" (Retail), still in Measure past its planned end (an overrun).

Every step goes through :mod:`data.projects` as the belts and champions would, so the audit
log and the tollgate rules hold for the demo too.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Engine

from data import projects
from data.repository import measurements, scorecard_definition
from scorecard.benefit import verified_benefit
from scorecard.view import kpi_history
from sixsigma import CHECKLISTS, PHASES


def _charter(problem: str, goal: str, case: str, scope_in: str, scope_out: str, ctqs: list[str], champion: str,
             black_belt: str, green_belts: list[str], experts: list[str]) -> dict:
    return {"business_case": case, "problem": problem, "goal": goal, "scope_in": scope_in, "scope_out": scope_out,
            "ctqs": ctqs, "champion": champion, "black_belt": black_belt, "green_belts": green_belts,
            "members": ["Service desk lead", "Finance partner"], "experts": experts}


def _rows(*rows: dict) -> dict:
    return {"rows": list(rows)}


SIPOC = _rows({"suppliers": "Customers", "inputs": "Complaint (call, e-mail, portal)", "process": "Log and classify",
               "outputs": "Ticket with category", "customers": "Complaints team"},
              {"suppliers": "Complaints team", "inputs": "Ticket", "process": "Investigate and decide refund",
               "outputs": "Resolution", "customers": "Customer"},
              {"suppliers": "Finance", "inputs": "Refund approval", "process": "Pay and close",
               "outputs": "Closed complaint, survey", "customers": "Customer, ISO 10002 report"})
DATA_PLAN = _rows({"measure": "Days to resolve", "definition": "Received → resolved to the customer's satisfaction",
                   "source": "crm_complaint", "frequency": "Monthly", "owner": "Reza Karimi"},
                  {"measure": "Cause category", "definition": "Agent's category at closing", "source": "Ticket notes",
                   "frequency": "Per complaint", "owner": "Leila Moradi"})
CONTROL_PLAN = _rows({"what": "Tickets resolved within SLA", "how": "I-MR chart of the monthly share",
                      "how_often": "Monthly", "who": "Head of Service",
                      "reaction": "Any Nelson signal: review staffing with the outsourcer within a week"})


def _tick(phase: str) -> dict[str, bool]:
    return {item.key: True for item in CHECKLISTS[phase]}


def _at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=timezone.utc)


def _pass(engine: Engine, champion: str, project_id: int, phase: str, day: str, reason: str) -> None:
    projects.decide_tollgate(engine, champion, project_id, phase, "approve", reason, _tick(phase), decided_at=_at(day))


def _complaints_project(engine: Engine, kpi: dict[str, int]) -> None:
    charter = _charter("Only 61 % of Retail complaints are resolved within 15 days (12 months to May 2026).",
                       "Resolve 80 % of Retail complaints within 15 days by December 2026.",
                       "Slow complaints cost renewals: 95 % of complainers stay when handled fast and well (seed 002).",
                       "Retail complaints, all channels", "Corporate key-account escalations", ["Days to resolve",
                       "Resolved to the customer's satisfaction"], "nima", "reza", ["leila"], ["Refund policy owner"])
    pid = projects.create_project(engine, "reza", kind="dmaic", title="Cut complaint resolution time",
                                  kpi_id=kpi["Complaints resolved within 15 days"], segment="Retail", champion="nima",
                                  belt="reza", start=date(2026, 6, 1), planned_end=date(2026, 12, 15),
                                  expected_benefit=180.0, charter=charter)
    projects.save_artifact(engine, "reza", pid, "define", "sipoc", SIPOC)
    _pass(engine, "nima", pid, "define", "2026-06-19", "Charter agreed; scope limited to Retail.")
    projects.save_artifact(engine, "reza", pid, "measure", "data_collection_plan", DATA_PLAN)
    projects.save_artifact(engine, "reza", pid, "measure", "baseline", {
        "mean": 61.2, "sigma": 4.1, "months": 12, "signals": 0, "sigma_level": 1.78, "dpmo": 388_000,
        "note": "Stable but not capable: 39 % of complaints take longer than 15 days."})
    _pass(engine, "nima", pid, "measure", "2026-07-24", "Baseline stable; measurement agreed with Finance.")
    projects.save_artifact(engine, "reza", pid, "analyze", "pareto", {"counts": {
        "Waiting for refund approval": 148, "Missing order data": 61, "Hand-over between shifts": 34,
        "Courier dispute": 22, "Other": 15}})
    projects.save_artifact(engine, "reza", pid, "analyze", "fishbone", {"problem": "Complaints take over 15 days",
        "causes": {"Man": ["Agents not empowered for refunds"], "Method": ["Refunds need manager approval",
                   "No triage script"], "Machine": ["CRM lacks order history view"], "Material": [],
                   "Measurement": ["Clock starts at logging, not receipt"], "Mother Nature": ["Nowruz peak"]}})
    projects.save_artifact(engine, "reza", pid, "analyze", "five_whys", {
        "problem": "Complaints take over 15 days", "whys": ["They wait for refund approval",
        "Only managers may approve refunds", "The 2019 policy set no amount limit"],
        "root_cause": "The 2019 policy set no amount limit"})
    projects.save_artifact(engine, "reza", pid, "analyze", "hypothesis_test", {
        "test": "Welch two-sample t", "statistic": 6.8, "p_value": 1e-9,
        "sentence": "Complaints waiting for refund approval take 9.4 days longer (95 % CI 6.7 to 12.1); "
                    "this is unlikely to be chance (p = 1e-09)."})
    _pass(engine, "nima", pid, "analyze", "2026-09-11", "Refund approval verified as the main cause.")
    projects.save_artifact(engine, "reza", pid, "improve", "solutions", _rows(
        {"solution": "Agents approve refunds up to $200", "effort": 2, "impact": 5, "chosen": True},
        {"solution": "Triage script at logging", "effort": 2, "impact": 3, "chosen": True},
        {"solution": "New complaints module", "effort": 5, "impact": 4, "chosen": False}))
    projects.save_artifact(engine, "reza", pid, "improve", "fmea", _rows(
        {"failure_mode": "Refund approved in error", "effect": "Money lost", "cause": "Limit misread",
         "severity": 6, "occurrence": 4, "detection": 5, "action": "Limit enforced by the CRM"},
        {"failure_mode": "Customer data exposed in triage", "effect": "Privacy breach", "cause": "Shared screens",
         "severity": 9, "occurrence": 2, "detection": 8, "action": "Mask card numbers", "revised_severity": 9,
         "revised_occurrence": 1, "revised_detection": 3}))


def _onboarding_project(engine: Engine, kpi: dict[str, int]) -> None:
    charter = _charter("SME customers who churn leave in their first 90 days: retention is 98.1 % a month.",
                       "Lift SME retention to 98.8 % a month within nine months of launch.",
                       "Keeping a customer costs 6–7 times less than winning one (seed 002).",
                       "New SME customers, first 90 days", "Retail self-service sign-up", ["Days to first order",
                       "Onboarding satisfaction"], "sara", "leila", [], ["Head of Sales", "UX designer"])
    pid = projects.create_project(engine, "leila", kind="dfss", title="Redesign onboarding to lift retention",
                                  kpi_id=kpi["Retention rate"], segment="SME", champion="sara", belt="leila",
                                  start=date(2026, 5, 4), planned_end=date(2027, 1, 29), expected_benefit=420.0,
                                  charter=charter)
    projects.save_artifact(engine, "leila", pid, "define", "sipoc", SIPOC)
    _pass(engine, "sara", pid, "define", "2026-05-22", "No onboarding process exists: DFSS is right.")
    projects.save_artifact(engine, "leila", pid, "measure", "data_collection_plan", DATA_PLAN)
    projects.save_artifact(engine, "leila", pid, "measure", "baseline", {"mean": 98.1, "sigma": 0.3, "months": 24,
                                                                         "signals": 1, "note": "Voice of 40 SME customers"})
    _pass(engine, "sara", pid, "measure", "2026-07-03", "Voice of the customer gathered.")
    projects.save_artifact(engine, "leila", pid, "analyze", "pareto", {"counts": {
        "No named contact": 41, "Invoice confusion": 27, "Slow first delivery": 19, "Other": 9}})
    projects.save_artifact(engine, "leila", pid, "analyze", "regression", {
        "response": "retention", "r_squared": 0.41, "n": 36,
        "terms": [{"term": "const", "coefficient": 0.962, "p_value": 1e-20},
                  {"term": "days_to_first_order", "coefficient": -0.021, "p_value": 0.0002}],
        "sentences": ["Each extra day to first order goes with a change of -0.021 in retention (95 % CI -0.031 to "
                      "-0.011); this is unlikely to be chance (p = 0.0002)."]})
    _pass(engine, "sara", pid, "analyze", "2026-08-28", "Time to first order drives early churn.")
    projects.save_artifact(engine, "leila", pid, "design", "ctq_tree", _rows(
        {"need": "Get going quickly", "driver": "First order", "ctq": "Days to first order", "measure": "days",
         "lsl": None, "target": 7, "usl": 14},
        {"need": "Know who to call", "driver": "Named contact", "ctq": "Hours to first call", "measure": "h",
         "lsl": None, "target": 24, "usl": 48}))
    projects.save_artifact(engine, "leila", pid, "design", "qfd", {
        "needs": {"Get going quickly": 5, "Know who to call": 4, "Clear first invoice": 3},
        "characteristics": ["Welcome call in 24 h", "Pre-filled first order", "Invoice walkthrough"],
        "relations": [["Get going quickly", "Pre-filled first order", 9], ["Get going quickly", "Welcome call in 24 h", 3],
                      ["Know who to call", "Welcome call in 24 h", 9], ["Clear first invoice", "Invoice walkthrough", 9],
                      ["Clear first invoice", "Welcome call in 24 h", 1]]})


def _sla_project(engine: Engine, kpi: dict[str, int]) -> None:
    charter = _charter("Tickets resolved within SLA fell from 87 % to 71 % after support was outsourced in July 2025.",
                       "Back to 85 % within SLA by March 2026.", "Late tickets drive complaints and churn.",
                       "All service tickets", "Field service visits", ["Hours to resolve"], "nima", "reza", [],
                       ["Outsourcer's service manager"])
    pid = projects.create_project(engine, "reza", kind="dmaic", title="Restore SLA after outsourcing",
                                  kpi_id=kpi["Tickets resolved within SLA"], segment="All", champion="nima",
                                  belt="reza", start=date(2025, 9, 1), planned_end=date(2026, 3, 31),
                                  expected_benefit=150.0, charter=charter)
    steps = {"define": {"sipoc": SIPOC}, "measure": {"data_collection_plan": DATA_PLAN, "baseline": {
                 "mean": 71.0, "sigma": 2.2, "months": 8, "signals": 3, "note": "Shift from July 2025 (Nelson 1 and 2)"}},
             "analyze": {"fishbone": {"problem": "Tickets late", "causes": {"Man": ["Outsourced agents lack product "
                         "training"], "Method": ["No escalation path"]}},
                         "hypothesis_test": {"test": "Welch two-sample t", "p_value": 1e-12, "statistic": 9.1,
                                             "sentence": "Outsourced tickets take 8.2 h longer; unlikely to be chance."}},
             "improve": {"solutions": _rows({"solution": "Product training for outsourced agents", "effort": 2,
                                              "impact": 5, "chosen": True}),
                         "fmea": _rows({"failure_mode": "Escalation missed", "severity": 7, "occurrence": 4,
                                        "detection": 5, "action": "Auto-escalate after 20 h"}),
                         "pilot": {"sentence": "The pilot improved the mean (+11.5 points); unlikely to be chance.",
                                   "p_value": 0.0004}},
             "control": {"control_plan": CONTROL_PLAN, "response_plan": {"text": "Signal → review with the "
                         "outsourcer in a week; two signals in a quarter → contract penalty clause."},
                         }}
    days = {"define": "2025-09-19", "measure": "2025-10-24", "analyze": "2025-11-28", "improve": "2026-01-30",
            "control": "2026-04-10"}
    for phase in PHASES["dmaic"]:
        for kind, payload in steps[phase].items():
            projects.save_artifact(engine, "reza", pid, phase, kind, payload)
        if phase == "measure":  # the belt marks the outsourcing as the process change the baseline starts at
            projects.add_stage(engine, "reza", kpi["Tickets resolved within SLA"], "2025-07", "Support outsourced")
        if phase == "control":
            _close_with_measured_benefit(engine, pid, kpi["Tickets resolved within SLA"], days["improve"][:7])
        _pass(engine, "nima", pid, phase, days[phase], f"{phase.capitalize()} complete.")


def _close_with_measured_benefit(engine: Engine, project_id: int, kpi_id: int, change_month: str) -> None:
    """The SLA project's benefit as the closure tool measures it: each point within SLA saves about $40k a year
    in late-ticket credits (the finance partner's figure)."""
    history = kpi_history(measurements(engine), kpi_id, "All")
    measured = verified_benefit(history, change_month, "higher", 40.0, ["2025-07"])
    payload = {**measured.as_payload(), "verified_benefit": round(measured.benefit, 3),
               "finance_partner": "Finance partner", "note": "Held above 80 % since the training."}
    projects.save_artifact(engine, "reza", project_id, "control", "closure", payload)
    projects.set_benefit(engine, "reza", project_id, verified=payload["verified_benefit"],
                         description="Fewer late-ticket credits")


def _campaign_project(engine: Engine, kpi: dict[str, int]) -> None:
    charter = _charter("Retail campaign response is 2.9 %, below the 3.2 % target.", "3.2 % by August 2026.",
                       "Each response point is worth about $40k a year in Retail.", "Retail e-mail and SMS",
                       "Telemarketing", ["Response rate"], "sara", "leila", [], ["Marketing analyst"])
    pid = projects.create_project(engine, "leila", kind="dmaic", title="Raise campaign response",
                                  kpi_id=kpi["Campaign response rate"], segment="Retail", champion="sara",
                                  belt="leila", start=date(2026, 2, 2), planned_end=date(2026, 8, 31),
                                  expected_benefit=90.0, charter=charter)
    projects.save_artifact(engine, "leila", pid, "define", "sipoc", SIPOC)
    _pass(engine, "sara", pid, "define", "2026-02-27", "Go ahead.")
    projects.save_artifact(engine, "leila", pid, "measure", "data_collection_plan", DATA_PLAN)


def seed_projects(engine: Engine) -> None:
    """Create the demo's four projects with their artifacts and tollgate decisions."""
    definition = scorecard_definition(engine)
    kpi = dict(zip(definition["kpi"], definition["kpi_id"].astype(int)))
    for build in (_complaints_project, _onboarding_project, _sla_project, _campaign_project):
        build(engine, kpi)

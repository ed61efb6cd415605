"""The audit log as a record for people: who (display name), when (date and time), what (KPI, target,
project by name rather than id) and the change written old → new with the app's number formatter.

:func:`readable_audit` takes its look-ups and formatter as arguments, so it runs without Streamlit.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

# Fields holding a KPI's value, written in the KPI's unit.
VALUE_FIELDS = frozenset({"value", "baseline", "actual", "target"})
# Benefits are kept in thousands of dollars.
MONEY_FIELDS = frozenset({"expected", "verified", "expected_benefit", "verified_benefit"})
# Fields naming a person by user name, shown by display name.
PEOPLE_FIELDS = frozenset({"author", "owner", "belt", "champion", "decided_by", "updated_by", "username"})
# Fields that only point at other rows: named in "What", left out of the change.
HIDDEN = frozenset({"password_hash", "payload", "checklist", "definition"})
ENTITY_WORDS = {"kpi": "KPI", "target": "Target", "measurement": "Actual", "comment": "Comment",
                "action_item": "Action item", "link": "Link", "objective": "Objective", "perspective": "Perspective",
                "segment": "Segment", "project": "Project", "tollgate": "Tollgate", "artifact": "Project document",
                "benefit": "Benefit", "user_account": "User", "setting": "Setting", "scenario": "Scenario"}
ACTION_WORDS = {"create": "Added", "update": "Changed", "delete": "Deleted", "refresh": "Refreshed",
                "promote": "Promoted"}


@dataclass
class AuditNames:
    """What the ids in the log stand for: KPI names and units, segments, objectives, projects, people."""

    kpis: dict[int, tuple[str, str]] = field(default_factory=dict)   # id → (name, unit)
    segments: dict[int, str] = field(default_factory=dict)
    objectives: dict[int, str] = field(default_factory=dict)
    projects: dict[int, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)              # username → display name
    # (entity, id) → the row's pointers (kpi_id, segment_id, period …), for updates that record only what changed
    rows: dict[tuple[str, int], dict] = field(default_factory=dict)


def _values(raw) -> dict:
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {"value": raw}
    return raw if isinstance(raw, dict) else {"value": raw}


def _what(entity: str, entity_id, values: dict, names: AuditNames) -> str:
    label = ENTITY_WORDS.get(entity, entity.replace("_", " ").capitalize())
    key = None if entity_id is None or pd.isna(entity_id) else int(entity_id)
    parts = []
    if entity == "project" and key in names.projects:
        parts.append(names.projects[key])
    if "kpi_id" in values and values["kpi_id"] in names.kpis:
        parts.append(names.kpis[values["kpi_id"]][0])
    elif entity == "kpi" and key in names.kpis:
        parts.append(names.kpis[key][0])
    if "cause_id" in values:
        parts.append(f"{names.objectives.get(values['cause_id'], '?')} → {names.objectives.get(values.get('effect_id'), '?')}")
    if "project_id" in values and values["project_id"] in names.projects:
        parts.append(names.projects[values["project_id"]])
    if entity in ("objective", "perspective", "segment", "scenario") and values.get("name"):
        parts.append(str(values["name"]))
    if entity == "objective" and not values.get("name") and key in names.objectives:
        parts.append(names.objectives[key])
    if values.get("segment_id") in names.segments:
        parts.append(names.segments[values["segment_id"]])
    if values.get("period"):
        parts.append(str(values["period"]))
    if entity == "user_account" and values.get("username"):
        parts.append(names.people.get(values["username"], values["username"]))
    if entity == "measurement" and "kpis" in values:
        label, parts = "Actuals", [f"{values['kpis']} KPIs, {values.get('rows', 0):,} monthly values"]
    return f"{label}: {' · '.join(parts)}" if parts else label


def _shown(name: str, value, unit: str, number: Callable[[float, str], str], people: dict[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if name in PEOPLE_FIELDS and isinstance(value, str):
        return people.get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return number(float(value), unit if name in VALUE_FIELDS else ("$k" if name in MONEY_FIELDS else ""))
    text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _change(action: str, old: dict, new: dict, unit: str, number: Callable[[float, str], str],
            people: dict[str, str]) -> str:
    keep = lambda key: key not in HIDDEN and not key.endswith("_id") and key != "id"  # noqa: E731
    if action == "update":
        keys = [k for k in new if keep(k) and old.get(k) != new.get(k)]
        return "; ".join(f"{k.replace('_', ' ')}: {_shown(k, old.get(k), unit, number, people)} → "
                         f"{_shown(k, new.get(k), unit, number, people)}" for k in keys)
    values = new if action != "delete" else old
    keys = [k for k in values if keep(k) and values[k] not in (None, "", {}, [])][:4]
    return "; ".join(f"{k.replace('_', ' ')}: {_shown(k, values[k], unit, number, people)}" for k in keys)


def _target_list(targets: list[dict], names: AuditNames, number: Callable[[float, str], str]) -> str:
    """A promotion's changed targets: "Revenue: $16,000k → $16,500k; Retention rate: — → 90%"."""
    parts = []
    for change in targets:
        name, unit = names.kpis.get(change.get("kpi_id"), (str(change.get("kpi_id")), ""))
        old, new = (_shown("value", change.get(key), unit, number, {}) for key in ("old", "new"))
        parts.append(f"{name}: {old} → {new}")
    return "; ".join(parts)


def readable_audit(log: pd.DataFrame, names: AuditNames, number: Callable[[float, str], str]) -> pd.DataFrame:
    """The log (at, username, action, entity, entity_id, old, new) as When, Who, Action, What and Change."""
    records = log.to_dict("records")
    created = {(str(e["entity"]), int(e["entity_id"])): _values(e.get("new")) for e in records
               if e["action"] == "create" and e.get("entity_id") is not None and not pd.isna(e.get("entity_id"))}
    rows = []
    for entry in records:
        old, new = _values(entry.get("old")), _values(entry.get("new"))
        key = (str(entry["entity"]), int(entry["entity_id"])) if entry.get("entity_id") is not None and \
            not pd.isna(entry.get("entity_id")) else None
        pointers = {k: v for k, v in {**names.rows.get(key, {}), **created.get(key, {})}.items()
                    if k.endswith("_id") or k == "period"} if key else {}
        both = {**pointers, **old, **new}
        kpi = both.get("kpi_id") if "kpi_id" in both else (entry.get("entity_id") if entry["entity"] == "kpi" else None)
        unit = names.kpis.get(int(kpi), ("", ""))[1] if kpi is not None and not pd.isna(kpi) else ""
        rows.append({"at": pd.Timestamp(entry["at"]).strftime("%Y-%m-%d %H:%M"),
                     "who": names.people.get(entry["username"], entry["username"]),
                     "action": ACTION_WORDS.get(entry["action"], str(entry["action"]).capitalize()),
                     "what": _what(str(entry["entity"]), entry.get("entity_id"), both, names),
                     "change": _target_list(new["targets"], names, number) if isinstance(new.get("targets"), list)
                     else _change(str(entry["action"]), old, new, unit, number, names.people)})
    return pd.DataFrame(rows, columns=["at", "who", "action", "what", "change"])

"""Who may do what: the roles of the source documents (DOMAIN.md section 4) and their permissions.

:data:`ROLE_PERMISSIONS` is the one table the write path (:mod:`data.writes`) checks. Rules that
depend on the row as well as the role stay beside their writes: a belt changes only their own
projects, only a project's champion decides its tollgates, only an author edits a comment.
"""

from __future__ import annotations

from errors import DomainError

# What each permission allows, as a refusal names it ("… may not <what>").
PERMISSIONS: dict[str, str] = {
    "scorecard.edit": "change the scorecard (perspectives, objectives, KPIs, targets, links) or promote a scenario",
    "measurements.edit": "import or change measurements",
    "comments.write": "write comments and action items",
    "projects.start": "start a Six Sigma project",
    "projects.edit": "work on a Six Sigma project",
    "tollgates.decide": "decide a tollgate",
    "stages.edit": "mark a process change that starts a KPI's new stage",
    "scenarios.edit": "save or delete what-if scenarios",
    "settings.edit": "change the scoring settings",
    "users.edit": "manage users (add, set roles, reset passwords, unlock)",
    "profile.edit": "change their own language",
}

# Role code → its name in the source documents.
ROLES: dict[str, str] = {
    "admin": "Administrator",
    "strategy": "CRM strategy team",
    "design_lead": "Scorecard design lead",
    "function_owner": "CRM function owner",
    "champion": "Champion",
    "black_belt": "Black belt",
    "green_belt": "Green belt",
    "expert": "Subject-matter expert",
    "executive": "Executive",
    "viewer": "Viewer",
}

_EVERYONE = frozenset({"profile.edit"})
_TALK = _EVERYONE | {"comments.write"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    # Chooses the CRM metrics and targets, adapts strategy, chooses the KPIs for Six Sigma.
    "strategy": _TALK | {"scorecard.edit", "measurements.edit", "scenarios.edit", "tollgates.decide", "settings.edit",
                         "stages.edit"},
    # Leads the scorecard's design team: structure, definitions and scoring, not project decisions.
    "design_lead": _TALK | {"scorecard.edit", "measurements.edit", "scenarios.edit", "settings.edit"},
    # Marketing, sales or service: reports its function's actuals and reviews Six Sigma progress.
    "function_owner": _TALK | {"measurements.edit", "scenarios.edit"},
    "champion": _TALK | {"tollgates.decide", "scenarios.edit"},
    # Belts lead (black) or take part in (green) improvement projects and run the scorecard's data.
    "black_belt": _TALK | {"projects.start", "projects.edit", "measurements.edit", "stages.edit"},
    "green_belt": _TALK | {"projects.start", "projects.edit", "measurements.edit", "stages.edit"},
    # Brings deep knowledge to the projects whose team names them.
    "expert": _TALK | {"projects.edit"},
    "executive": _TALK | {"scenarios.edit", "tollgates.decide"},
    "viewer": _EVERYONE,
}


def check_role(role: str) -> str:
    """``role`` if it is a known role code, else ``ValueError`` listing the codes."""
    if role not in ROLES:
        raise DomainError("Unknown role {role!r}; choose one of {roles}.", role=role, roles=list(ROLES))
    return role


def allows(role: str | None, permission: str) -> bool:
    """Whether ``role`` holds ``permission``."""
    return permission in ROLE_PERMISSIONS.get(role or "", frozenset())

"""A KPI baseline in words: its window, where the KPI stands against its target, and its DPMO or Ppk.

Numbers go through the app's formatter (units, separators, Persian digits), control-chart rules
are named in words, never as codes.
"""

from __future__ import annotations

from ui.core.format import number, period_label
from ui.core.i18n import t


def _window(baseline: dict) -> str:
    span = {"first": period_label(baseline["since"]), "last": period_label(baseline["until"])}
    if baseline.get("since_change"):
        return t("Baseline window: {first} to {last}, since the process change of {change}.",
                 change=period_label(baseline["since_change"]), **span)
    return t("Baseline window: the last {months} months, {first} to {last}.",
             months=number(baseline["months"], decimals=0), **span)


def _quality(baseline: dict) -> str:
    if baseline.get("dpmo") is not None:
        return t("{defects} defects in {opportunities} opportunities (a defect: {defect}; an opportunity: "
                 "{opportunity}): {dpmo} DPMO, sigma level {level}.", defects=number(baseline["defects"], decimals=0),
                 opportunities=number(baseline["opportunities"], decimals=0), opportunity=t(baseline["opportunity"]),
                 defect=t(baseline["defect"]), dpmo=number(baseline["dpmo"], decimals=0),
                 level=number(baseline["sigma_level"], decimals=2))
    if baseline.get("ppk") is None:
        return t("Its performance against the target cannot be stated: the window has no spread or no target.")
    side = t("lower") if baseline.get("direction") == "higher" else t("upper")
    return t("It has no countable units, so its performance is stated against the target as the {side} "
             "specification limit: Ppk {ppk} (95 % CI {low} to {high}).", side=side,
             ppk=number(baseline["ppk"], decimals=2), low=number(baseline["ppk_low"], decimals=2),
             high=number(baseline["ppk_high"], decimals=2))


def _signal(baseline: dict) -> str:
    signal = baseline.get("signal")
    if not isinstance(signal, dict):
        return t("Its control chart shows no special cause in the window.")
    return t("Newest special cause on its control chart: {rule} in {month}.", rule=t(signal["description"]),
             month=period_label(signal["month"]))


def summary(baseline: dict, unit: str) -> list[str]:
    """The baseline as a few sentences for the charter and the Measure phase."""
    stands = t("Mean {mean} (σ {sigma}), last {last} against a target of {target}; {met} of {months} months met "
               "it.", mean=number(baseline["mean"], unit), sigma=number(baseline["sigma"], unit),
               last=number(baseline["last"], unit), target=number(baseline["target"], unit),
               met=number(baseline.get("months_meeting_target"), decimals=0),
               months=number(baseline["months"], decimals=0))
    return [_window(baseline), stands, _quality(baseline), _signal(baseline)]


def problem_statement(kpi_name: str, segment: str, baseline: dict, unit: str) -> str:
    """The charter's pre-filled problem (``kpi_name`` in the user's language): where the KPI stands, with
    formatted numbers and its signal in words."""
    text = t("{kpi} ({segment}) is {last} against a target of {target} (mean {mean} from {first} to {last_month}).",
             kpi=kpi_name, segment=t(segment), last=number(baseline["last"], unit),
             target=number(baseline["target"], unit), mean=number(baseline["mean"], unit),
             first=period_label(baseline["since"]), last_month=period_label(baseline["until"]))
    return text + " " + _signal(baseline)


def goal_statement(kpi_name: str, baseline: dict, unit: str) -> str:
    """The charter's pre-filled goal."""
    return t("Bring {kpi} to {target} within six months.", kpi=kpi_name, target=number(baseline["target"], unit))

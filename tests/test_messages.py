"""The domain's messages in Persian (ui.core.messages): real errors raised by the engine, translated
through the catalog with their placeholders filled; unknown messages stay as they are."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest

import ui.core.i18n
import ui.core.messages
from scorecard.io.importer import ImportProblem
from sixsigma import roadmap
from sixsigma.capability import capability
from sixsigma.spc import control_chart
from ui.core.messages import MESSAGES, explain

ROOT = Path(__file__).resolve().parent.parent
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))


@pytest.fixture()
def persian(monkeypatch):
    monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    monkeypatch.setattr(ui.core.messages, "is_rtl", lambda: True)
    monkeypatch.setattr(ui.core.i18n, "is_rtl", lambda: True)


def _raised(call, *args, **kwargs) -> str:
    with pytest.raises(ValueError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_every_catalogued_message_has_a_persian_entry():
    assert not sorted(set(MESSAGES) - set(PERSIAN))


def test_english_stays_as_the_domain_wrote_it():
    text = _raised(capability, [1.0, 2.0, 3.0])
    assert explain(text) == text


def test_a_stage_without_phase_one_samples(persian):
    text = _raised(control_chart, np.arange(12.0), "i_mr", stages=["a"] * 6 + ["Stage 2"] * 6,
                   phase1=np.arange(12) < 6)
    assert explain(text) == "مرحلهٔ «Stage 2» پس از کنار گذاشتن نقاط، هیچ نمونهٔ فاز I برای برآورد حدود ندارد"


def test_capability_without_spec_limits(persian):
    assert explain(_raised(capability, [1.0, 2.0, 3.0])) == PERSIAN[
        "capability needs at least one specification limit (lsl or usl)"]


def test_tollgate_gaps_translate_sentence_by_sentence(persian):
    gaps = roadmap.tollgate_gaps("dmaic", "measure", {}, {})
    text = _raised(roadmap.check_decision, "approve", "", gaps)
    shown = explain(text)
    assert shown.startswith("دروازه هنوز قابل تأیید نیست: ") and "Tick" not in shown and "Save the" not in shown
    assert PERSIAN[roadmap.CHECKLISTS["measure"][0].text] in shown


def test_duration_warning_with_persian_digits(persian):
    warning = roadmap.duration_warning(date(2026, 1, 1), date(2026, 2, 15))
    assert explain(warning) == "برنامه برای ۱٫۵ ماه است: بیشتر پروژه‌های شش سیگما ۳ تا ۹ ماه زمان می‌برند."


def test_import_problem_keeps_file_row_and_column(persian):
    problem = ImportProblem("MEASUREMENTS.csv", 3, "period", "a chart of individual values needs at least 2 values")
    assert explain(problem) == ("MEASUREMENTS.csv، سطر ۳، ستون «period»: "
                                + PERSIAN["a chart of individual values needs at least 2 values"])


def test_refusal_names_role_and_permission(persian):
    shown = explain("The role 'viewer' of 'guest' may not do 'targets.edit'.")
    assert shown == f"نقش «{PERSIAN['viewer']}» کاربر «guest» اجازهٔ «targets.edit» را ندارد."


def test_unknown_messages_are_shown_as_they_are(persian):
    assert explain("Something the catalog has never seen.") == "Something the catalog has never seen."

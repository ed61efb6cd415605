"""The domain's messages in Persian (ui.core.messages.explain): real errors raised by the engine and the data
layer, their templates translated and their parameters written for the reader (Persian digits, nested
messages, catalogued words). Each expected text is written out here, not built by the code under test."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ui.core.i18n
import ui.core.messages
from data.writes import PermissionDenied, write_session
from errors import DomainError
from scorecard.io.importer import ImportProblem, ImportValidationError, validate_kpis, validate_measurements
from sixsigma import roadmap
from sixsigma.capability import capability
from sixsigma.spc import control_chart
from ui.core.messages import explain

ROOT = Path(__file__).resolve().parent.parent
PERSIAN = json.loads((ROOT / "ui" / "locales" / "fa.json").read_text(encoding="utf-8"))
LRM_MINUS = "\u200e\u2212"


@pytest.fixture()
def persian(monkeypatch):
    monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    monkeypatch.setattr(ui.core.messages, "is_rtl", lambda: True)
    monkeypatch.setattr(ui.core.i18n, "is_rtl", lambda: True)


def _raised(call, *args, **kwargs) -> ValueError:
    with pytest.raises(ValueError) as caught:
        call(*args, **kwargs)
    return caught.value


def _import_error(validate, rows: list[dict], name: str) -> ImportValidationError:
    with pytest.raises(ImportValidationError) as caught:
        validate(pd.DataFrame(rows), name)
    return caught.value


def test_english_stays_as_the_domain_wrote_it():
    error = _raised(capability, [1.0, 2.0, 3.0])
    assert isinstance(error, DomainError)
    assert explain(error) == str(error) == "capability needs at least one specification limit (lsl or usl)"
    warning = roadmap.duration_warning(date(2026, 1, 1), date(2026, 2, 15))
    assert explain(warning) == "Planned for 1.5 months: most Six Sigma projects need 3 to 9."


def test_a_stage_without_phase_one_samples(persian):
    error = _raised(control_chart, np.arange(12.0), "i_mr", stages=["a"] * 6 + ["Stage 2"] * 6,
                    phase1=np.arange(12) < 6)
    assert explain(error) == "مرحلهٔ 'Stage 2' پس از کنار گذاشتن نقاط، هیچ نمونهٔ فاز I برای برآورد حدود ندارد"


def test_capability_without_spec_limits(persian):
    assert explain(_raised(capability, [1.0, 2.0, 3.0])) == "قابلیت فرایند دست‌کم یک حد مشخصه (پایین یا بالا) لازم دارد"


def test_numbers_in_persian_digits_with_the_templates_format(persian):
    error = _raised(capability, [1.0, 2.0, 3.0], lsl=5, usl=2.5)
    assert str(error) == "lsl (5) must be below usl (2.5)"
    assert explain(error) == "حد پایین مشخصه (۵) باید کمتر از حد بالا (۲٫۵) باشد"


def test_tollgate_gaps_are_nested_messages_translated_one_by_one(persian):
    gaps = roadmap.tollgate_gaps("dmaic", "analyze", {}, {})
    shown = explain(_raised(roadmap.check_decision, "approve", "", gaps))
    causes = PERSIAN["Potential causes listed and narrowed to the vital few"]
    verified = PERSIAN["Root causes verified with data (a test or a regression)"]
    assert shown == (f"دروازه هنوز قابل تأیید نیست: «{causes}» را تیک بزنید. «{verified}» را تیک بزنید. "
                     "نمودار پارتو یا علت و معلول (استخوان ماهی) یا ۵ چرا را ذخیره کنید. "
                     "آزمون فرض یا رگرسیون را ذخیره کنید.")


def test_a_rework_without_reason_names_the_decision_in_persian(persian):
    assert explain(_raised(roadmap.check_decision, "rework", " ", [])) == "بنویسید چرا این مرحله باید «بازنگری» شود."


def test_duration_warning_with_persian_digits(persian):
    warning = roadmap.duration_warning(date(2026, 1, 1), date(2026, 2, 15))
    assert explain(warning) == "برنامه برای ۱٫۵ ماه است: بیشتر پروژه‌های شش سیگما ۳ تا ۹ ماه زمان می‌برند."


def test_an_import_problem_keeps_file_row_and_column_and_the_cell_as_typed(persian):
    error = _import_error(validate_measurements, [{"kpi": "Revenue", "period": "2025-13", "actual": 1.0}], "m.csv")
    assert str(error) == "1 problem(s) in m.csv:\nm.csv, row 2, column 'period': '2025-13': month 13 does not exist (01 to 12)"
    assert explain(error.problems[0]) == "m.csv، سطر ۲، ستون «period»: «2025-13»: ماه 13 وجود ندارد (01 تا 12)"
    assert explain(error) == "۱ مشکل در m.csv:\nm.csv، سطر ۲، ستون «period»: «2025-13»: ماه 13 وجود ندارد (01 تا 12)"


def test_a_negative_number_keeps_its_sign_left_of_the_digits(persian):
    row = {"perspective": "Financial", "objective": "Grow", "kpi": "Revenue", "unit": "$", "direction": "higher",
           "target": 100, "weight": -3}
    error = _import_error(validate_kpis, [row], "k.csv")
    assert explain(error.problems[0]) == f"k.csv، سطر ۲، ستون «weight»: {LRM_MINUS}۳ نباید کمتر از ۰ باشد"


def test_a_problem_whose_reason_is_plain_text_translates_it_whole(persian):
    problem = ImportProblem("MEASUREMENTS.csv", 3, "period", "a chart of individual values needs at least 2 values")
    assert explain(problem) == "MEASUREMENTS.csv، سطر ۳، ستون «period»: نمودار مقادیر تکی دست‌کم ۲ مقدار لازم دارد"


def test_a_refusal_names_the_person_role_and_permission_in_persian(persian, sqlite_engine):
    with pytest.raises(PermissionDenied) as refused:
        with write_session(sqlite_engine, "guest", "scorecard.edit"):
            pass
    assert str(refused.value).startswith("Guest (read only) (role: Viewer) may not change the scorecard")
    assert explain(refused.value) == ("مهمان (فقط خواندنی) (نقش: بیننده) اجازهٔ تغییر کارت امتیازی (بعدها، اهداف، "
                                      "شاخص‌ها، اهداف کمی، روابط) یا رسمی کردن اهداف یک سناریو را ندارد.")


def test_unknown_messages_are_shown_as_they_are(persian):
    assert explain("Something the catalog has never seen.") == "Something the catalog has never seen."
    assert explain(RuntimeError("disk full")) == "disk full"


def test_a_design_verification_verdict_in_persian(persian):
    """Observed 17 20 18 21 19 16 22 19 against a required mean of at most 25: mean 19, s = 2, and the one-sided
    95 % bound 19 + t(0.95, 7)·2/√8 = 19 + 1.895·0.7071 = 20.34 (t from NIST/SEMATECH Table 1.3.6.7.2)."""
    from sixsigma.analysis import verification_test

    verdict = verification_test([17, 20, 18, 21, 19, 16, 22, 19], 25, "lower").message
    assert explain(verdict).startswith("طرح به مقدار لازم ۲۵ می\u200cرسد (میانگین ۱۹؛ با اطمینان ۹۵% میانگین حداکثر ۲۰٫۳۴ است)؛ ")
    assert str(verdict).startswith("The design meets the requirement of 25 (mean 19; with 95% confidence the mean is at "
                                   "most 20.34); ")


def test_a_tollgates_p_values_are_written_in_persian_digits(persian):
    """#18: the p-value a tollgate gap names reads in the reader's digits like the α beside it."""
    pilot = {"solutions": {"rows": [{"solution": "Script"}]}, "fmea": {"rows": [{"failure_mode": "x", "severity": 2,
             "occurrence": 2, "detection": 2}]}, "pilot": {"p_value": 0.71234}}
    (gap,) = roadmap.tollgate_gaps("dmaic", "improve", pilot, {i.key: True for i in roadmap.CHECKLISTS["improve"]})
    said = explain(gap)
    assert "۰٫۷۱۲" in said and "۰٫۰۵" in said and not any(digit in said for digit in "0123456789"), said

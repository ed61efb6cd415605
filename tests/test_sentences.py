"""The Analyze tests' sentences in the reader's language (#19): each result carries its sentence as a template with
its parameters (``TestResult.message``, an ``errors.Message``), ``sentence`` stays its English text, and a Persian
screen shows the Persian sentence with Persian digits and none of the template's English words. Older saved
results that hold only an English ``sentence`` still show it.
"""

from __future__ import annotations

import re

import pytest

import ui.core.i18n
from data.projects import project_detail, save_artifact
from errors import Message, placeholders
from sixsigma import analysis
from tests.apptest import ok, texts
from tests.test_analyze_displays import _open

BEFORE, AFTER = [1.0, 2.0, 3.0, 4.0, 5.0], [3.0, 4.0, 5.0, 6.0, 7.0]
RESULTS = {
    "two_sample_t": lambda: analysis.two_sample_t(BEFORE, AFTER),
    "paired_t": lambda: analysis.paired_t(BEFORE, [3.0, 4.5, 4.0, 6.5, 7.0]),
    "one_way_anova": lambda: analysis.one_way_anova({"x": BEFORE, "y": AFTER, "z": [2.0, 3.0, 4.0, 5.0, 9.0]}),
    "chi_square": lambda: analysis.chi_square([[10, 20], [30, 40]]),
    "chi_square_related": lambda: analysis.chi_square([[50, 5], [5, 50]]),
    "two_proportions": lambda: analysis.two_proportions(30, 100, 45, 100),
    "shift_higher": lambda: analysis.shift_test(BEFORE, AFTER, "higher"),
    "shift_lower": lambda: analysis.shift_test(BEFORE, AFTER, "lower"),
    "verification_higher": lambda: analysis.verification_test(AFTER, 4.0, "higher"),
    "verification_lower": lambda: analysis.verification_test(AFTER, 4.0, "lower"),
    "correlation": lambda: analysis.correlation(BEFORE + [6.0], [2.0, 1.0, 4.0, 3.0, 6.0, 5.0]),
    "correlation_opposite": lambda: analysis.correlation(BEFORE + [6.0], [9.0, 8.0, 8.5, 5.0, 4.0, 1.0]),
    "normality": lambda: analysis.normality([1.0, 2.0, 2.5, 3.0, 3.2, 4.0, 5.0, 9.0]),
    "mann_whitney": lambda: analysis.mann_whitney(BEFORE, AFTER),
    "kruskal_wallis": lambda: analysis.kruskal_wallis({"x": BEFORE, "y": AFTER}),
    "equal_variances": lambda: analysis.equal_variances({"x": BEFORE, "y": [1.0, 5.0, 9.0, 2.0, 8.0]}),
}
WORD = re.compile(r"[A-Za-z]{2,}")


def _template_words(message: Message) -> set[str]:
    """The English words of a template's literal text and of its nested templates (not of its parameters)."""
    words = {w for literal, *_ in placeholders(message.template) for w in WORD.findall(literal)}
    for value in message.params.values():
        if isinstance(value, Message):
            words |= _template_words(value)
    return words


@pytest.mark.parametrize("name", RESULTS)
def test_each_result_carries_its_template_and_the_english_sentence_is_its_text(name):
    result = RESULTS[name]()
    assert isinstance(result.message, Message) and str(result.message) == result.sentence
    assert result.sentence.endswith(".") and "{" not in result.sentence


def test_the_english_sentence_reads_as_before():
    # Welch t of 1..5 against 3..7 by hand: difference 2, SE = √(2.5/5 + 2.5/5) = 1, df 8, t(0.975, 8) = 2.306.
    sentence = analysis.two_sample_t(BEFORE, AFTER).sentence
    assert sentence.startswith("The mean of B is +2 against A (95% CI -0.306 to 4.31); ")


@pytest.mark.parametrize("name", RESULTS)
def test_a_persian_reader_gets_no_english_word_of_the_template(name, monkeypatch):
    from ui.core.messages import explain
    monkeypatch.setattr(ui.core.i18n, "language", lambda: "fa")
    result = RESULTS[name]()
    shown = explain(result.message)
    leaked = {w for w in _template_words(result.message) if re.search(rf"\b{w}\b", shown)}
    assert not leaked, (shown, leaked)
    assert not re.search(r"[0-9]", shown.replace("A²", "")), shown        # Persian digits throughout


def test_a_persian_screen_shows_the_persian_sentence_and_an_old_english_one(own_url, monkeypatch):
    engine, pid, at = _open(own_url, monkeypatch, "fa")
    # A result saved before sentences were templates: only its English text.
    save_artifact(engine, "reza", pid, "analyze", "hypothesis_test",
                  {"results": [{"test": "Welch two-sample t", "p_value": 0.04,
                                "sentence": "An older sentence, saved in English."}]})
    ok(at.run())
    assert "An older sentence, saved in English." in texts(at.info)
    at.file_uploader(key=f"test_upload_{pid}").upload("times.csv", b"before,after\n1,3\n2,4\n3,5\n4,6\n5,7\n",
                                                      "text/csv")
    ok(at.run())
    at.button(key=f"FormSubmitter:test_form_{pid}-اجرا و ذخیره").click()
    ok(at.run())
    results = project_detail(engine, pid)["artifacts"]["analyze/hypothesis_test"]["results"]
    assert results[-1]["sentence"].startswith("The mean of B is +2 against A")   # English kept
    shown = [text for text in texts(at.info).splitlines() if "older" not in text]
    persian = next(text for text in shown if "۹۵" in text)
    words = _template_words(analysis.two_sample_t(BEFORE, AFTER).message)
    assert not {w for w in words if re.search(rf"\b{w}\b", persian)}, persian

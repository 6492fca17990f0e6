"""The rule language: what it evaluates, and the dangerous input it refuses with a clear message."""

import pytest
from django.utils import translation

from parcours.assistance import rules
from parcours.assistance.facts import known_names


def run(text, **names):
    return rules.evaluate(text, names=names, functions={})


def test_given_facts_when_evaluating_then_arithmetic_comparisons_dates_and_ages_work():
    import datetime as dt

    assert run("45000 + 1500 * days", days=3) == 49500
    assert run("return_date != None and return_date >= date(2019, 7, 1)", return_date=dt.date(2019, 7, 1)) is True
    assert run("return_date != None and return_date >= date(2019, 7, 1)", return_date=None) is False
    assert run("count_ages(ages, 14, 18)", ages=[13, 14, 18, 19]) == 2
    assert run("sex in ['F']", sex="F") is True
    assert run("100 if age >= 18 else 50", age=17) == 50


@pytest.mark.parametrize("text, fragment", [
    ("age.__class__", "“.” is not allowed"),
    ("__import__('os')", "Unknown name"),
    ("open('/etc/passwd')", "Unknown name"),
    ("2 ** 999999", "“**” is not allowed"),
    ("[a for a in household_ages]", "not allowed"),
    ("lambda: 1", "not allowed"),
    ("household_ages[0]", "“[ ]” is not allowed"),
    ("1 << 4000", "not allowed"),
    ("10000000000000 + 1", "too large"),
    ("age +", "Syntax error"),
    ("1 + " * 400 + "1", "too long"),
    ("date(year=2019, month=7, day=1)", "Only the listed functions"),
])
def test_given_dangerous_or_broken_rule_when_parsed_then_refused_with_a_clear_error(text, fragment):
    with translation.override("en"), pytest.raises(rules.RuleError) as exc:
        rules.parse(text, known_names())
    assert fragment in str(exc.value)


def test_given_a_huge_string_repetition_when_evaluated_then_stopped_not_run():
    with translation.override("en"), pytest.raises(rules.RuleError) as exc:
        run("'x' * 999999999 == ''")
    assert "could not be evaluated" in str(exc.value)


def test_given_a_bad_rule_when_parsed_in_french_then_message_is_french():
    with translation.override("fr"), pytest.raises(rules.RuleError) as exc:
        rules.parse("age.__class__", known_names())
    assert "n’est pas autorisé" in str(exc.value) or "n'est pas autorisé" in str(exc.value)

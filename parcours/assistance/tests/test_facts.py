"""The facts registry: other apps register facts the rules can use, and may replace a default."""

import pytest

from parcours.assistance import facts
from parcours.assistance.models import Scheme
from parcours.assistance.services import version_in_force

from .conftest import day


@pytest.fixture
def restore_facts():
    saved, functions = dict(facts.FACTS), set(facts.FUNCTIONS)
    yield
    facts.FACTS.clear()
    facts.FACTS.update(saved)
    facts.FUNCTIONS.clear()
    facts.FUNCTIONS.update(functions)


def test_given_another_app_registers_training_days_when_evaluating_then_its_fact_is_used(returnee, restore_facts):
    from parcours.assistance import engine

    @facts.register_fact("training_days_attended")
    def from_enrolments(ctx):
        return 10 if ctx.period == "2024-04" else 0

    person = returnee()
    version = version_in_force(Scheme.objects.get(code="training_allowance"), day("2024-04-30"))
    assert engine.evaluate(version, person, day("2024-04-30")).amount_xof == 45_000 + 10 * 1_500
    assert not engine.evaluate(version, person, day("2024-05-31")).eligible


def test_given_a_new_fact_when_registered_then_rules_may_name_it(restore_facts):
    from parcours.assistance import rules

    with pytest.raises(rules.RuleError):
        rules.parse("is_vulnerable", facts.known_names())
    facts.register_fact("is_vulnerable", description="screened vulnerable")(lambda ctx: True)
    assert rules.parse("is_vulnerable", facts.known_names())


def test_given_household_with_unknown_age_when_listing_ages_then_left_out(world, returnee):
    from parcours.people.models import HouseholdMember

    person = returnee()
    HouseholdMember.objects.create(person=person, relationship="child", given_name="X")
    HouseholdMember.objects.create(person=person, relationship="child", given_name="Y", birth_year=2010)
    ctx = facts.FactContext(person, day("2024-06-15"))
    assert ctx.values({"household_ages", "household_size", "age"})[0] == {
        "household_ages": [14], "household_size": 3, "age": 34}

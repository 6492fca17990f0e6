"""The facts layer: dated, demographic snapshot, voidable, readable by sensitivity."""

import datetime as dt

import pytest

from parcours.facts.kinds import Sensitivity, label_of, register
from parcours.facts.models import Fact
from parcours.facts.selectors import live_facts, person_facts_for
from parcours.facts.services import fact_build, fact_record, fact_void_subject, facts_record_many, subscribe

pytestmark = pytest.mark.django_db

register("test.count", label="%(n)s counted", sensitivity=Sensitivity.PUBLIC, person_required=False)
register("test.paid", label="Paid %(amount)s", sensitivity=Sensitivity.PROGRAMME)
register("test.screened", label="Screened", sensitivity=Sensitivity.PROTECTION)
register("test.reversed", label="Reversed", sensitivity=Sensitivity.PROGRAMME)


def test_a_fact_keeps_its_own_date_and_the_persons_age_then(make_person, world):
    person = make_person(birth_date="2008-06-01", birth_year="")
    fact = fact_record(kind="test.paid", on=dt.date(2025, 3, 1), person=person, actor=world.user("caseworker.kayes"),
                       amount_xof=52000, data={"amount": "52 000"})
    assert fact.occurred_on == dt.date(2025, 3, 1)
    assert fact.age == 16 and fact.sex == "M"
    assert fact.agency.code == world.user("caseworker.kayes").agency.code
    assert fact.label == "Paid 52 000"


def test_a_fact_without_a_person(world):
    fact = fact_record(kind="test.count", on=dt.date(2026, 1, 5), place=world.places["GAO"], quantity=37, data={"n": 37})
    assert fact.person is None and fact.place_path == world.places["GAO"].path and fact.quantity == 37


def test_a_person_kind_refuses_to_be_recorded_without_a_person():
    with pytest.raises(ValueError, match="needs a person"):
        fact_record(kind="test.paid", on=dt.date(2026, 1, 5))


def test_an_unregistered_kind_is_a_programming_error():
    with pytest.raises(LookupError):
        fact_record(kind="test.nobody_registered_me", on=dt.date(2026, 1, 5))


def test_a_reversal_voids_the_payment_and_counts_skip_it(make_person):
    person = make_person()
    paid = fact_record(kind="test.paid", on=dt.date(2026, 2, 1), person=person, subject=person, amount_xof=1)
    assert list(live_facts(["test.paid"], start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 1))) == [paid]
    reversal = fact_record(kind="test.reversed", on=dt.date(2026, 2, 3), person=person, voids=paid)
    paid.refresh_from_db()
    assert paid.voided_by == reversal
    assert not live_facts(["test.paid"]).exists()


def test_void_every_fact_about_a_subject(make_person):
    person = make_person()
    first = fact_record(kind="test.paid", on=dt.date(2026, 2, 1), person=person, subject=person)
    correction = fact_record(kind="test.reversed", on=dt.date(2026, 2, 2), person=person, subject=person)
    assert fact_void_subject(subject=person, by_fact=correction, kinds=["test.paid"]) == 1
    first.refresh_from_db()
    assert first.voided_by == correction


def test_the_period_applies_to_the_events_date_not_the_day_it_was_recorded(make_person):
    person = make_person()
    fact_record(kind="test.paid", on=dt.date(2025, 12, 31), person=person)
    assert live_facts(["test.paid"], start=dt.date(2026, 1, 1)).count() == 0
    assert live_facts(["test.paid"], end=dt.date(2025, 12, 31)).count() == 1


def test_subscribers_hear_of_a_new_fact(make_person):
    heard = []
    subscribe("test.count", heard.append)
    fact = fact_record(kind="test.count", on=dt.date(2026, 1, 1))
    assert heard == [fact]


def test_many_facts_at_once_are_saved_filled_in_and_heard(world):
    heard = []
    subscribe("test.count", heard.append)
    gao, actor = world.places["GAO"], world.user("enumerator.gao")
    facts = facts_record_many([fact_build(kind="test.count", on=dt.date(2026, 1, d), place=gao, quantity=d,
                                          actor=actor) for d in (1, 2, 3)])
    assert [f.pk is not None for f in facts] == [True] * 3 and heard == facts
    saved = Fact.objects.filter(pk__in=[f.pk for f in facts]).order_by("occurred_on")
    assert [(f.occurred_on.day, f.quantity, f.place_path, f.agency_id) for f in saved] == [
        (d, d, gao.path, actor.agency_id) for d in (1, 2, 3)]
    with pytest.raises(ValueError, match="needs a person"):
        fact_build(kind="test.paid", on=dt.date(2026, 1, 5))


def test_a_service_provider_reads_neither_amounts_nor_protection_facts(make_person, world):
    person = make_person()
    for kind in ("test.paid", "test.screened"):
        fact_record(kind=kind, on=dt.date(2026, 1, 1), person=person)
    kinds = lambda username: {f.kind for f in person_facts_for(world.user(username), person)}  # noqa: E731
    assert "test.paid" not in kinds("partner.cfpm") and "test.screened" not in kinds("partner.cfpm")
    assert "test.paid" in kinds("caseworker.kayes") and "test.screened" not in kinds("caseworker.kayes")
    assert {"test.paid", "test.screened"} <= kinds("protection.bamako")
    assert "registered" in kinds("partner.cfpm")


def test_labels_fall_back_to_the_kind():
    assert label_of("not.registered", {}) == "not.registered"
    assert Fact._meta.get_field("occurred_on")

"""The contract's computed indicators, against values counted by hand.

The world: returnees of Kayes paid through the real services, one paid twice under two records
that are then merged, one payment reversed, one arrival allowance (not reintegration), one paid
before the period, and one returnee of Bamako followed by an NGO, outside the Kayes case
worker's scope. Every payment is recorded today for a date in the past (late entries)."""

import datetime as dt

import pytest

from parcours.facts.services import fact_record
from parcours.logframe.selectors import results_for

pytestmark = pytest.mark.django_db
YEAR_2024 = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)}


def _result(user, code, **period):
    return results_for(user, code=code, **period)[0]


def test_reintegration_supported_counts_merged_people_once_and_no_reversed_or_arrival_payment(world, paid_world):
    r = _result(world.user("me.iom"), "OS2.reintegration_supported", **YEAR_2024)
    # A (+ E merged into A), B, H. Not C (arrival allowance), D (reversed), F (2023).
    assert r.value == 3
    assert r.disaggregations == {"returned_from": {"africa": 2, "europe": 1}, "sex": {"F": 2, "M": 1}}
    assert (r.original_target, r.target) == (1900, 9000)


def test_the_period_is_the_payments_own_date(world, paid_world):
    me = world.user("me.iom")
    assert _result(me, "OS2.reintegration_supported", start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)).value == 1
    assert _result(me, "OS2.reintegration_supported", start=dt.date(2024, 5, 2), end=dt.date(2024, 5, 2)).value == 1
    # The whole action up to today: A, B, F, H.
    assert _result(me, "OS2.reintegration_supported").value == 4


def test_a_case_worker_counts_only_her_places_people(world, paid_world):
    r = _result(world.user("caseworker.kayes"), "OS2.reintegration_supported", **YEAR_2024)
    assert r.value == 2  # A and B; H is a Bamako returnee
    assert r.disaggregations == {"returned_from": {"africa": 1, "europe": 1}, "sex": {"F": 1, "M": 1}}


def test_assisted_counts_the_arrival_allowance_too(world, paid_world):
    r = _result(world.user("me.iom"), "OS1.assisted", **YEAR_2024)
    assert r.value == 4  # A, B, C, H
    for groups in r.disaggregations.values():
        assert sum(groups.values()) == 4


def test_a_person_is_in_one_age_group_even_when_a_birthday_falls_in_the_period(world, logframe, schemes, pay,
                                                                               make_person):
    young = make_person(by="caseworker.kayes", given_name="Oumar", origin_region="Kayes", birth_date="2006-03-01",
                        birth_year="2006", return_date="2024-01-10")
    pay(young, "arrival_allowance", paid_on="2024-01-10")  # 17
    pay(young, "business_kit", paid_on="2024-05-02")  # 18
    r = _result(world.user("me.iom"), "OS1.assisted", **YEAR_2024)
    assert r.value == 1 and r.disaggregations["age_group"] == {"0-17": 1}


def test_undoing_the_merge_counts_two_people_again(world, paid_world):
    from parcours.dedup.models import Merge
    from parcours.dedup.services import merge_undo

    merge_undo(by=world.user("me.iom"), merge_id=Merge.objects.get().pk)
    assert _result(world.user("me.iom"), "OS2.reintegration_supported", **YEAR_2024).value == 4


def _activity(world, commune, audience, male, female, on, **extra):
    return fact_record(kind="outreach.activity_held", on=on, place=world.places[commune], quantity=male + female,
                       data={"audience": audience, "participants_male": male, "participants_female": female, **extra})


def test_sensitization_indicators(world, logframe):
    from parcours.facts.kinds import register

    register("outreach.activity_held", label="Activity", person_required=False)
    register("outreach.activity_cancelled", label="Cancelled", person_required=False)
    _activity(world, "SIK-SIK-SIK", "community", 10, 15, dt.date(2024, 3, 1))
    _activity(world, "KAY-KAY-KAY", "csos", 3, 2, dt.date(2024, 4, 1))
    _activity(world, "SIK-SIK-SIK", "security_agents", 20, 1, dt.date(2024, 4, 2))
    _activity(world, "KAY-NIO-NIO", "community", 50, 50, dt.date(2025, 1, 2))  # outside 2024
    wrong = _activity(world, "KAY-DIE-DIE", "community", 7, 7, dt.date(2024, 5, 1))
    fact_record(kind="outreach.activity_cancelled", on=dt.date(2024, 5, 2), voids=wrong)
    me = world.user("me.iom")
    people = _result(me, "OS4.people_sensitized", **YEAR_2024)
    assert people.value == 30 and people.disaggregations == {"sex": {"F": 17, "M": 13}}
    assert _result(me, "OS4.communities_sensitized", **YEAR_2024).value == 2
    trained = _result(me, "OS5.agents_trained", **YEAR_2024)
    assert trained.value == 21 and trained.disaggregations == {"sex": {"F": 1, "M": 20}}
    # A focal point of Sikasso counts Sikasso's activities only.
    assert _result(world.user("focal.sikasso"), "OS4.people_sensitized", **YEAR_2024).value == 25


def test_entered_indicator_takes_the_latest_value_with_evidence(world, logframe):
    from parcours.logframe.models import Indicator
    from parcours.logframe.services import value_enter

    sop = Indicator.objects.get(code="OS1.referral_sop")
    value_enter(by=world.user("me.iom"), indicator=sop, data={"value": 1, "achieved_on": "2018-03-15",
                                                              "note": "PV du comité technique"})
    assert _result(world.user("me.iom"), "OS1.referral_sop").value == 1
    assert _result(world.user("me.iom"), "OS1.referral_sop", end=dt.date(2018, 1, 1)).value == 0


def test_groups_by_region_agency_and_a_data_key_add_up_to_the_total(world, paid_world):
    """The database groups the facts; each person is placed once, by their first payment of the
    period: C (arrival allowance, 1 Feb), B (cash grant, 1 Mar), A (business kit, 2 May; E's later
    cash grant is A's), H (business kit, Bamako, paid by AJDM). D's payment was reversed."""
    from parcours.logframe.definitions import compute

    people = compute({"count": "distinct_people", "kinds": ["assistance_paid"]}, **YEAR_2024,
                     disaggregations=["region", "agency", "data.code"])
    assert people.value == 4
    assert people.disaggregations["data.code"] == {"arrival_allowance": 1, "business_kit": 2, "cash_grant": 1}
    assert people.disaggregations["region"] == {"District de Bamako": 1, "Kayes": 3}
    assert people.disaggregations["agency"]["AJDM"] == 1 and sum(people.disaggregations["agency"].values()) == 4
    payments = compute({"count": "facts", "kinds": ["assistance_paid"]}, **YEAR_2024, disaggregations=["data.code"])
    assert payments.value == 5  # E's payment counts as a payment, though not as a person
    assert payments.disaggregations == {"data.code": {"arrival_allowance": 1, "business_kit": 2, "cash_grant": 2}}
    places = compute({"count": "distinct_places", "kinds": ["assistance_paid"]}, **YEAR_2024,
                     disaggregations=["region"])
    assert sum(places.disaggregations["region"].values()) == places.value

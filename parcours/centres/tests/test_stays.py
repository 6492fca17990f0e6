"""Stays: admission, one open stay per person, beds never double-booked, occupancy per night,
exit with reason, services received, facts on the event's own date."""

import datetime as dt

import pytest

from parcours.centres import selectors
from parcours.centres.models import Stay
from parcours.centres.services import stay_end, stay_service_record
from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact

TODAY = dt.date.today()


def test_given_a_migrant_when_admitted_then_stay_open_and_fact_dated_on_entry(world, gao, migrant, admit):
    person = migrant()
    day = TODAY - dt.timedelta(days=3)
    stay = admit(person, day, services=["food", "medical"], entry_point="GAO")
    assert stay.is_open and stay.entry_point.code == "GAO"
    fact = Fact.objects.get(kind="centres.stay_begun", person=person)
    assert fact.occurred_on == day and fact.place == gao.place
    assert Fact.objects.filter(kind="centres.service_received", person=person).count() == 1
    assert Fact.objects.filter(kind="centres.care_received", person=person).count() == 1
    assert selectors.occupancy_on(gao, TODAY) == 1
    assert selectors.occupancy_on(gao, day - dt.timedelta(days=1)) == 0


def test_given_an_open_stay_when_admitted_again_then_person_field_named(gao, centres, migrant, admit):
    person = migrant()
    admit(person, TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationFailed) as exc:
        admit(person, TODAY)
    assert "person" in exc.value.fields
    assert Stay.objects.filter(person=person).count() == 1


def test_given_a_full_centre_when_admitting_then_refused_and_bed_never_double_booked(gao, migrant, admit):
    gao.capacity = 2
    gao.save()
    admit(migrant(given_name="A"), TODAY - dt.timedelta(days=10))
    admit(migrant(given_name="B"), TODAY - dt.timedelta(days=2))
    with pytest.raises(ValidationFailed) as exc:
        admit(migrant(given_name="C"), TODAY)
    assert "entered_on" in exc.value.fields
    # Backdated to a night when both beds were taken: refused too.
    with pytest.raises(ValidationFailed):
        admit(migrant(given_name="D"), TODAY - dt.timedelta(days=5))
    assert max(n for _d, n in selectors.occupancy_by_night(gao, TODAY - dt.timedelta(days=15), TODAY)) == 2


def test_given_a_stay_when_it_ends_then_nights_counted_up_to_the_day_before_leaving(world, gao, migrant, admit):
    person = migrant()
    stay = admit(person, TODAY - dt.timedelta(days=5))
    left = TODAY - dt.timedelta(days=2)
    stay = stay_end(by=world.user("centre.gao"), stay_id=stay.pk, data={"left_on": left, "reason": "onward"})
    assert stay.nights(TODAY) == 3
    nights = dict(selectors.occupancy_by_night(gao, TODAY - dt.timedelta(days=6), TODAY))
    assert [nights[TODAY - dt.timedelta(days=d)] for d in (6, 5, 4, 3, 2, 1, 0)] == [0, 1, 1, 1, 0, 0, 0]
    fact = Fact.objects.get(kind="centres.stay_ended", person=person)
    assert fact.occurred_on == left and fact.data["reason"] == "onward"
    # A person can have several stays.
    admit(person, TODAY)
    assert Stay.objects.filter(person=person).count() == 2


def test_given_bad_dates_then_fields_named_and_nothing_written(world, migrant, admit):
    person = migrant()
    with pytest.raises(ValidationFailed) as exc:
        admit(person, TODAY + dt.timedelta(days=1))
    assert "entered_on" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        admit(person, TODAY, services=["massage"])
    assert "services" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        admit(person, TODAY, entry_point="NOWHERE")
    assert "entry_point" in exc.value.fields
    assert not Stay.objects.exists()
    stay = admit(person, TODAY - dt.timedelta(days=3))
    user = world.user("centre.gao")
    with pytest.raises(ValidationFailed) as exc:
        stay_end(by=user, stay_id=stay.pk, data={"left_on": TODAY - dt.timedelta(days=4), "reason": "onward"})
    assert "left_on" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        stay_end(by=user, stay_id=stay.pk, data={"left_on": TODAY, "reason": "vanished"})
    assert "reason" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        stay_service_record(by=user, stay_id=stay.pk, data={"kind": "food", "given_on": TODAY - dt.timedelta(days=9)})
    assert "given_on" in exc.value.fields


def test_given_other_agencies_and_roles_then_404_or_403(world, centres, migrant, admit):
    person = migrant()
    stay = admit(person, TODAY)
    # Another centre's agency (MMEIA's Gao centre is not Civil Protection's): not found.
    with pytest.raises(NotFound):
        admit(person, TODAY, centre=centres["BKO-CRB"])
    with pytest.raises(NotFound):
        stay_end(by=world.user("caseworker.kayes"), stay_id=stay.pk, data={"left_on": TODAY, "reason": "onward"})
    # The M&E officer reads the centre but may not discharge anyone.
    with pytest.raises(Forbidden):
        stay_end(by=world.user("me.iom"), stay_id=stay.pk, data={"left_on": TODAY, "reason": "onward"})
    with pytest.raises(Forbidden):
        stay_end(by=world.user("auditor"), stay_id=stay.pk, data={"left_on": TODAY, "reason": "onward"})


def test_given_long_stays_then_stranded_list_oldest_first(world, gao, migrant, admit):
    gao.stranded_after_days = 14
    gao.save()
    admit(migrant(given_name="Recent"), TODAY - dt.timedelta(days=3))
    admit(migrant(given_name="Old"), TODAY - dt.timedelta(days=40))
    admit(migrant(given_name="Middle"), TODAY - dt.timedelta(days=20))
    names = [s.person.given_name for s in selectors.stranded(world.user("centre.gao"), gao)]
    assert names == ["Old", "Middle"]


def test_given_a_protected_centre_then_its_name_never_on_a_programme_timeline(world, centres, make_person):
    from parcours.centres.services import stay_begin
    from parcours.facts.selectors import person_facts_for

    person = make_person(by="admin", nationality="NG", given_name="Blessing", sex="F")
    stay_begin(by=world.user("admin"), centre_code="BKO-ENDA", person_id=person.pk,
               data={"entered_on": TODAY, "trafficking_victim": True})
    lines = [f.label for f in person_facts_for(world.user("me.iom"), person)]
    assert not any("ENDA" in line or "traite" in line for line in lines), lines
    assert not any(f.kind == "centres.protection_noted" for f in person_facts_for(world.user("me.iom"), person))
    assert any(f.kind == "centres.protection_noted" for f in person_facts_for(world.user("protection.bamako"), person))

"""Sensitization activities: recorded through the service, counted by the results from their
fact on the day held, corrected and cancelled by voiding it; scoped to the recorder's place."""

import datetime as dt

import pytest

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.logframe.selectors import results_for
from parcours.outreach.events import OutreachEvent
from parcours.outreach.services import activity_cancel, activity_correct

pytestmark = pytest.mark.django_db
YEAR_2024 = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)}


def _value(user, code):
    return results_for(user, code=code, **YEAR_2024)[0]


def test_given_an_activity_when_recorded_then_one_fact_on_the_day_held(world, record):
    activity = record(participants_male=12, participants_female=30, participants_minors=5)
    fact = Fact.objects.get(kind=OutreachEvent.ACTIVITY_HELD)
    assert (fact.occurred_on, fact.place.name, fact.quantity, fact.person) == (dt.date(2024, 3, 1), "Sikasso", 42, None)
    assert fact.data["audience"] == "community"
    assert (fact.data["participants_male"], fact.data["participants_female"]) == (12, 30)
    assert fact.agency.code == "AECID" and activity.organiser.code == "AECID"


def test_the_logframe_counts_activities_by_audience(world, record):
    from parcours.logframe.services import logframe_load

    logframe_load()
    record(participants_male=10, participants_female=15)
    record(commune="Kayes", by="me.iom", audience="csos", participants_male=3, participants_female=2,
           organiser="AJDM", organiser_kind="cso")
    record(audience="security_agents", kind="training", participants_male=20, participants_female=1)
    record(on=dt.date(2025, 1, 2), participants_male=50, participants_female=50)  # outside 2024
    me = world.user("me.iom")
    people = _value(me, "OS4.people_sensitized")
    assert people.value == 30 and people.disaggregations == {"sex": {"F": 17, "M": 13}}
    assert _value(me, "OS4.communities_sensitized").value == 2
    assert _value(me, "OS5.agents_trained").value == 21
    assert _value(world.user("focal.sikasso"), "OS4.people_sensitized").value == 25


def test_a_correction_voids_the_earlier_fact_and_counts_the_new_figures(world, record):
    activity = record()
    activity_correct(by=world.user("focal.sikasso"), activity_id=activity.pk, participants_female=40,
                     on=dt.date(2024, 2, 1))
    live = Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD, voided_by__isnull=True)
    assert [(f.occurred_on, f.quantity) for f in live] == [(dt.date(2024, 2, 1), 50)]
    assert Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD).count() == 2
    # The same correction again (a retry) records nothing more.
    activity_correct(by=world.user("focal.sikasso"), activity_id=activity.pk, participants_female=40)
    assert Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD).count() == 2


def test_a_cancellation_stops_the_activity_counting(world, record):
    from parcours.logframe.services import logframe_load

    logframe_load()
    activity = record()
    activity_cancel(by=world.user("focal.sikasso"), activity_id=activity.pk, reason="Recorded twice")
    activity_cancel(by=world.user("focal.sikasso"), activity_id=activity.pk, reason="Recorded twice")  # retry
    assert _value(world.user("me.iom"), "OS4.people_sensitized").value == 0
    assert Fact.objects.filter(kind=OutreachEvent.ACTIVITY_CANCELLED).count() == 1
    with pytest.raises(ValidationFailed) as err:
        activity_correct(by=world.user("focal.sikasso"), activity_id=activity.pk, participants_male=3)
    assert "activity" in err.value.fields


def test_the_same_idempotency_key_answers_with_the_first_record(world, record):
    first = record(idempotency_key="phone-42")
    again = record(idempotency_key="phone-42", participants_male=99)
    assert again.pk == first.pk and again.replayed and not first.replayed
    assert Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD).count() == 1


@pytest.mark.parametrize(("fields", "field"), [
    ({"commune": "Nyoro"}, "commune"),
    ({"commune": "Kayes"}, "commune"),  # outside Sikasso, where the focal point works
    ({"on": dt.date(2099, 1, 1)}, "held_on"),
    ({"participants_male": -1}, "participants_male"),
    ({"participants_male": 0, "participants_female": 0}, "participants_male"),
    ({"participants_minors": 30}, "participants_minors"),
    ({"audience": "everyone"}, "audience"),
    ({"theme": ""}, "theme"),
    ({"organiser": "NOPE"}, "organiser"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, record, fields, field):
    with pytest.raises(ValidationFailed) as err:
        record(**fields)
    assert field in err.value.fields
    assert not Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD).exists()


def test_an_unknown_commune_suggests_the_closest_names(world, record):
    with pytest.raises(ValidationFailed) as err:
        record(by="me.iom", commune="Nyoro")
    assert "Nioro" in err.value.fields["commune"][0]


def test_a_media_activity_keeps_its_audience_apart_from_people_met(world, record):
    activity = record(kind="media", participants_male=0, participants_female=0, audience_estimate=25000)
    fact = Fact.objects.get(kind=OutreachEvent.ACTIVITY_HELD)
    assert fact.quantity == 0 and fact.data["audience_estimate"] == 25000 and activity.audience_estimate == 25000


@pytest.mark.parametrize("username", ["reception.bamako", "protection.bamako", "caseworker.kayes", "centre.gao",
                                      "enumerator.gao", "partner.cfpm", "manager.eu", "auditor"])
def test_other_roles_may_not_record(world, record, username):
    with pytest.raises(Forbidden):
        record(by=username)


def test_another_place_sees_nothing_and_another_agency_may_not_correct(world, record, focal_kayes):
    from parcours.outreach.policies import activity_for_read

    activity = record()
    with pytest.raises(NotFound):
        activity_for_read(focal_kayes, activity.pk)
    with pytest.raises(NotFound):
        activity_correct(by=focal_kayes, activity_id=activity.pk, participants_male=1)
    # The M&E officer (everywhere) corrects anyone's record; the manager only reads it.
    activity_correct(by=world.user("me.iom"), activity_id=activity.pk, participants_male=11)
    assert activity_for_read(world.user("manager.eu"), activity.pk).participants_male == 11
    with pytest.raises(Forbidden):
        activity_cancel(by=world.user("manager.eu"), activity_id=activity.pk, reason="x")

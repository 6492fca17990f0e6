"""Referrals through the services: consent, the status machine, capacity, idempotency, attendance."""

import datetime as dt

import pytest

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.people.models import AgencyAccess
from parcours.people.policies import people_visible_to
from parcours.referrals.models import Attendance, Referral, StatusChange
from parcours.referrals.selectors import days_attended, referrals_for_person
from parcours.referrals.services import attendance_record, referral_create

S = Referral.Status


def this_month():
    return dt.date.today().replace(day=1)


def last_month():
    return (this_month() - dt.timedelta(days=1)).replace(day=1)


def test_given_no_consent_when_referring_then_consent_named_and_nothing_written(world, make_person, welding):
    person = make_person()
    events_before = Fact.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        referral_create(by=world.user("reception.bamako"), person=person, service=welding)
    assert "consent" in exc.value.fields
    assert Referral.objects.count() == 0 and AgencyAccess.objects.count() == 0
    assert Fact.objects.count() == events_before
    assert not people_visible_to(world.user("partner.cfpm")).filter(pk=person.pk).exists()


def test_given_consent_when_referring_then_sent_and_partner_sees_person(world, make_person, consent, welding):
    person = make_person()
    consent(person)
    referral = referral_create(by=world.user("reception.bamako"), person=person, service=welding, note="Soudeur")
    assert referral.status == S.SENT and not referral.replayed
    assert people_visible_to(world.user("partner.cfpm")).filter(pk=person.pk).exists()
    assert list(referral.history.values_list("to_status", flat=True)) == [S.SENT]
    assert Fact.objects.filter(person=person, kind="referral_sent").exists()
    assert list(referrals_for_person(world.user("partner.cfpm"), person)) == [referral]


def test_given_consent_ticked_when_referring_then_consent_is_recorded(world, make_person, welding):
    person = make_person()
    referral = referral_create(by=world.user("reception.bamako"), person=person, service=welding,
                               consent_given=True)
    assert person.consents.get().agency.code == "CFPM"
    assert referral.status == S.SENT


def test_given_open_referral_when_referring_again_then_same_referral(world, refer, welding):
    first = refer()
    again = referral_create(by=world.user("reception.bamako"),
                            person=first.person, service=welding)
    assert again.pk == first.pk and again.replayed
    assert Referral.objects.count() == 1


def test_given_full_path_when_moving_then_each_step_dated_with_feedback(refer, move):
    referral = refer()
    move(referral, S.ACCEPTED, feedback="Entretien le 3")
    move(referral, S.ENROLLED)
    done = move(referral, S.COMPLETED, feedback="Très bon", certificate_ref="CFPM-2027-014")
    assert done.status == S.COMPLETED and done.certificate_ref == "CFPM-2027-014"
    steps = list(StatusChange.objects.filter(referral=referral).values_list("from_status", "to_status"))
    assert steps == [("", S.SENT), (S.SENT, S.ACCEPTED), (S.ACCEPTED, S.ENROLLED), (S.ENROLLED, S.COMPLETED)]
    kinds = set(Fact.objects.filter(person=referral.person).values_list("kind", flat=True))
    assert {"referral_accepted", "referral_enrolled", "referral_completed"} <= kinds


@pytest.mark.parametrize("path, bad", [
    ([], S.ENROLLED), ([], S.COMPLETED), ([S.ACCEPTED], S.SENT), ([S.ACCEPTED, S.ENROLLED], S.REFUSED),
])
def test_given_status_when_moving_out_of_order_then_refused_with_message(refer, move, path, bad):
    referral = refer()
    for step in path:
        move(referral, step)
    with pytest.raises(ValidationFailed) as exc:
        move(referral, bad)
    assert "to_status" in exc.value.fields
    referral.refresh_from_db()
    assert referral.status == (path[-1] if path else S.SENT)


def test_given_retry_of_same_step_then_nothing_added(world, refer, move, enrol):
    referral = refer()
    enrol(referral)
    move(referral, S.ENROLLED)  # a retry of the last step
    assert referral.history.count() == 3
    for _ in range(2):
        attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=last_month(), days=5)
    assert Fact.objects.filter(person=referral.person, kind="referral_attendance").count() == 1
    assert Fact.objects.filter(person=referral.person, kind="referral_accepted").count() == 1


def test_given_refusal_without_reason_then_reason_named(refer, move):
    referral = refer()
    with pytest.raises(ValidationFailed) as exc:
        move(referral, S.REFUSED)
    assert list(exc.value.fields) == ["reason"]
    refused = move(referral, S.REFUSED, reason="Session complète")
    assert refused.reason == "Session complète"
    again = refer(person=referral.person)  # a refused referral is closed: a new one may be sent
    assert again.pk != referral.pk


def test_given_full_session_when_enrolling_then_refused(refer, move, welding):
    welding.capacity = 1
    welding.save(update_fields=["capacity"])
    first, second = refer(), refer(given_name="Awa", sex="F")
    for r in (first, second):
        move(r, S.ACCEPTED)
    move(first, S.ENROLLED)
    with pytest.raises(ValidationFailed) as exc:
        move(second, S.ENROLLED)
    assert "full" in exc.value.fields["to_status"][0] or "complète" in exc.value.fields["to_status"][0]
    move(first, S.DROPPED, reason="Déménagé")
    assert move(second, S.ENROLLED).status == S.ENROLLED


def test_given_enrolled_when_recording_attendance_then_counted_once_validated_and_corrected(world, refer, move,
                                                                                             enrol):
    from parcours.referrals.services import attendance_validate

    referral = refer()
    move(referral, S.ACCEPTED)
    with pytest.raises(ValidationFailed) as exc:
        attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=this_month(), days=1)
    assert "referral" in exc.value.fields
    enrol(referral)
    attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=last_month(), days=12)
    attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=last_month(), days=14)
    assert Attendance.objects.get().days == 14
    assert days_attended(referral.person, last_month() + dt.timedelta(days=5)) == 0  # not validated yet
    attendance_validate(by=world.user("reception.bamako"),
                        referral_id=referral.pk, month=last_month())
    assert days_attended(referral.person, last_month() + dt.timedelta(days=5)) == 14


def test_given_bad_attendance_then_field_named_and_nothing_written(world, refer, move, enrol):
    referral = refer()
    enrol(referral)
    for month, days, field in [(dt.date(2026, 2, 1), 30, "days"), (this_month().replace(year=2999), 2, "month")]:
        with pytest.raises(ValidationFailed) as exc:
            attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=month, days=days)
        assert field in exc.value.fields
    assert Attendance.objects.count() == 0


def test_given_attendance_when_assistance_evaluates_then_fact_reads_it(world, refer, move, enrol):
    from parcours.referrals.services import attendance_validate

    facts = pytest.importorskip("parcours.assistance.facts")
    referral = refer()
    enrol(referral)
    attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=last_month(), days=9)
    attendance_validate(by=world.user("reception.bamako"), referral_id=referral.pk, month=last_month())
    ctx = facts.FactContext(referral.person, last_month() + dt.timedelta(days=5))
    assert facts.FACTS["training_days_attended"](ctx) == 9


def test_given_other_partner_when_acting_then_not_found(world, refer, apej_partner, move):
    referral = refer()
    with pytest.raises(NotFound):
        move(referral, S.ACCEPTED, by=apej_partner)
    with pytest.raises(NotFound):
        attendance_record(by=apej_partner, referral_id=referral.pk, month=this_month(), days=1)


def test_given_partner_when_referring_then_forbidden(world, make_person, consent, welding):
    person = make_person()
    consent(person)
    with pytest.raises(Forbidden):
        referral_create(by=world.user("partner.cfpm"), person=person, service=welding)


def test_given_auditor_when_writing_then_forbidden(world, refer, move):
    referral = refer()
    with pytest.raises(Forbidden):
        move(referral, S.ACCEPTED, by="auditor")
    with pytest.raises(Forbidden):
        referral_create(by=world.user("auditor"), person=referral.person, service=referral.service)
    with pytest.raises(Forbidden):
        attendance_record(by=world.user("reception.bamako"),
                          referral_id=referral.pk, month=this_month(), days=1)


def test_given_demo_directory_when_loading_twice_then_nothing_added(directory):
    from django.core.management import call_command

    from parcours.referrals.demo import load_demo_services

    assert len(directory) >= 10
    assert load_demo_services() == 0
    call_command("load_services", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert {s.kind for s in directory.values()} >= {"training", "youth_employment", "microfinance", "health",
                                                    "psychosocial", "legal_aid"}


def test_given_demo_people_when_loading_demo_referrals_twice_then_once_and_partner_inbox_filled(
        world, make_person, directory):
    from parcours.referrals.demo import DEMO_REFERRALS, load_demo_referrals
    from parcours.referrals.selectors import inbox

    for i in range(len(DEMO_REFERRALS)):
        make_person(given_name=f"Demo{i}")
    assert load_demo_referrals() == len(DEMO_REFERRALS)
    assert load_demo_referrals() == 0
    statuses = set(inbox(world.user("partner.cfpm")).values_list("status", flat=True))
    assert statuses == {"sent", "accepted", "enrolled"}
    assert Attendance.objects.count() == 2

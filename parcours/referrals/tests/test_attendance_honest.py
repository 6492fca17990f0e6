"""Attendance cannot precede the days it counts: a partner records days past only, within the
enrolment; the training allowance follows only attendance the referring side validated."""

import datetime as dt

import pytest
from django.utils import timezone

from parcours.core.errors import Forbidden, ValidationFailed
from parcours.referrals.models import Attendance
from parcours.referrals.selectors import days_attended
from parcours.referrals.services import attendance_record, attendance_validate, countable_days


def test_days_countable_in_a_month_within_an_enrolment():
    assert countable_days(dt.date(2026, 12, 1), dt.date(2026, 12, 1), dt.date(2026, 12, 4)) == 4
    assert countable_days(dt.date(2026, 11, 1), dt.date(2026, 11, 20), dt.date(2026, 12, 4)) == 11
    assert countable_days(dt.date(2026, 10, 1), dt.date(2026, 11, 20), dt.date(2026, 12, 4)) == 0


def test_fifteen_days_of_this_month_cannot_be_recorded_on_its_fourth_day(world, refer, enrol):
    """The case seen in the field: 15 days of December recorded on 4 December."""
    today = timezone.localdate()
    referral = refer()
    enrol(referral, since=today.replace(day=1))
    partner = world.user("partner.cfpm")
    with pytest.raises(ValidationFailed) as exc:
        attendance_record(by=partner, referral_id=referral.pk, month=today, days=today.day + 1)
    assert "days" in exc.value.fields
    attendance_record(by=partner, referral_id=referral.pk, month=today, days=today.day)
    assert Attendance.objects.get().days == today.day


def test_days_before_the_enrolment_do_not_count(world, refer, enrol):
    referral = refer()
    enrol(referral, since=timezone.localdate())  # enrolled today
    partner = world.user("partner.cfpm")
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    with pytest.raises(ValidationFailed) as exc:
        attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=1)
    assert "days" in exc.value.fields and Attendance.objects.count() == 0


def test_the_allowance_follows_only_validated_attendance_and_a_correction_asks_again(world, refer, enrol):
    from parcours.assistance.facts import FACTS, FactContext

    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    referral = refer()
    enrol(referral, since=last_month)
    partner, referrer = world.user("partner.cfpm"), world.user("reception.bamako")
    attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=10)
    ctx = FactContext(referral.person, last_month + dt.timedelta(days=3))
    assert days_attended(referral.person, last_month) == 0 and FACTS["training_days_attended"](ctx) == 0
    with pytest.raises(Forbidden):  # the provider does not validate its own figure
        attendance_validate(by=partner, referral_id=referral.pk, month=last_month)
    attendance_validate(by=referrer, referral_id=referral.pk, month=last_month)
    assert days_attended(referral.person, last_month) == 10
    attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=12)  # a correction
    assert days_attended(referral.person, last_month) == 0
    attendance_validate(by=referrer, referral_id=referral.pk, month=last_month)
    assert days_attended(referral.person, last_month) == 12


def test_the_referral_page_validates_a_month(web_client, refer, enrol, world):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    referral = refer()
    enrol(referral, since=last_month)
    attendance_record(by=world.user("partner.cfpm"), referral_id=referral.pk, month=last_month, days=7)
    client = web_client("reception.bamako")
    page = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert "Valider" in page
    done = client.post(f"/referrals/{referral.pk}/attendance/", {"month": last_month.strftime("%Y-%m"),
                                                                 "action": "validate"})
    assert done.status_code == 302 and Attendance.objects.get().validated_by == world.user("reception.bamako")
    partner = web_client("partner.cfpm")
    assert partner.post(f"/referrals/{referral.pk}/attendance/", {"month": last_month.strftime("%Y-%m"),
                                                                  "action": "validate"}).status_code == 403


def test_assistance_attendance_is_for_days_past(world, make_person):
    from parcours.assistance.services import attendance_record as typed

    person = make_person(by="caseworker.kayes", origin_region="Kayes", return_date="2020-01-10")
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        typed(by=world.user("caseworker.kayes"), person_id=person.pk,
              data={"month": today.strftime("%Y-%m"), "days": today.day + 1})
    assert "days" in exc.value.fields


def test_days_after_the_enrolment_ended_do_not_count_and_a_person_not_enrolled_has_none(world, refer, enrol, move):
    from django.utils import translation

    from parcours.referrals.models import Referral

    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    partner = world.user("partner.cfpm")
    referral = refer()
    enrol(referral, since=last_month)
    ended = timezone.make_aware(dt.datetime.combine(last_month + dt.timedelta(days=9), dt.time(17)))
    move(referral, Referral.Status.DROPPED, reason="a quitté", at=ended)  # dropped out on the 10th
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=11)
    assert "10 day(s)" in str(exc.value.fields["days"][0])
    attendance_record(by=partner, referral_id=referral.pk, month=last_month, days=10)
    accepted = refer(given_name="Awa", sex="F")
    move(accepted, Referral.Status.ACCEPTED)
    for language, words in (("fr", "inscrit"), ("en", "enrolled")):
        with translation.override(language), pytest.raises(ValidationFailed) as exc:
            attendance_record(by=partner, referral_id=accepted.pk, month=last_month, days=1)
        assert list(exc.value.fields) == ["referral"] and words in str(exc.value.fields["referral"][0])
    assert Attendance.objects.count() == 1

"""Training attendance typed on the assistance side is checked against the enrolment: days past,
within the person's enrolment (from the day a partner enrolled them to the day it ended), never for
a person not enrolled; the training allowance follows only validated attendance."""

import datetime as dt

import pytest
from django.utils import translation

from parcours.assistance.enrolments import enrolled_days
from parcours.assistance.models import AttendanceRecord
from parcours.assistance.services import attendance_record
from parcours.core.errors import Forbidden, ValidationFailed

from .conftest import day


def typed(world, person, month, days, by="caseworker.kayes"):
    return attendance_record(by=world.user(by), person_id=person.pk, data={"month": month, "days": days})


def test_enrolled_days_are_the_days_of_the_month_within_any_enrolment_up_to_today():
    today = day("2024-06-15")
    spans = [(day("2024-03-10"), day("2024-04-05")), (day("2024-04-01"), day("2024-04-02")),
             (day("2024-06-01"), None)]
    assert enrolled_days(day("2024-02-01"), spans, today) == 0
    assert enrolled_days(day("2024-03-01"), spans, today) == 22
    assert enrolled_days(day("2024-04-01"), spans, today) == 5  # overlapping enrolments: days once
    assert enrolled_days(day("2024-05-01"), spans, today) == 0
    assert enrolled_days(day("2024-06-01"), spans, today) == 15  # still enrolled: up to today


def test_a_person_not_enrolled_has_no_attendance_to_record(world, returnee):
    person = returnee()
    for language, words in (("fr", "n’est inscrit"), ("en", "is not enrolled")):
        with translation.override(language), pytest.raises(ValidationFailed) as exc:
            typed(world, person, "2024-04", 3)
        assert list(exc.value.fields) == ["person"] and words in str(exc.value.fields["person"][0])
    assert not AttendanceRecord.objects.exists()


def test_days_before_the_enrolment_or_after_it_ended_are_refused_naming_the_days(world, returnee, enrolled):
    person = returnee()
    enrolled(person, since="2024-03-10", until="2024-04-05")
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        typed(world, person, "2024-03", 23)
    assert exc.value.fields == {"days": [
        "Attendance counts days past within an enrolment: 22 day(s) of 03/2024 (enrolled from 10/03/2024 "
        "to 05/04/2024)."]}
    with translation.override("fr"), pytest.raises(ValidationFailed) as exc:
        typed(world, person, "2024-04", 6)  # dropped out on 5 April
    assert "5 jour(s) de 04/2024" in str(exc.value.fields["days"][0])
    for month in ("2024-02", "2024-05"):  # before the enrolment, after it ended
        with pytest.raises(ValidationFailed) as exc:
            typed(world, person, month, 1)
        assert "days" in exc.value.fields
    assert not AttendanceRecord.objects.exists()
    typed(world, person, "2024-03", 22)
    typed(world, person, "2024-04", 5)
    typed(world, person, "2024-05", 0)  # nothing attended is always true
    assert sorted(AttendanceRecord.objects.values_list("days", flat=True)) == [0, 5, 22]


def test_the_page_and_the_api_refuse_it_naming_the_field(world, returnee, web_client, api_client, enrolled):
    person = returnee()
    page = web_client("caseworker.kayes").post(f"/assistance/people/{person.pk}/attendance/",
                                               {"month": "2024-04", "days": "3"})
    assert page.status_code == 400 and "Personne : " in page.content.decode()
    enrolled(person, since="2024-04-20")
    page = web_client("caseworker.kayes").post(f"/assistance/people/{person.pk}/attendance/",
                                               {"month": "2024-04", "days": "12"})
    assert page.status_code == 400 and "11 jour(s) de 04/2024" in page.content.decode()
    answer = api_client("caseworker.kayes", "en").post("/api/v1/assistance/attendance", {
        "person": str(person.pk), "month": "2024-04", "days": 12}, content_type="application/json")
    assert answer.status_code == 400 and "11 day(s) of 04/2024" in answer.json()["error"]["fields"]["days"][0]
    assert not AttendanceRecord.objects.exists()


def test_the_allowance_follows_only_validated_attendance(world, returnee, enrolled, pay, api_client):
    """The partner's figure counts once the referring side validated it; the partner cannot type one
    on the assistance side (it would count unvalidated); the case worker's own figure counts."""
    from parcours.referrals.services import attendance_record as partner_records
    from parcours.referrals.services import attendance_validate

    person = returnee()
    referral = enrolled(person, since="2024-03-01")
    partner = world.user("partner.cfpm")
    with pytest.raises(Forbidden):
        typed(world, person, "2024-03", 20, by="partner.cfpm")
    assert api_client("partner.cfpm").post("/api/v1/assistance/attendance", {
        "person": str(person.pk), "month": "2024-03", "days": 20}, content_type="application/json").status_code == 403
    partner_records(by=partner, referral_id=referral.pk, month=dt.date(2024, 3, 1), days=20)
    with pytest.raises(ValidationFailed) as exc:  # not validated yet: not payable
        pay(person, "training_allowance", period="2024-03")
    assert "scheme" in exc.value.fields
    attendance_validate(by=world.user("caseworker.kayes"), referral_id=referral.pk, month=dt.date(2024, 3, 1))
    assert pay(person, "training_allowance", period="2024-03").amount_xof == 45_000 + 20 * 1_500
    typed(world, person, "2024-04", 8)  # the referring side's own figure
    assert pay(person, "training_allowance", period="2024-04", paid_on="2024-05-03").amount_xof == 45_000 + 8 * 1_500

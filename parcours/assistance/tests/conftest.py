import datetime as dt

import pytest


@pytest.fixture
def schemes(world):
    from parcours.assistance.services import load_demo_schemes

    load_demo_schemes()


@pytest.fixture
def returnee(make_person, schemes):
    """A returnee registered in Kayes by the IOM case worker there (invisible to Bamako reception)."""

    def make(return_date="2020-01-10", by="caseworker.kayes", **fields):
        return make_person(by=by, origin_region="Kayes", return_date=return_date, birth_date="1990-03-01", birth_year="1990",
                           **fields)

    return make


@pytest.fixture
def pay(world):
    from parcours.assistance.services import payment_record

    def do(person, scheme, *, by="caseworker.kayes", tranche=1, paid_on="2024-05-02", channel="cash", **extra):
        data = {"scheme": scheme, "tranche": tranche, "paid_on": paid_on, "channel": channel,
                "proof_reference": "REC-1", **extra}
        return payment_record(by=world.user(by), person_id=person.pk, data=data).entry

    return do


@pytest.fixture
def visit(world):
    from parcours.assistance.services import visit_record

    def do(person, *, scheme="business_kit", visited_on="2024-06-01", outcome="verified", by="caseworker.kayes"):
        return visit_record(by=world.user(by), person_id=person.pk, data={
            "scheme": scheme, "tranche": 1, "visited_on": visited_on, "visitor": "Fatoumata Diallo",
            "outcome": outcome}).entry

    return do


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def enrolled(world):
    """Enrol `person` in CFPM's welding course from `since` (the case worker refers with the person's
    consent, the centre accepts and enrols that day), dropped on `until` when given: typed training
    attendance counts only days within an enrolment."""
    from django.utils import timezone

    from parcours.referrals.demo import load_demo_services
    from parcours.referrals.models import Referral, Service
    from parcours.referrals.services import referral_create, referral_transition

    def go(person, since="2024-01-01", until=None, by="caseworker.kayes"):
        load_demo_services()
        at = timezone.make_aware(dt.datetime.combine(day(since), dt.time(9)))
        referral = referral_create(by=world.user(by), person=person, consent_given=True, at=at,
                                   service=Service.objects.get(code="cfpm-soudure-2026-10"))
        partner = world.user("partner.cfpm")
        for status in (Referral.Status.ACCEPTED, Referral.Status.ENROLLED):
            referral = referral_transition(by=partner, referral_id=referral.pk, to_status=status, at=at)
        if until:
            referral = referral_transition(
                by=partner, referral_id=referral.pk, to_status=Referral.Status.DROPPED, reason="a quitté",
                at=timezone.make_aware(dt.datetime.combine(day(until), dt.time(17))))
        return referral

    return go

"""Fixtures of the referral tests: the demo directory, a second partner (APEJ), referral makers."""

import datetime as dt

import pytest

from parcours.accounts.models import Agency, Role, User


@pytest.fixture
def directory(world):
    from parcours.referrals.demo import load_demo_services
    from parcours.referrals.models import Service

    load_demo_services()
    return {s.code: s for s in Service.objects.all()}


@pytest.fixture
def welding(directory):
    return directory["cfpm-soudure-2026-10"]


@pytest.fixture
def apej_partner(world):
    """A service provider of another agency (APEJ), in Bamako like partner.cfpm."""
    user = User.objects.create(username="partner.apej", role=Role.SERVICE_PROVIDER,
                               agency=Agency.objects.get(code="APEJ"), place=world.places["BKO"])
    user.set_password("parcours-demo")
    user.save()
    return user


@pytest.fixture
def consent(world):
    from parcours.people.models import Consent
    from parcours.people.services import consent_record

    def give(person, agency_code="CFPM", granted=True, by="reception.bamako"):
        return consent_record(by=world.user(by), person=person, scope=Consent.Scope.SHARING, granted=granted,
                              given_on=dt.date.today(), agency=Agency.objects.get(code=agency_code))

    return give


@pytest.fixture
def refer(world, make_person, consent, welding):
    """A person registered in Bamako, consenting to CFPM, referred to the welding course."""
    from parcours.referrals.services import referral_create

    def make(person=None, service=None, by="reception.bamako", **fields):
        person = person or make_person(**fields)
        service = service or welding
        consent(person, service.provider.code)
        return referral_create(by=world.user(by), person=person, service=service)

    return make


@pytest.fixture
def move(world):
    from parcours.referrals.services import referral_transition

    def go(referral, to_status, by="partner.cfpm", **kw):
        return referral_transition(by=world.user(by) if isinstance(by, str) else by, referral_id=referral.pk,
                                   to_status=to_status, **kw)

    return go


@pytest.fixture
def enrol(world, move):
    """Accept and enrol `referral` as of `since` (a date, default the first of last month): the
    referral is backdated to then, so attendance of the days since counts."""
    from django.utils import timezone

    from parcours.referrals.models import Referral, StatusChange

    def go(referral, since=None, by="partner.cfpm"):
        since = since or last_month()
        at = timezone.make_aware(dt.datetime.combine(since, dt.time(9)))
        Referral.objects.filter(pk=referral.pk).update(sent_at=at, status_changed_at=at)
        StatusChange.objects.filter(referral=referral).update(at=at)
        move(referral, Referral.Status.ACCEPTED, by=by, at=at)
        return move(referral, Referral.Status.ENROLLED, by=by, at=at)

    return go


def last_month() -> dt.date:
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)

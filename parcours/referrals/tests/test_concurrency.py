"""Races on PostgreSQL with real threads: the last place of a session, and double-clicked referrals."""

import threading

import pytest
from django.db import connection

from parcours.core.errors import ValidationFailed
from parcours.referrals.models import Referral
from parcours.referrals.services import referral_create, referral_transition

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")


def _race(n, work):
    barrier = threading.Barrier(n)
    outcomes = []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            outcomes.append(work(i))
        except ValidationFailed as exc:
            outcomes.append(sorted(exc.fields))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_given_one_place_left_when_three_enrol_at_once_then_one_enrolled(transactional_db, world, refer, move,
                                                                          welding):
    welding.capacity = 1
    welding.save(update_fields=["capacity"])
    referrals = [refer(given_name=f"Personne{i}") for i in range(3)]
    for r in referrals:
        move(r, Referral.Status.ACCEPTED)
    partner = world.user("partner.cfpm")
    outcomes = _race(3, lambda i: referral_transition(by=partner, referral_id=referrals[i].pk,
                                                      to_status="enrolled").status)
    assert outcomes.count("enrolled") == 1, outcomes
    assert Referral.objects.filter(status="enrolled").count() == 1


def test_given_double_submit_when_referring_at_once_then_one_referral(transactional_db, world, make_person,
                                                                      consent, welding):
    person = make_person()
    consent(person)
    user = world.user("reception.bamako")
    outcomes = _race(4, lambda i: referral_create(by=user, person=person, service=welding,
                                                  idempotency_key=f"k{i}").pk)
    assert len(set(outcomes)) == 1, outcomes
    assert Referral.objects.filter(person=person).count() == 1

"""Races on PostgreSQL with real threads: the last bed of a centre, and one person admitted twice."""

import datetime as dt
import threading

import pytest
from django.db import connection

from parcours.centres.models import Stay
from parcours.centres.services import stay_begin
from parcours.core.errors import ValidationFailed

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


def test_given_one_bed_left_when_four_admitted_at_once_then_one_admitted(transactional_db, world, gao, migrant):
    gao.capacity = 1
    gao.save(update_fields=["capacity"])
    people = [migrant(given_name=f"Personne{i}") for i in range(4)]
    user = world.user("centre.gao")
    outcomes = _race(4, lambda i: stay_begin(by=user, centre_code="GAO-PC", person_id=people[i].pk,
                                             data={"entered_on": dt.date.today()}).pk)
    assert sum(1 for o in outcomes if o == ["entered_on"]) == 3, outcomes
    assert Stay.objects.filter(centre=gao).count() == 1


def test_given_one_person_when_admitted_twice_at_once_then_one_stay(transactional_db, world, centres, migrant):
    person = migrant()
    user = world.user("admin")
    codes = ["GAO-PC", "GAO-CRG", "TOM-PC"]
    outcomes = _race(3, lambda i: stay_begin(by=user, centre_code=codes[i], person_id=person.pk,
                                             data={"entered_on": dt.date.today()}).pk)
    assert sum(1 for o in outcomes if o == ["person"]) == 2, outcomes
    assert Stay.objects.filter(person=person).count() == 1

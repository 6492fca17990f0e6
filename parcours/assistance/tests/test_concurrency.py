"""Two requests paying the same tranche at the same moment: exactly one entry (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from parcours.assistance.models import LedgerEntry
from parcours.assistance.services import payment_record
from parcours.core.errors import Conflict, ValidationFailed


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_given_two_concurrent_payments_of_one_slot_when_racing_then_exactly_one_entry(transactional_db, returnee,
                                                                                     world):
    person = returnee()
    user = world.user("caseworker.kayes")
    data = {"scheme": "business_kit", "tranche": 1, "paid_on": "2024-05-02", "channel": "cash",
            "proof_reference": "R"}
    barrier = threading.Barrier(4)
    outcomes = []

    def worker(key):
        try:
            barrier.wait(timeout=10)
            payment_record(by=user, person_id=person.pk, data=data, idempotency_key=key)
            outcomes.append("paid")
        except (Conflict, ValidationFailed) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"k{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("paid") == 1, outcomes
    assert LedgerEntry.objects.filter(person=person).count() == 1

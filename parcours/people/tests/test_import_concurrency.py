"""Issue 8, finding 7: two imports of one manifest at the same moment ended one of them in a raw
IntegrityError. Now the second waits for the first, then finds everyone already there (PostgreSQL,
real threads on their own connections)."""

import threading

import pytest
from django.db import connection

from parcours.people.imports import import_people
from parcours.people.models import ExternalReference, Person

HEADER = "record_id,given_name,family_name,sex,birth_year,origin_region,return_date,returned_from\n"
NAMES = ["Mamadou", "Fatoumata", "Seydou", "Awa", "Moussa", "Kadiatou", "Boubacar", "Aminata", "Ibrahim", "Mariam"]
FAMILIES = ["Traoré", "Diarra", "Keïta", "Coulibaly", "Sissoko", "Konaté"]
MANIFEST = HEADER + "".join(
    f"P{i},{NAMES[i % len(NAMES)]},{FAMILIES[i % len(FAMILIES)]},{'MF'[i % 2]},{1970 + i},Kayes,2019-10-03,LY\n"
    for i in range(40))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_two_imports_of_one_manifest_at_once_give_two_clean_reports(transactional_db, world):
    by = world.user("reception.bamako")
    barrier = threading.Barrier(2)
    reports, crashes = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            reports.append(import_people(by=by, content=MANIFEST.encode(), filename="flight.csv",
                                         source="LY-2019-10-03"))
        except Exception as exc:  # noqa: BLE001 - what a user would have seen
            crashes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert crashes == []
    assert sorted(r["created"] for r in reports) == [0, 40], reports
    assert max(r["already_present"] for r in reports) == 40
    assert ExternalReference.objects.filter(system="manifest:LY-2019-10-03").count() == 40
    assert Person.objects.count() == 40


def test_a_collision_the_lock_did_not_prevent_is_a_clean_refusal(world, monkeypatch):
    from django.db import IntegrityError
    from django.utils import translation

    from parcours.core.errors import Conflict
    from parcours.people import imports

    def collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(imports, "_import_ready", collide)
    with translation.override("fr"), pytest.raises(Conflict) as exc:
        import_people(by=world.user("reception.bamako"), content=MANIFEST.encode(), filename="flight.csv",
                      source="LY-2019-10-03")
    assert "Renvoyez" in str(exc.value.message)

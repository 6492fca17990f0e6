"""Arrival of a pre-registered flight: reception marks the manifest's people present or absent in
a few taps; for those present consent is recorded and the case opens; absences are noted."""

import pytest

from parcours.cases.models import Case
from parcours.people.imports import import_people
from parcours.people.models import Consent

HEADER = "record_id,given_name,family_name,sex,birth_year,origin_region,return_date\n"
MANIFEST = HEADER + "".join(f"P{i},{g},Diarra,M,199{i},Kayes,2026-12-03\n"
                            for i, g in enumerate(["Seydou", "Moussa", "Oumar"]))


@pytest.fixture
def flight(world):
    import_people(by=world.user("reception.bamako"), content=MANIFEST.encode(), filename="m.csv",
                  source="LY 2026-12-03")
    return "LY-2026-12-03"


def test_reception_marks_a_flight_arrived_in_one_go(web_client, flight):
    from parcours.people.models import Person

    client = web_client("reception.bamako")
    listing = client.get("/cases/arrivals/").content.decode()
    assert "LY-2026-12-03" in listing
    page = client.get(f"/cases/arrivals/{flight}/").content.decode()
    assert page.count('name="present"') == 3
    seydou, moussa, oumar = (Person.objects.get(given_name=g) for g in ("Seydou", "Moussa", "Oumar"))
    refused = client.post(f"/cases/arrivals/{flight}/", {"present": [seydou.pk]}, follow=True).content.decode()
    assert "consentement" in refused and not Case.objects.exists()
    client.post(f"/cases/arrivals/{flight}/", {"present": [seydou.pk, moussa.pk], "absent": [oumar.pk],
                                               "consent_given": "on", "arrived_on": "2026-12-03"})
    assert set(Case.objects.values_list("person__given_name", flat=True)) == {"Seydou", "Moussa"}
    assert Case.objects.get(person=seydou).arrived_on.isoformat() == "2026-12-03"
    assert Consent.objects.filter(person=seydou, scope=Consent.Scope.COLLECTION, granted=True).exists()
    assert oumar.facts.filter(kind="arrival_absent").exists()
    again = client.get(f"/cases/arrivals/{flight}/").content.decode()
    assert again.count('name="present"') == 1  # only Oumar is left to mark


def test_other_roles_and_other_places_do_not_see_the_flight(web_client, flight):
    assert web_client("partner.cfpm").get(f"/cases/arrivals/{flight}/").status_code == 404
    assert web_client("enumerator.gao").get("/cases/arrivals/").status_code == 404

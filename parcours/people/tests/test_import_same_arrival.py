"""Re-importing a manifest is idempotent by person, not by how the flight was typed: flight
references are normalised, and a row describing someone already pre-registered on a flight of the
same days is that same arrival — linked, not created again, and the import says so."""

import pytest

from parcours.people.imports import flight_day, flight_reference, import_people
from parcours.people.models import ExternalReference, Person

HEADER = "record_id,given_name,family_name,sex,birth_date,birth_year,phone,nationality,origin_region,return_date,returned_from\n"
ROWS = [f"P{i},{given},{family},M,,{1980 + i},,ML,Kayes,2026-12-03,LY\n" for i, (given, family) in enumerate([
    ("Mamadou", "Traoré"), ("Seydou", "Keïta"), ("Boubacar", "Diarra"), ("Modibo", "Coulibaly"),
    ("Adama", "Sangaré"), ("Ibrahim", "Touré"), ("Moussa", "Sissoko"), ("Oumar", "Diallo")], start=1)]
MANIFEST = HEADER + "".join(ROWS)


@pytest.mark.parametrize("typed", ["LY 2026-12-03", "ly-2026-12-03", " LY-2026/12/03 ", "LY_2026.12.03", "LY--2026-12-03"])
def test_flight_references_are_one_spelling(typed):
    assert flight_reference(typed) == "LY-2026-12-03"
    assert flight_day(typed).isoformat() == "2026-12-03"


def test_the_same_manifest_typed_another_way_creates_nobody_again(world):
    by = world.user("reception.bamako")
    first = import_people(by=by, content=MANIFEST.encode(), filename="m.csv", source="LY-2026-12-03")
    assert first["created"] == 8 and first["flight"] == "LY-2026-12-03"
    again = import_people(by=by, content=MANIFEST.encode(), filename="m.csv", source="LY 2026-12-03")
    assert again["created"] == 0 and again["already_present"] == 8
    assert Person.objects.count() == 8


def test_a_row_of_a_person_pre_registered_on_a_flight_of_the_same_days_is_the_same_arrival(world):
    """The airline's second manifest (another reference, other row ids, the flight a day later):
    the same people are not registered twice; the report names them and links their records."""
    by = world.user("reception.bamako")
    import_people(by=by, content=MANIFEST.encode(), filename="m.csv", source="LY-2026-12-03")
    renumbered = HEADER + "".join(f"R{i}," + row.split(",", 1)[1] for i, row in enumerate(ROWS))
    newcomer = "N1,Awa,Sidibé,F,,1997,,ML,Kayes,2026-12-04,LY\n"
    report = import_people(by=by, content=(renumbered + newcomer).encode(), filename="m2.csv",
                           source="LY 2026-12-04")
    assert report["created"] == 1 and len(report["same_arrival"]) == 8
    assert Person.objects.count() == 9
    arrival = report["same_arrival"][0]
    assert arrival["flight"] == "LY-2026-12-03" and Person.objects.filter(pk=arrival["person"]).exists()
    assert "déjà pré-enregistré" in report["message"] or "already pre-registered" in report["message"]
    # The second manifest's rows are linked: importing it once more is the fast path.
    assert ExternalReference.objects.filter(system="manifest:LY-2026-12-04").count() == 9
    third = import_people(by=by, content=(renumbered + newcomer).encode(), filename="m2.csv", source="LY-2026-12-04")
    assert third["created"] == 0 and third["already_present"] == 9


def test_a_namesake_on_a_flight_weeks_apart_is_a_new_arrival(world):
    by = world.user("reception.bamako")
    import_people(by=by, content=MANIFEST.encode(), filename="m.csv", source="LY-2026-12-03")
    earlier = MANIFEST.replace("2026-12-03", "2026-10-01").replace("\nP", "\nE")
    later = import_people(by=by, content=earlier.encode(), filename="m.csv", source="LY-2026-10-01")
    assert later["created"] == 8 and later["same_arrival"] == []


def test_the_job_page_shows_the_same_arrivals(web_client, world, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = web_client("reception.bamako")
    for flight in ("LY-2026-12-03", "LY 2026-12-03"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/people/import/", {"flight": flight, "file": SimpleUploadedFile(
                "m.csv", MANIFEST.encode(), content_type="text/csv")})
        assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Déjà présentes</dt><dd>8</dd>" in page
    assert Person.objects.count() == 8

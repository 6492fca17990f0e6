"""Pre-registering a charter flight from its manifest."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parcours.core.errors import ValidationFailed
from parcours.people.imports import import_people
from parcours.people.models import ExternalReference, Person

HEADER = "record_id,given_name,family_name,sex,birth_date,birth_year,phone,nationality,origin_region,return_date,returned_from\n"
GOOD = (HEADER
        + "P1,Mamadou,Traoré,M,12/03/1994,,76123456,ML,Kayes,2019-10-03,LY\n"
        + "P2,Fatoumata,Diarra,F,,1999,,ML,District de Bamako,2019-10-03,LY\n"
        + "P3,Seydou,Keïta,M,1988-01-30,,+223 66 11 22 33,ML,Kayes,2019-10-03,LY\n")


def test_valid_manifest_pre_registers_everyone(world):
    by = world.user("reception.bamako")
    report = import_people(by=by, content=GOOD.encode(), filename="flight.csv", source="LY-2019-10-03")
    assert report["created"] == 3 and report["errors"] == []
    assert Person.objects.filter(family_name="Traoré", birth_date="1994-03-12").exists()
    assert ExternalReference.objects.filter(system="manifest:LY-2019-10-03").count() == 3


def test_reimporting_the_same_manifest_creates_nothing(world):
    by = world.user("reception.bamako")
    import_people(by=by, content=GOOD.encode(), filename="flight.csv", source="LY-2019-10-03")
    again = import_people(by=by, content=GOOD.encode(), filename="flight.csv", source="LY-2019-10-03")
    assert again["created"] == 0 and again["already_present"] == 3
    assert Person.objects.count() == 3


def test_one_bad_row_imports_nothing_and_names_row_and_field(world):
    bad = GOOD + "P4,Awa,Sidibé,X,31/02/1990,,12,ML,Atlantis,2019-10-03,LY\n"
    report = import_people(by=world.user("reception.bamako"), content=bad.encode(), filename="f.csv", source="F1")
    assert report["created"] == 0
    assert Person.objects.count() == 0
    fields = {(e["row"], e["field"]) for e in report["errors"]}
    assert {(5, "sex"), (5, "birth_date"), (5, "phone")} <= fields


def test_an_unknown_place_does_not_block_a_row_and_is_reported(world):
    row = "P4,Awa,Sidibé,F,1990-02-11,,,ML,Atlantis,2019-10-03,LY\n"
    report = import_people(by=world.user("reception.bamako"), content=(GOOD + row).encode(), filename="f.csv",
                           source="F1")
    assert report["created"] == 4 and report["errors"] == []
    assert [w["row"] for w in report["warnings"]] == [5] and "Atlantis" in report["warnings"][0]["message"]
    assert Person.objects.get(given_name="Awa").origin_as_written == "region: Atlantis"


def test_semicolon_csv_and_xlsx_are_read(world):
    from openpyxl import Workbook

    semicolon = GOOD.replace(",", ";")
    report = import_people(by=world.user("reception.bamako"), content=semicolon.encode("cp1252"), filename="f.csv",
                           source="F2")
    assert report["created"] == 3
    book = Workbook()
    sheet = book.active
    for line in GOOD.strip().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    report = import_people(by=world.user("reception.bamako"), content=out.getvalue(), filename="f.xlsx", source="F3")
    assert report["created"] == 3


def test_unknown_columns_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        import_people(by=world.user("reception.bamako"), content=b"nom,prenom\nA,B\n", filename="f.csv", source="X")
    assert "file" in exc.value.fields


def test_web_upload_runs_as_a_job_with_progress_and_result(web_client, django_capture_on_commit_callbacks):
    client = web_client("reception.bamako")
    upload = SimpleUploadedFile("flight.csv", GOOD.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/people/import/", {"flight": "LY-2019-10-03", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "3 personnes pré-enregistrées." in html
    assert Person.objects.count() == 3


def test_partner_cannot_import(web_client):
    client = web_client("partner.cfpm")
    upload = SimpleUploadedFile("flight.csv", GOOD.encode(), content_type="text/csv")
    assert client.post("/people/import/", {"flight": "X", "file": upload}).status_code == 404
    assert Person.objects.count() == 0


def test_export_is_scoped_and_logged(world, web_client, make_person):
    from auditlog.models import LogEntry

    make_person(by="caseworker.kayes", family_name="Sissoko", origin_region="Kayes")
    make_person(by="reception.bamako", family_name="Diarra", origin_region="District de Bamako")
    response = web_client("reception.bamako").get("/people/export/?format=csv")
    body = response.content.decode("utf-8-sig")
    assert "Diarra" in body and "Sissoko" not in body
    entry = LogEntry.objects.filter(object_pk="export").latest("timestamp")
    assert entry.additional_data["rows"] == 1 and entry.actor.username == "reception.bamako"
    assert web_client("partner.cfpm").get("/people/export/").status_code == 404

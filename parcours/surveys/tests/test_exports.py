"""Exports of a form's answers with KoboToolbox's conventions: group paths as column names, `_id`,
`_uuid`, `_submission_time`, each repeat group a table linked by `_parent_index`; streamed; every
cell neutralised; only answer readers, and logged."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from openpyxl import load_workbook

from parcours.surveys.services import form_publish, submission_receive

pytestmark = pytest.mark.django_db
FORM = (Path(__file__).parent / "household.md").read_bytes()
META = ["_id", "_uuid", "_submission_time", "_submitted_by", "__version__", "_index"]
REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
               "_submission__submission_time"]


def household_xml(instance_id, person_id, commune, members, *, edits=""):
    rows = "".join(f"<member><name>{name}</name><age>{age}</age>"
                   + "".join(f"<job><title>{job}</title></job>" for job in jobs) + "</member>"
                   for name, age, jobs in members)
    deprecated = f"<deprecatedID>uuid:{edits}</deprecatedID>" if edits else ""
    return (f'<data id="household" version="1"><start>2026-03-01T09:00:00.000Z</start><today>2026-03-01</today>'
            f"<person_id>{person_id}</person_id><location><commune>{commune}</commune><gps>12.6 -8.0 0 5</gps>"
            f"</location>{rows}<needs>food work</needs><photo>p.jpg</photo>"
            f"<meta><instanceID>uuid:{instance_id}</instanceID>{deprecated}</meta></data>").encode()


@pytest.fixture
def answered(world, make_person):
    kayes = world.user("caseworker.kayes")
    form_publish(by=world.user("admin"), content=FORM, filename="household.md", roles=["caseworker", "me_officer"])
    a = make_person(by="caseworker.kayes", origin_region="Kayes", given_name="Awa")
    b = make_person(by="caseworker.kayes", origin_region="Kayes", given_name="Bakary")
    submission_receive(by=kayes, xml=household_xml("h1", a.pk, "Nioro", [("Fanta", 30, ["tailor", "cook"]),
                                                                         ("Issa", 8, [])]))
    submission_receive(by=kayes, xml=household_xml("h2", b.pk, "Kayes", [("Moussa", 40, ["driver"])]))
    # An edit of h2: only the new one is exported; its commune is hostile.
    submission_receive(by=kayes, xml=household_xml("h3", b.pk, '=HYPERLINK("http://x","y")',
                                                   [("Moussa", 41, ["driver"])], edits="h2"))
    return a, b


def _sheet(book, title):
    rows = list(book[title].iter_rows(values_only=True))
    return list(rows[0]), [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_xlsx_has_kobo_columns_and_a_sheet_per_repeat(answered, web_client):
    response = web_client("me.iom").get("/questionnaires/household/answers.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["data", "member", "job"]
    header, rows = _sheet(book, "data")
    assert header == ["start", "today", "person_id", "location/commune", "location/gps", "needs", "photo", *META]
    assert [r["location/commune"] for r in rows] == ["Nioro", '\'=HYPERLINK("http://x","y")']
    assert [r["_uuid"] for r in rows] == ["h1", "h3"] and [r["_index"] for r in rows] == [1, 2]
    assert rows[0]["_submitted_by"] == "caseworker.kayes" and rows[0]["__version__"] == "1"
    assert dt.datetime.fromisoformat(rows[0]["_submission_time"]).year >= 2026
    header, members = _sheet(book, "member")
    assert header == ["member/name", "member/age", *REPEAT_META]
    assert [(m["member/name"], m["member/age"], m["_parent_table_name"], m["_parent_index"]) for m in members] == [
        ("Fanta", "30", "data", 1), ("Issa", "8", "data", 1), ("Moussa", "41", "data", 2)]
    assert members[0]["_submission__uuid"] == "h1" and members[0]["_submission__id"] == rows[0]["_id"]
    header, jobs = _sheet(book, "job")
    assert header == ["member/job/title", *REPEAT_META]
    fanta = members[0]["_index"]
    assert [(j["member/job/title"], j["_parent_table_name"], j["_parent_index"]) for j in jobs] == [
        ("tailor", "member", fanta), ("cook", "member", fanta), ("driver", "member", members[2]["_index"])]


def test_csv_streams_the_main_table_or_a_repeat(answered, api_client):
    client = api_client("me.iom")
    response = client.get("/api/v1/surveys/forms/household/submissions.csv")
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r["person_id"] for r in rows] == [str(p.pk) for p in answered]
    assert rows[1]["location/commune"].startswith("'=")
    members = client.get("/api/v1/surveys/forms/household/submissions.csv?table=member")
    names = [r["member/name"] for r in csv.DictReader(io.StringIO(b"".join(members.streaming_content)
                                                                  .decode("utf-8-sig")))]
    assert names == ["Fanta", "Issa", "Moussa"]
    bad = client.get("/api/v1/surveys/forms/household/submissions.csv?table=nope")
    assert bad.status_code == 400 and "table" in bad.json()["error"]["fields"]
    assert client.get("/api/v1/surveys/forms/nothing/submissions.csv").status_code == 404
    assert LogEntry.objects.filter(additional_data__what="export").count() == 2


def test_only_answer_readers_export(answered, api_client, web_client):
    for username in ("caseworker.kayes", "partner.cfpm", "manager.eu", "reception.bamako"):
        assert api_client(username).get("/api/v1/surveys/forms/household/submissions.xlsx").status_code == 404
        assert web_client(username).get("/questionnaires/household/answers.csv").status_code == 404
    assert api_client("auditor").get("/api/v1/surveys/forms/household/submissions.xlsx").status_code == 200
    assert web_client("me.iom").get("/questionnaires/household/answers.pdf").status_code == 404
    assert web_client("me.iom").get("/questionnaires/household/answers.csv?table=nope").status_code == 404


def test_command_exports_to_a_file(answered, tmp_path):
    out = tmp_path / "household.xlsx"
    call_command("forms", "export", "household", "--format", "xlsx", "--out", str(out), "--as", "me.iom")
    assert load_workbook(out).sheetnames == ["data", "member", "job"]
    call_command("forms", "export", "household", "--table", "member", "--out", str(tmp_path / "m.csv"),
                 "--as", "me.iom")
    assert (tmp_path / "m.csv").read_text("utf-8-sig").count("\n") == 4

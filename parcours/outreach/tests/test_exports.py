"""Sensitization activities as CSV and XLSX: the list's scope and filters, no names or notes."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from parcours.outreach.exports import EXPORT_FIELDS, activities_export
from parcours.outreach.selectors import ActivityFilter

pytestmark = pytest.mark.django_db


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_export_is_the_list_without_names(world, record, focal_kayes):
    from parcours.outreach.followup import perception_record

    mine = record(on=dt.date(2024, 3, 1), notes="Chez M. Diarra Moussa")
    perception_record(by=world.user("focal.sikasso"), activity_id=mine.pk, knows_risks_before=4, knows_risks_after=20)
    theirs = record(by="focal.kayes", commune="Kayes", on=dt.date(2024, 3, 2))
    data, count = activities_export(by=world.user("focal.sikasso"))
    rows = _rows(data)
    assert list(rows[0]) == EXPORT_FIELDS and count == 1
    row = rows[0]
    assert (row["activity"], row["commune"], row["participants"], row["knows_risks_after"]) == (
        str(mine.pk), "Sikasso", "25", "20")
    assert row["followup_due_on"] == "2024-04-01" and row["followup_status"] == "overdue"
    text = data.decode("utf-8-sig")
    assert "Diarra" not in text and "focal.sikasso" not in text
    everyone = {r["activity"] for r in _rows(activities_export(by=world.user("me.iom"))[0])}
    assert everyone == {str(mine.pk), str(theirs.pk)}
    only_kayes = activities_export(by=world.user("me.iom"), flt=ActivityFilter(place="Kayes"))[0]
    assert [r["activity"] for r in _rows(only_kayes)] == [str(theirs.pk)]


@pytest.mark.parametrize(("username", "status"), [("focal.sikasso", 200), ("manager.eu", 200), ("auditor", 200),
                                                  ("reception.bamako", 404), ("partner.cfpm", 404),
                                                  ("protection.bamako", 404)])
def test_the_page_export_by_role(record, web_client, username, status):
    record()
    r = web_client(username).get("/sensitization/export/", {"format": "xlsx"})
    assert r.status_code == status
    if status == 200:
        sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
        assert sum(1 for _row in sheet.iter_rows(min_row=2)) == 1


def test_the_page_export_keeps_the_filters_and_sends_bad_ones_back(record, web_client):
    record(on=dt.date(2024, 3, 1))
    record(on=dt.date(2024, 5, 1), theme="free_movement")
    client = web_client("focal.sikasso")
    assert "/sensitization/export/" in client.get("/sensitization/").content.decode()
    r = client.get("/sensitization/export/", {"theme": "free_movement", "format": "csv"})
    assert r.status_code == 200 and [x["held_on"] for x in _rows(r.content)] == ["2024-05-01"]
    r = client.get("/sensitization/export/", {"from": "soon", "format": "csv"})
    assert r.status_code == 302 and r["Location"].startswith("/sensitization/?from=soon")
    r = client.get("/sensitization/export/", {"kind": "party"})
    assert r.status_code == 302

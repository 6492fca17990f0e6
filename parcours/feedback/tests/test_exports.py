"""The complaints register as CSV and XLSX: one row per complaint, no names, no content, no
contact; restricted complaints only for the restricted handler; scoped by place; logged."""

import csv
import io

import pytest
from openpyxl import load_workbook

from parcours.core.exports import EXPORTERS
from parcours.feedback.exports import EXPORT_FIELDS, register_export

pytestmark = pytest.mark.django_db


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture
def two(file):
    plain = file(contact_name="Awa Traoré", contact_phone="+22376123456", consent_to_identify=True)
    restricted = file(category="sexual_exploitation", gravity="high", description="Un agent a exigé…",
                      contact_name="Mariam Coulibaly")
    return plain, restricted


@pytest.mark.parametrize(("username", "sees_restricted"), [
    ("manager.eu", False), ("me.iom", False), ("auditor", False), ("protection.bamako", True), ("admin", True)])
def test_the_register_names_nobody_and_hides_restricted_complaints(world, two, username, sees_restricted):
    plain, restricted = two
    data, count = register_export(by=world.user(username))
    rows = _rows(data)
    assert list(rows[0]) == EXPORT_FIELDS
    assert {r["reference"] for r in rows} == ({plain.reference, restricted.reference} if sees_restricted
                                              else {plain.reference})
    assert count == len(rows)
    text = data.decode("utf-8-sig")
    for secret in ("Awa", "Traoré", "Mariam", "76123456", "pécule", "exigé"):
        assert secret not in text


@pytest.mark.parametrize("username", ["focal.sikasso", "reception.bamako", "partner.cfpm", "caseworker.kayes"])
def test_others_may_not_export_it(world, two, web_client, username):
    from parcours.core.errors import Forbidden

    with pytest.raises(Forbidden):
        register_export(by=world.user(username))
    assert web_client(username).get("/complaints/register/export/").status_code == 404


def test_from_the_register_page_as_csv_and_xlsx(two, web_client):
    plain, restricted = two
    client = web_client("manager.eu")
    assert "register/export/" in client.get("/complaints/register/").content.decode()
    r = client.get("/complaints/register/export/", {"format": "csv", "from": "2000-01-01"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert [row["reference"] for row in _rows(r.content)] == [plain.reference]
    r = client.get("/complaints/register/export/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert references == [plain.reference]
    r = client.get("/complaints/register/export/", {"from": "yesterday"})
    assert r.status_code == 302 and "/complaints/register/" in r["Location"]


def test_the_command_exports_it_and_the_export_is_logged(world, two):
    from auditlog.models import LogEntry

    data, count = EXPORTERS["complaints"].run(by=world.user("protection.bamako"), fmt="xlsx")
    assert count == 2 and data[:2] == b"PK"
    assert LogEntry.objects.filter(object_pk="export", additional_data__rows=2).exists()

"""Issue 8, finding 6: every read of personal data by a role whose reads are audited (the auditor)
is logged, list reads included: one entry per list read naming its rows — people, cases and the
ledger, over the API and on the pages."""

import pytest
from auditlog.models import LogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world, make_person):
    from parcours.assistance.services import load_demo_schemes, payment_record
    from parcours.cases.services import case_open

    load_demo_schemes()
    kayes = world.user("caseworker.kayes")
    people = [make_person(by="caseworker.kayes", given_name=name, family_name="Diarra", birth_date="1990-03-01",
                          birth_year="1990", origin_region="Kayes", return_date="2020-01-10")
              for name in ("Seydou", "Awa", "Moussa")]
    cases = [case_open(by=kayes, person_id=p.pk) for p in people[:2]]
    entry = payment_record(by=kayes, person_id=people[0].pk, data={
        "scheme": "arrival_allowance", "tranche": 1, "paid_on": "2024-05-02", "channel": "cash",
        "proof_reference": "REC-1"}).entry
    return {"people": people, "cases": cases, "entries": [entry]}


def _list_reads(**filters):
    return list(LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk="list", **filters))


@pytest.mark.parametrize(("address", "kind", "model"), [
    ("/api/v1/people", "people", "person"),
    ("/api/v1/cases", "cases", "case"),
    ("/api/v1/assistance/ledger", "entries", "ledgerentry"),
])
def test_an_auditor_list_read_over_the_api_is_logged_naming_the_rows(api_client, records, address, kind, model):
    client = api_client("auditor")
    answer = client.get(address + "?page_size=200")
    assert answer.status_code == 200
    shown = {row["id"] for row in answer.json()["results"]}
    assert shown >= {str(r.pk) for r in records[kind]}
    reads = _list_reads(actor__username="auditor", content_type__model=model)
    assert len(reads) == 1, "one entry per request"
    assert set(reads[0].additional_data["ids"]) == shown
    assert reads[0].additional_data["rows"] == len(shown)
    assert reads[0].additional_data["path"].startswith(address)


@pytest.mark.parametrize(("address", "kind", "model"), [
    ("/people/", "people", "person"),
    ("/cases/?all=1", "cases", "case"),
    ("/assistance/ledger/", "entries", "ledgerentry"),
])
def test_an_auditor_list_page_is_logged_naming_the_rows(web_client, records, address, kind, model):
    page = web_client("auditor").get(address)
    assert page.status_code == 200
    reads = _list_reads(actor__username="auditor", content_type__model=model)
    assert len(reads) == 1
    assert set(reads[0].additional_data["ids"]) >= {str(r.pk) for r in records[kind]}


def test_an_empty_search_by_the_auditor_is_logged_with_what_was_searched(api_client, records):
    api_client("auditor").get("/api/v1/people?q=nobody-by-that-name")
    (read,) = _list_reads(actor__username="auditor", content_type__model="person")
    assert read.additional_data["rows"] == 0 and "nobody-by-that-name" in read.additional_data["path"]


def test_roles_whose_reads_are_not_audited_leave_no_list_entry(api_client, web_client, records):
    api_client("caseworker.kayes").get("/api/v1/people")
    web_client("caseworker.kayes").get("/people/")
    assert _list_reads() == []

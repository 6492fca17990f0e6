"""Screening answers and protection notes are protection data: encrypted at rest, readable by
protection roles only, every read logged; a case worker sees only the routing."""

import pytest
from auditlog.models import LogEntry
from django.db import connection

from parcours.cases import services
from parcours.cases.models import Case
from parcours.core.errors import Forbidden, NotFound


@pytest.fixture
def bamako_case(world, make_person):
    """A Bamako returnee screened vulnerable (trafficking), seen by reception and protection in Bamako."""
    person = make_person(by="reception.bamako", given_name="Awa", family_name="Koné", sex="F",
                         origin_region="District de Bamako")
    case = services.case_open(by=world.user("reception.bamako"), person_id=person.pk)
    services.screening_record(by=world.user("protection.bamako"), case_id=case.pk,
                              answers={"trafficking_forced_work": True, "violence_or_gbv": True})
    return case


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test-only constants
        return bytes(cursor.fetchone()[0])


def test_given_a_screening_then_the_raw_column_holds_no_plaintext(bamako_case):
    screening = Case.objects.get(pk=bamako_case.pk).screening
    raw = _raw("cases_screening", "answers_encrypted", screening.pk)
    assert b"trafficking" not in raw and b"true" not in raw and raw.startswith(b"gAAAA")  # a Fernet token


def test_given_protection_notes_then_the_raw_column_holds_no_plaintext(world, bamako_case):
    assessment = services.protection_record(by=world.user("protection.bamako"), case_id=bamako_case.pk,
                                            notes="Victime présumée de traite, orientée vers ENDA")
    raw = _raw("cases_protectionassessment", "notes_encrypted", assessment.pk)
    assert b"ENDA" not in raw and b"traite" not in raw


def test_given_a_protection_officer_when_reading_the_answers_then_the_read_is_logged(world, bamako_case):
    officer = world.user("protection.bamako")
    screening = Case.objects.get(pk=bamako_case.pk).screening
    answers = services.screening_answers(by=officer, screening=screening)
    assert answers["trafficking_forced_work"] is True and answers["pregnancy"] is False
    entry = LogEntry.objects.get(object_pk=str(screening.pk), action=LogEntry.Action.ACCESS, actor=officer)
    assert entry.additional_data["what"] == "screening" and "trafficking_forced_work" in entry.additional_data["fields"]


def test_given_protection_notes_when_read_then_logged_and_refused_to_others(world, bamako_case):
    officer = world.user("protection.bamako")
    assessment = services.protection_record(by=officer, case_id=bamako_case.pk, notes="Notes confidentielles")
    assert services.protection_notes(by=officer, assessment=assessment) == "Notes confidentielles"
    assert LogEntry.objects.filter(object_pk=str(assessment.pk), action=LogEntry.Action.ACCESS).count() == 1
    for username in ("reception.bamako", "caseworker.kayes", "me.iom"):
        with pytest.raises(NotFound):
            services.protection_notes(by=world.user(username), assessment=assessment)


def test_given_reception_or_a_case_worker_then_no_answers_only_the_route(world, api_client, web_client, bamako_case):
    reception = api_client("reception.bamako")
    assert reception.get(f"/api/v1/cases/{bamako_case.pk}/screening").status_code == 404
    detail = reception.get(f"/api/v1/cases/{bamako_case.pk}").json()
    assert detail["route"] == "protection" and "trafficking" not in str(detail)
    page = web_client("reception.bamako").get(f"/cases/{bamako_case.pk}/?show=screening").content.decode()
    assert "Traite" not in page and "vulnérable" in page
    with pytest.raises(Forbidden):
        services.protection_record(by=world.user("reception.bamako"), case_id=bamako_case.pk, notes="x")
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS, changes_text="screening").exists()


def test_given_the_officer_on_the_page_then_answers_shown_on_request_and_logged(world, web_client, api_client,
                                                                                  bamako_case):
    client = web_client("protection.bamako")
    assert "Traite" not in client.get(f"/cases/{bamako_case.pk}/").content.decode()
    page = client.get(f"/cases/{bamako_case.pk}/?show=screening").content.decode()
    assert "Traite : forcé·e à travailler ou à mendier" in page
    assert api_client("protection.bamako").get(f"/api/v1/cases/{bamako_case.pk}/screening").json()["answers"][
        "violence_or_gbv"] is True
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, changes_text="screening").count() == 2


def test_given_the_auditor_then_reads_are_logged_and_writes_refused(api_client, bamako_case):
    auditor = api_client("auditor")
    assert auditor.get(f"/api/v1/cases/{bamako_case.pk}").status_code == 200
    # Every record, but not the content of protection data (CONTRACT.md): the answers are refused.
    assert auditor.get(f"/api/v1/cases/{bamako_case.pk}/screening").status_code == 404
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(bamako_case.pk),
                                   changes_text="auditor read").exists()
    assert auditor.post(f"/api/v1/cases/{bamako_case.pk}/protection", {"notes": "x"},
                        content_type="application/json").status_code == 403


def test_given_a_vulnerable_person_then_the_protection_team_sees_them_on_its_today_page(web_client, bamako_case):
    page = web_client("protection.bamako").get("/cases/").content.decode()
    assert "En attente de l'équipe de protection" in page and "Awa Koné" in page
    assert "En attente de l'équipe de protection" not in web_client("caseworker.kayes").get("/cases/").content.decode()


@pytest.mark.parametrize("username", ["reception.bamako", "auditor", "me.iom", "admin"])
def test_no_role_learns_from_the_answer_whether_protection_data_exists(world, make_person, api_client, bamako_case,
                                                                       username):
    """Issue 8, finding 7: a role that may not read protection data got 403 where a screening or an
    assessment existed and 404 where none did — an existence oracle. Both answer 404 now, alike."""
    services.protection_record(by=world.user("protection.bamako"), case_id=bamako_case.pk, notes="Confidentiel")
    plain = make_person(by="reception.bamako", given_name="Fanta", family_name="Sidibé", sex="F",
                        origin_region="District de Bamako")
    unscreened = services.case_open(by=world.user("reception.bamako"), person_id=plain.pk)
    client = api_client(username, language="en")
    for part in ("screening", "protection"):
        with_data = client.get(f"/api/v1/cases/{bamako_case.pk}/{part}")
        without = client.get(f"/api/v1/cases/{unscreened.pk}/{part}")
        if username == "admin":  # a protection reader: the data when there is some, 404 when there is none
            assert with_data.status_code == 200 and without.status_code == 404
            continue
        assert with_data.status_code == without.status_code == 404
        assert with_data.json() == without.json()

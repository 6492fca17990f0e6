"""The case path: stages derived from what happened, prerequisites, protected screening,
follow-ups, the queue, and who may see what."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from parcours.cases import services
from parcours.cases.models import Case
from parcours.cases.stages import position
from parcours.core.errors import Forbidden, NotFound, ValidationFailed


@pytest.fixture
def kayes_person(make_person):
    return make_person(by="caseworker.kayes", given_name="Seydou", family_name="Diarra", birth_year="1995",
                       origin_region="Kayes", return_date="2019-10-03")


@pytest.fixture
def case(world, kayes_person):
    return services.case_open(by=world.user("caseworker.kayes"), person_id=kayes_person.pk)


def stage(case):
    return position(Case.objects.get(pk=case.pk), timezone.localdate()).stage


def test_stage_follows_what_happened(world, case):
    worker = world.user("caseworker.kayes")
    assert stage(case) == "screening"
    services.screening_record(by=worker, case_id=case.pk, answers={})
    assert stage(case) == "orientation"
    services.orientation_record(by=worker, case_id=case.pk, data={"wishes": "atelier de soudure", "choice": "training"})
    assert stage(case) == "plan"
    component = services.component_add(by=worker, case_id=case.pk, data={"kind": "vocational_training",
                                                                          "provider": "CFPM", "cost_xof": 150000})
    assert stage(case) == "delivery"
    services.component_update(by=worker, component_id=component.pk, status="delivered")
    assert stage(case) == "follow_up"
    for follow_up in Case.objects.get(pk=case.pk).follow_ups.all():
        services.follow_up_record(by=worker, follow_up_id=follow_up.pk, outcome="done", satisfaction=4)
    assert stage(case) == "completion"
    services.case_close(by=worker, case_id=case.pk, reason="completed")
    assert stage(case) == "closed"


def test_no_plan_without_orientation(world, case):
    with pytest.raises(ValidationFailed) as exc:
        services.component_add(by=world.user("caseworker.kayes"), case_id=case.pk, data={"kind": "cash_grant"})
    assert "case" in exc.value.fields


def test_follow_ups_at_1_3_6_12_months_after_the_plan(world, case):
    worker = world.user("caseworker.kayes")
    services.screening_record(by=worker, case_id=case.pk, answers={})
    services.orientation_record(by=worker, case_id=case.pk, data={"wishes": "commerce", "choice": "income_individual"})
    services.component_add(by=worker, case_id=case.pk, data={"kind": "income_individual", "planned_start": "2020-01-31"})
    due = list(Case.objects.get(pk=case.pk).follow_ups.values_list("months_after_plan", "due_on"))
    assert due == [(1, dt.date(2020, 2, 29)), (3, dt.date(2020, 4, 30)), (6, dt.date(2020, 7, 31)),
                   (12, dt.date(2021, 1, 31))]


def test_vulnerable_person_goes_to_protection_and_answers_are_encrypted_and_read_logged(world, case):
    from auditlog.models import LogEntry

    worker = world.user("caseworker.kayes")
    screening = services.screening_record(by=worker, case_id=case.pk,
                                          answers={"trafficking_forced_work": True, "psychosocial_distress": True})
    assert stage(case) == "protection"
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers_encrypted FROM cases_screening WHERE id = %s", [screening.pk])
        raw = bytes(cursor.fetchone()[0])
    assert b"trafficking" not in raw and b"true" not in raw
    with pytest.raises(Forbidden):
        services.screening_answers(by=worker, screening=screening)
    officer = world.user("protection.bamako")
    answers = services.screening_answers(by=officer, screening=screening)
    assert answers["trafficking_forced_work"] is True
    assert LogEntry.objects.filter(object_pk=str(screening.pk), action=LogEntry.Action.ACCESS,
                                   actor=officer).exists()
    with pytest.raises(ValidationFailed):
        services.orientation_record(by=worker, case_id=case.pk, data={"wishes": "x", "choice": "training"})


def test_unaccompanied_minor_needs_best_interest_determination_to_close(world, make_person):
    minor = make_person(by="caseworker.kayes", given_name="Moussa", family_name="Keita", birth_year="2008",
                        origin_region="Kayes")
    worker = world.user("caseworker.kayes")
    case = services.case_open(by=worker, person_id=minor.pk, unaccompanied_minor=True)
    with pytest.raises(ValidationFailed):
        services.case_close(by=worker, case_id=case.pk, reason="refused")
    services.best_interest_record(by=worker, case_id=case.pk, panel="DNDS, OIM, tuteur", decision="réunification familiale")
    assert services.case_close(by=worker, case_id=case.pk, reason="refused").closed_on


def test_one_open_case_per_person(world, case, kayes_person):
    again = services.case_open(by=world.user("caseworker.kayes"), person_id=kayes_person.pk)
    assert again.pk == case.pk and Case.objects.count() == 1


def test_transfer_to_an_ngo_needs_consent(world, case):
    worker = world.user("caseworker.kayes")
    with pytest.raises(ValidationFailed):
        services.case_transfer(by=worker, case_id=case.pk, to_username="caseworker.ajdm")
    from parcours.people.services import consent_record

    consent_record(by=worker, person=case.person, scope="sharing", agency=world.agencies["AJDM"], granted=True,
                   given_on=timezone.localdate())
    moved = services.case_transfer(by=worker, case_id=case.pk, to_username="caseworker.ajdm")
    assert moved.agency.code == "AJDM"
    from parcours.cases.policies import case_for_read

    assert case_for_read(world.user("caseworker.ajdm"), case.pk).pk == case.pk


def test_queue_oldest_first_and_overdue(world, make_person):
    from parcours.cases.selectors import backlog, queue

    worker = world.user("caseworker.kayes")
    old = make_person(by="caseworker.kayes", given_name="A", family_name="Traoré", origin_region="Kayes")
    new = make_person(by="caseworker.kayes", given_name="B", family_name="Traoré", origin_region="Kayes")
    services.case_open(by=worker, person_id=old.pk, arrived_on=timezone.localdate() - dt.timedelta(days=40))
    services.case_open(by=worker, person_id=new.pk, arrived_on=timezone.localdate() - dt.timedelta(days=1))
    rows = queue(worker)
    assert [r.case.person_id for r in rows] == [old.pk, new.pk]
    assert rows[0].overdue and not rows[1].overdue
    screening_row = next(s for s in backlog(world.user("manager.eu"))["stages"] if s["stage"] == "screening")
    assert screening_row == {**screening_row, "open": 2, "overdue": 1}


def test_scoping_of_cases(world, api_client, case):
    assert api_client("caseworker.kayes").get(f"/api/v1/cases/{case.pk}").status_code == 200
    for username in ("reception.bamako", "caseworker.ajdm", "partner.cfpm", "manager.eu", "enumerator.gao"):
        client = api_client(username)
        assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404, username
        assert client.get("/api/v1/cases").json()["count"] == 0, username
    assert api_client("manager.eu").get("/api/v1/cases/queue").status_code == 200
    assert api_client("partner.cfpm").get("/api/v1/cases/queue").status_code == 403
    with pytest.raises(NotFound):
        services.screening_record(by=world.user("caseworker.ajdm"), case_id=case.pk, answers={})


def test_api_walk_and_bad_input(api_client, kayes_person):
    client = api_client("caseworker.kayes")
    created = client.post("/api/v1/cases", {"person": str(kayes_person.pk)}, content_type="application/json")
    assert created.status_code == 201, created.content
    case_id = created.json()["id"]
    bad = client.post(f"/api/v1/cases/{case_id}/screening", {"answers": {"astrology": True}},
                      content_type="application/json")
    assert bad.status_code == 400 and "answers" in bad.json()["error"]["fields"]
    assert client.post(f"/api/v1/cases/{case_id}/screening", {"answers": {}},
                       content_type="application/json").json()["route"] == "orientation"
    response = client.post(f"/api/v1/cases/{case_id}/orientation", {"data": {"wishes": "élevage", "choice": "nope"}},
                           content_type="application/json")
    assert response.status_code == 400 and "choice" in response.json()["error"]["fields"]
    assert client.get(f"/api/v1/cases/{case_id}/screening").status_code == 403
    assert api_client("auditor").post(f"/api/v1/cases/{case_id}/close", {"reason": "completed"},
                                      content_type="application/json").status_code == 403


def test_pages_render(web_client, case):
    client = web_client("caseworker.kayes")
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get("/cases/queue/").status_code == 200
    assert web_client("manager.eu").get("/cases/queue/").status_code == 200
    assert web_client("reception.bamako").get(f"/cases/{case.pk}/").status_code == 404


def test_follow_up_reminders_announce_each_due_follow_up_once(world, case):
    from parcours.people.models import Event

    worker = world.user("caseworker.kayes")
    services.screening_record(by=worker, case_id=case.pk, answers={})
    services.orientation_record(by=worker, case_id=case.pk, data={"wishes": "x", "choice": "training"})
    services.component_add(by=worker, case_id=case.pk, data={"kind": "vocational_training", "planned_start": "2020-01-01"})
    assert services.follow_up_reminders(today=dt.date(2020, 4, 1)) == 2  # 1 month overdue, 3 months due today
    assert services.follow_up_reminders(today=dt.date(2020, 4, 1)) == 0
    assert Event.objects.filter(person=case.person, kind__startswith="case_follow_up_").count() == 2

"""Every endpoint, for every kind of outsider: another agency (the NGO), another place (reception
in Bamako), a partner (training centre), the manager (aggregates only). Out of scope answers 404,
as a missing case; read-only roles get 403 on writes; lists leak nothing; nothing is written."""

import uuid

import pytest

from parcours.cases import services
from parcours.cases.models import BestInterestDetermination, Case, FollowUp, Orientation, PlanComponent
from parcours.cases.policies import cases_visible_to

OUTSIDERS = ["caseworker.ajdm", "reception.bamako", "partner.cfpm", "manager.eu", "enumerator.gao"]
READ_ONLY = ["auditor", "me.iom"]


@pytest.fixture
def full_case(walk, case):
    walk.screen(case)
    walk.orient(case)
    walk.plan(case, start="2020-01-01")
    return Case.objects.get(pk=case.pk)


def _calls(case):
    component = case.components.first()
    follow_up = case.follow_ups.first()
    base = f"/api/v1/cases/{case.pk}"
    reads = [base, f"{base}/follow-ups", f"{base}/screening", f"{base}/protection"]
    writes = [
        (f"{base}/screening", {"answers": {}}),
        (f"{base}/orientation", {"data": {"wishes": "x", "choice": "training"}}),
        (f"{base}/components", {"data": {"kind": "cash_grant"}}),
        (f"{base}/close", {"reason": "refused"}),
        (f"{base}/best-interest", {"panel": "p", "decision": "d"}),
        (f"{base}/transfer", {"to": "caseworker.kayes"}),
        (f"/api/v1/cases/components/{component.pk}/status", {"status": "cancelled"}),
        (f"/api/v1/cases/follow-ups/{follow_up.pk}", {"outcome": "done"}),
    ]
    return reads, writes


def _snapshot():
    return (Case.objects.filter(closed_on__isnull=False).count(), PlanComponent.objects.count(),
            PlanComponent.objects.filter(status="cancelled").count(), FollowUp.objects.exclude(outcome="").count(),
            BestInterestDetermination.objects.count(), list(Orientation.objects.values_list("wishes", flat=True)))


@pytest.mark.parametrize("username", OUTSIDERS)
def test_given_an_outsider_then_every_case_endpoint_answers_404_and_lists_are_empty(api_client, full_case, username):
    client = api_client(username)
    reads, writes = _calls(full_case)
    before = _snapshot()
    for url in reads:
        assert client.get(url).status_code == 404, url
    for url, body in writes:
        assert client.post(url, body, content_type="application/json").status_code in (403, 404), url
    assert client.post(f"/api/v1/cases/{full_case.pk}/protection", {"notes": "x"},
                       content_type="application/json").status_code in (403, 404)
    assert client.get("/api/v1/cases").json()["count"] == 0
    assert client.get("/api/v1/cases?open=false&region=Kayes").json()["count"] == 0
    assert _snapshot() == before


@pytest.mark.parametrize("username", READ_ONLY)
def test_given_a_read_only_role_then_reads_answer_and_writes_are_403(api_client, full_case, username):
    client = api_client(username)
    reads, writes = _calls(full_case)
    before = _snapshot()
    assert client.get(reads[0]).status_code == 200
    assert client.get("/api/v1/cases").json()["count"] == 1
    for url, body in writes:
        assert client.post(url, body, content_type="application/json").status_code == 403, url
    assert _snapshot() == before


def test_given_a_missing_or_malformed_id_then_404_as_out_of_scope(api_client, full_case):
    client = api_client("caseworker.kayes")
    assert client.get(f"/api/v1/cases/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/cases/not-a-uuid").status_code == 404
    assert client.post("/api/v1/cases/follow-ups/999999", {"outcome": "done"},
                       content_type="application/json").status_code == 404


@pytest.mark.parametrize("username", ["caseworker.ajdm", "reception.bamako", "partner.cfpm", "manager.eu"])
def test_given_an_outsider_then_the_case_pages_answer_404(web_client, full_case, username):
    client = web_client(username)
    assert client.get(f"/cases/{full_case.pk}/").status_code == 404
    response = client.post(f"/cases/{full_case.pk}/close/", {"reason": "refused"})
    assert response.status_code == 404
    assert not Case.objects.get(pk=full_case.pk).closed_on
    if username not in ("partner.cfpm", "manager.eu"):
        assert "Seydou" not in client.get("/cases/?all=1").content.decode()


def test_given_a_partner_then_no_case_pages_at_all(web_client, full_case):
    client = web_client("partner.cfpm")
    assert client.get("/cases/").status_code == 404
    assert client.get("/cases/queue/").status_code == 404


def test_given_the_joint_registry_then_the_kayes_worker_sees_kayes_cases_and_the_ngo_only_its_own(world, full_case):
    assert list(cases_visible_to(world.user("caseworker.kayes"))) == [full_case]
    assert not cases_visible_to(world.user("caseworker.ajdm")).exists()
    assert not cases_visible_to(world.user("partner.cfpm")).exists()
    assert not cases_visible_to(world.user("manager.eu")).exists()
    assert list(cases_visible_to(world.user("auditor"))) == [full_case]


def test_given_reception_then_it_opens_a_case_at_arrival_but_cannot_work_it(world, make_person, api_client):
    person = make_person(by="reception.bamako", origin_region="District de Bamako")
    client = api_client("reception.bamako")
    created = client.post("/api/v1/cases", {"person": str(person.pk)}, content_type="application/json")
    assert created.status_code == 201 and created.json()["owner"] == ""
    cid = created.json()["id"]
    assert client.post(f"/api/v1/cases/{cid}/screening", {"answers": {}},
                       content_type="application/json").status_code == 403
    assert api_client("partner.cfpm").post("/api/v1/cases", {"person": str(person.pk)},
                                           content_type="application/json").status_code == 403


def test_given_the_ngo_then_it_cannot_open_a_case_for_someone_it_does_not_see(api_client, kayes_person):
    response = api_client("caseworker.ajdm").post("/api/v1/cases", {"person": str(kayes_person.pk)},
                                                  content_type="application/json")
    assert response.status_code == 404 and not Case.objects.exists()


def test_services_refuse_outsiders_too(world, full_case):
    from parcours.core.errors import NotFound

    with pytest.raises(NotFound):
        services.screening_record(by=world.user("caseworker.ajdm"), case_id=full_case.pk, answers={})

"""The API and pages around the path: retry-safe creation, bad input, transfer with consent,
minors, the case page in French and English."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.cases import services
from parcours.cases.models import BestInterestDetermination, Case, Orientation, PlanComponent
from parcours.core.errors import ValidationFailed
from parcours.people.services import consent_record

J = "application/json"


def test_given_an_open_case_when_opening_again_then_the_same_case(api_client, kayes_person):
    client = api_client("caseworker.kayes")
    first = client.post("/api/v1/cases", {"person": str(kayes_person.pk)}, content_type=J)
    again = client.post("/api/v1/cases", {"person": str(kayes_person.pk)}, content_type=J)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and Case.objects.count() == 1


def test_the_database_refuses_a_second_open_case(case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(person=case.person, agency=case.agency, arrived_on=case.arrived_on)


def test_given_a_closed_case_then_a_new_one_may_open(worker, case):
    services.case_close(by=worker, case_id=case.pk, reason="re_migrated")
    again = services.case_open(by=worker, person_id=case.person_id)
    assert again.pk != case.pk and Case.objects.count() == 2


def test_given_an_idempotency_key_when_a_component_is_retried_then_one_component(api_client, walk, case):
    walk.screen(case)
    walk.orient(case)
    client = api_client("caseworker.kayes")
    for _ in range(2):
        response = client.post(f"/api/v1/cases/{case.pk}/components", {"data": {"kind": "cash_grant",
                               "cost_xof": 300000, "scheme_code": "cash_grant"}}, content_type=J,
                               HTTP_IDEMPOTENCY_KEY="tablette-42")
        assert response.status_code == 201, response.content
    assert PlanComponent.objects.count() == 1


def test_given_the_web_form_submitted_twice_then_one_component(web_client, walk, case):
    walk.screen(case)
    walk.orient(case)
    client = web_client("caseworker.kayes")
    for _ in range(2):
        client.post(f"/cases/{case.pk}/component/", {"kind": "medical", "form_token": "abc123", "cost_xof": "5000"})
    assert PlanComponent.objects.filter(kind="medical").count() == 1


def test_given_bad_input_then_each_field_named_in_french_and_nothing_written(api_client, walk, case):
    walk.screen(case)
    client = api_client("caseworker.kayes")
    response = client.post(f"/api/v1/cases/{case.pk}/orientation", {"data": {
        "wishes": "", "choice": "nope", "skills_verified": "peut-être", "done_on": "2999-01-01"}}, content_type=J)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) >= {"wishes", "choice", "skills_verified", "done_on"}
    assert "futur" in " ".join(fields["done_on"]) and "oui ou non" in " ".join(fields["skills_verified"])
    assert not Orientation.objects.exists()
    english = api_client("caseworker.kayes", "en").post(f"/api/v1/cases/{case.pk}/orientation", {"data": {
        "wishes": "x", "choice": "training", "done_on": "2999-01-01"}}, content_type=J)
    assert english.json()["error"]["fields"]["done_on"] == ["The date is in the future."]


def test_given_bad_component_input_then_field_named_and_nothing_written(api_client, walk, case):
    walk.screen(case)
    walk.orient(case)
    client = api_client("caseworker.kayes")
    response = client.post(f"/api/v1/cases/{case.pk}/components", {"data": {
        "kind": "spaceship", "cost_xof": -5, "planned_start": "2020-05-01", "planned_end": "2020-01-01"}},
        content_type=J)
    assert set(response.json()["error"]["fields"]) >= {"kind", "cost_xof"}
    response = client.post(f"/api/v1/cases/{case.pk}/components", {"data": {
        "kind": "cash_grant", "provider": "NOPE", "planned_start": "2020-05-01", "planned_end": "2020-01-01"}},
        content_type=J)
    assert "planned_end" in response.json()["error"]["fields"]
    response = client.post(f"/api/v1/cases/{case.pk}/components", {"data": {"kind": "cash_grant",
                                                                             "provider": "NOPE"}}, content_type=J)
    assert "provider" in response.json()["error"]["fields"]
    response = client.post(f"/api/v1/cases/{case.pk}/screening", {"answers": {"astrology": True}}, content_type=J)
    assert response.status_code == 400 and "answers" in response.json()["error"]["fields"]
    assert not PlanComponent.objects.exists()


def test_given_a_collective_project_then_its_members_are_people_the_worker_sees(walk, make_person, case, world):
    walk.screen(case)
    walk.orient(case, choice="income_collective")
    partner = make_person(by="caseworker.kayes", given_name="Oumar", origin_region="Kayes")
    hidden = make_person(by="reception.bamako", given_name="Fanta", origin_region="Gao")
    with pytest.raises(ValidationFailed) as exc:
        walk.plan(case, kind="income_collective", members=f"{partner.pk} {hidden.pk}")
    assert "members" in exc.value.fields
    component = walk.plan(case, kind="income_collective", members=str(partner.pk), cost_xof=900000)
    assert list(component.members.all()) == [partner]
    with pytest.raises(ValidationFailed):
        walk.plan(case, kind="cash_grant", members=str(partner.pk))


def test_given_a_referral_of_another_person_then_refused(walk, case, make_person):
    walk.screen(case)
    walk.orient(case)
    import uuid

    with pytest.raises(ValidationFailed) as exc:
        walk.plan(case, referral=str(uuid.uuid4()))
    assert "referral" in exc.value.fields


def test_transfer_to_the_ngo_needs_the_persons_consent(api_client, world, case):
    client = api_client("caseworker.kayes")
    refused = client.post(f"/api/v1/cases/{case.pk}/transfer", {"to": "caseworker.ajdm"}, content_type=J)
    assert refused.status_code == 400 and "to" in refused.json()["error"]["fields"]
    assert api_client("caseworker.ajdm").get(f"/api/v1/cases/{case.pk}").status_code == 404
    consent_record(by=world.user("caseworker.kayes"), person=case.person, scope="sharing",
                   agency=world.agencies["AJDM"], granted=True, given_on=timezone.localdate())
    moved = client.post(f"/api/v1/cases/{case.pk}/transfer", {"to": "caseworker.ajdm"}, content_type=J)
    assert moved.status_code == 200 and (moved.json()["agency"], moved.json()["owner"]) == ("AJDM", "caseworker.ajdm")
    ngo = api_client("caseworker.ajdm")
    assert ngo.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert ngo.get("/api/v1/cases").json()["count"] == 1


def test_transfer_within_the_joint_registry_needs_no_consent_but_a_case_worker(api_client, case):
    client = api_client("caseworker.kayes")
    assert client.post(f"/api/v1/cases/{case.pk}/transfer", {"to": "protection.bamako"},
                       content_type=J).json()["owner"] == "protection.bamako"
    bad = client.post(f"/api/v1/cases/{case.pk}/transfer", {"to": "reception.bamako"}, content_type=J)
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]


def test_given_an_unaccompanied_minor_then_flagged_and_closure_needs_best_interest(api_client, make_person, worker):
    year = timezone.localdate().year - 15
    minor = make_person(by="caseworker.kayes", given_name="Moussa", family_name="Keita", birth_year=str(year),
                        origin_region="Kayes")
    case = services.case_open(by=worker, person_id=minor.pk)
    services.screening_record(by=worker, case_id=case.pk, answers={"unaccompanied_or_separated": True})
    client = api_client("caseworker.kayes")
    detail = client.get(f"/api/v1/cases/{case.pk}").json()
    assert detail["minor"] and detail["unaccompanied_minor"] and detail["route"] == "protection"
    refused = client.post(f"/api/v1/cases/{case.pk}/close", {"reason": "refused"}, content_type=J)
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    assert client.post(f"/api/v1/cases/{case.pk}/best-interest", {"panel": "DNDS, OIM, tuteur",
                       "decision": "Réunification familiale", "decided_on": "2020-02-01"},
                       content_type=J).status_code == 201
    assert BestInterestDetermination.objects.get(case=case).decided_on == dt.date(2020, 2, 1)
    assert client.post(f"/api/v1/cases/{case.pk}/close", {"reason": "refused"}, content_type=J).json()[
        "stage"] == "closed"


def test_given_a_minor_then_the_pages_flag_them(web_client, make_person, worker):
    minor = make_person(by="caseworker.kayes", given_name="Awa", birth_year=str(timezone.localdate().year - 16),
                        origin_region="Kayes")
    case = services.case_open(by=worker, person_id=minor.pk)
    assert "moins de 18 ans" in web_client("caseworker.kayes").get(f"/cases/{case.pk}/").content.decode()
    assert "moins de 18 ans" in web_client("caseworker.kayes").get("/cases/").content.decode()


def test_the_pages_read_in_french_by_default_and_in_english(web_client, walk, case):
    walk.screen(case)
    french = web_client("caseworker.kayes").get(f"/cases/{case.pk}/").content.decode()
    assert "Entretien d'orientation" in french and "Fiche d'orientation" in french
    english = web_client("caseworker.kayes", "en").get(f"/cases/{case.pk}/").content.decode()
    assert "Orientation interview" in english
    assert "File d'attente" in web_client("manager.eu").get("/cases/queue/").content.decode()


def test_the_whole_path_through_the_web_forms(web_client, case, world):
    client = web_client("caseworker.kayes")
    base = f"/cases/{case.pk}"
    client.post(f"{base}/screening/", {"journey_debt": "on"})
    client.post(f"{base}/orientation/", {"wishes": "couture", "choice": "cash_grant", "skills_verified": "yes",
                                         "verified_by": "Expert", "options_explained": "yes"})
    client.post(f"{base}/component/", {"kind": "cash_grant", "cost_xof": "300000", "form_token": "t1",
                                       "planned_start": "2020-01-01"})
    component = PlanComponent.objects.get()
    client.post(f"{base}/component_status/", {"component": component.pk, "status": "delivered"})
    for follow_up in Case.objects.get(pk=case.pk).follow_ups.all():
        client.post(f"{base}/follow_up/", {"follow_up": follow_up.pk, "outcome": "done", "satisfaction": "5"})
    response = client.post(f"{base}/close/", {"reason": "completed"}, follow=True)
    assert Case.objects.get(pk=case.pk).closure_reason == "completed"
    assert "Enregistré" in response.content.decode() or response.status_code == 200
    timeline = client.get(f"{base}/").content.decode()
    assert "Dossier clôturé : réintégration achevée" in timeline and "Suivi à 12 mois : fait" in timeline
    english = web_client("caseworker.kayes", "en").get(f"{base}/").content.decode()
    assert "Case closed: reintegration completed" in english and "cash grant: delivered" in english


def test_the_person_page_link_opens_the_case(web_client, kayes_person):
    client = web_client("caseworker.kayes")
    assert client.get(f"/cases/person/{kayes_person.pk}/").status_code == 200
    response = client.post(f"/cases/person/{kayes_person.pk}/", {"arrived_on": "2019-10-03"})
    case = Case.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/cases/{case.pk}/")
    assert client.get(f"/cases/person/{kayes_person.pk}/").status_code == 302


def test_load_demo_cases_is_idempotent(world, settings):
    from django.core.management import call_command

    from parcours.cases.demo import load_demo_cases
    from parcours.demo.people import load_demo_people

    load_demo_people(40, users=world.users)
    opened = load_demo_cases(20)
    assert opened > 5 and load_demo_cases(20) == 0
    settings.PARCOURS_DEMO_ALLOWED = True
    call_command("load_demo_cases")
    assert Case.objects.count() == opened


def test_given_a_member_outside_the_readers_scope_then_never_shown(api_client, web_client, walk, make_person, case,
                                                                   world):
    walk.screen(case)
    walk.orient(case, choice="income_collective")
    member = make_person(by="caseworker.kayes", given_name="Oumar", family_name="Sangaré", origin_region="Kayes")
    walk.plan(case, kind="income_collective", members=str(member.pk))
    assert api_client("caseworker.kayes").get(f"/api/v1/cases/{case.pk}").json()["components"][0]["members"] == [
        str(member.pk)]
    consent_record(by=walk.worker, person=case.person, scope="sharing", agency=world.agencies["AJDM"], granted=True,
                   given_on=timezone.localdate())
    services.case_transfer(by=walk.worker, case_id=case.pk, to_username="caseworker.ajdm")
    assert api_client("caseworker.ajdm").get(f"/api/v1/cases/{case.pk}").json()["components"][0]["members"] == []
    assert "Sangaré" not in web_client("caseworker.ajdm").get(f"/cases/{case.pk}/").content.decode()

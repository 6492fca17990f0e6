"""Who sees whom. A person outside the caller's scope answers 404 exactly like a missing one,
and never appears in lists, searches, exports or duplicate suggestions."""

import uuid

import pytest

from parcours.people.models import Person


@pytest.fixture
def kayes_person(make_person):
    # Registered in Kayes by the IOM case worker, from Kayes: outside Bamako's scope.
    return make_person(by="caseworker.kayes", given_name="Moussa", family_name="Sissoko", birth_year="1990",
                       phone="76554433", origin_region="Kayes")


@pytest.fixture
def bamako_person(make_person):
    return make_person(by="reception.bamako", given_name="Awa", family_name="Diarra", birth_year="1996",
                       origin_region="District de Bamako", sex="F")


def test_other_place_gets_404_like_a_missing_person(api_client, kayes_person):
    client = api_client("reception.bamako")
    out_of_scope = client.get(f"/api/v1/people/{kayes_person.pk}")
    missing = client.get(f"/api/v1/people/{uuid.uuid4()}")
    assert out_of_scope.status_code == missing.status_code == 404
    assert out_of_scope.json() == missing.json()


def test_other_place_absent_from_list_search_and_duplicates(api_client, kayes_person, bamako_person):
    client = api_client("reception.bamako")
    listed = {p["id"] for p in client.get("/api/v1/people").json()["results"]}
    assert str(kayes_person.pk) not in listed and str(bamako_person.pk) in listed
    assert client.get("/api/v1/people?q=sissoko").json()["count"] == 0
    # Registering the same man again in Bamako must not reveal the Kayes record.
    response = client.post("/api/v1/people", {"given_name": "Moussa", "family_name": "Sissoko",
                                              "birth_year": 1990, "phone": "76554433"},
                           content_type="application/json")
    assert response.status_code == 201
    assert str(kayes_person.pk) not in {d["id"] for d in response.json()["possible_duplicates"]}
    candidates = client.get("/api/v1/people/candidates?given_name=Moussa&family_name=Sissoko&phone=76554433")
    assert str(kayes_person.pk) not in {c["id"] for c in candidates.json()}


def test_same_agency_everywhere_sees_both(api_client, kayes_person, bamako_person):
    client = api_client("me.iom")
    assert client.get("/api/v1/people").json()["count"] == 2


def test_ngo_sees_only_people_assigned_with_consent(api_client, world, kayes_person, bamako_person):
    from django.utils import timezone

    from parcours.core.errors import ValidationFailed
    from parcours.people.services import access_grant, consent_record

    ajdm = world.agencies["AJDM"]
    reception = world.user("reception.bamako")
    client = api_client("caseworker.ajdm")
    assert client.get("/api/v1/people").json()["count"] == 0
    assert client.get(f"/api/v1/people/{bamako_person.pk}").status_code == 404
    with pytest.raises(ValidationFailed):
        access_grant(by=reception, person=bamako_person, agency=ajdm, reason="assigned")
    consent_record(by=reception, person=bamako_person, scope="sharing", agency=ajdm, granted=True,
                   given_on=timezone.localdate())
    access_grant(by=reception, person=bamako_person, agency=ajdm, reason="assigned")
    assert client.get(f"/api/v1/people/{bamako_person.pk}").status_code == 200
    assert client.get("/api/v1/people").json()["count"] == 1
    # Withdrawing consent closes the partner's view at once.
    consent_record(by=reception, person=bamako_person, scope="sharing", agency=ajdm, granted=False,
                   given_on=timezone.localdate())
    assert client.get(f"/api/v1/people/{bamako_person.pk}").status_code == 404


@pytest.mark.parametrize("username", ["manager.eu", "enumerator.gao", "focal.sikasso", "partner.cfpm"])
def test_roles_without_registry_access_see_nobody(api_client, username, bamako_person):
    client = api_client(username)
    assert client.get("/api/v1/people").json()["count"] == 0
    assert client.get(f"/api/v1/people/{bamako_person.pk}").status_code == 404


@pytest.mark.parametrize("username", ["manager.eu", "auditor", "partner.cfpm", "enumerator.gao"])
def test_lower_roles_cannot_register_or_edit(api_client, username, bamako_person):
    client = api_client(username)
    response = client.post("/api/v1/people", {"family_name": "Traoré"}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    edit = client.patch(f"/api/v1/people/{bamako_person.pk}", {"phone": "76000000"},
                        content_type="application/json")
    assert edit.status_code in (403, 404)
    assert Person.objects.get(pk=bamako_person.pk).phone == ""


def test_auditor_reads_everything_and_every_read_is_logged(api_client, kayes_person):
    from auditlog.models import LogEntry

    client = api_client("auditor")
    assert client.get(f"/api/v1/people/{kayes_person.pk}").status_code == 200
    entry = LogEntry.objects.get(object_pk=str(kayes_person.pk), action=LogEntry.Action.ACCESS)
    assert entry.actor.username == "auditor"


def test_web_pages_answer_404_out_of_scope(web_client, kayes_person):
    client = web_client("reception.bamako")
    assert client.get(f"/people/{kayes_person.pk}/").status_code == 404
    assert client.get(f"/people/{kayes_person.pk}/edit/").status_code == 404
    assert "Sissoko" not in client.get("/people/?q=sissoko").content.decode()
    assert client.get("/people/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    # A training centre has a people list, but it only holds the people referred to it.
    assert "Sissoko" not in web_client("partner.cfpm").get("/people/").content.decode()
    assert web_client("enumerator.gao").get("/people/").status_code == 404
    assert web_client("manager.eu").get("/people/register/").status_code == 404

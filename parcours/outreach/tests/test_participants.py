"""Named participants: with consent only, registered in the registry (duplicates checked), seen by
the focal point that named them and by nobody its scope did not already allow."""

import datetime as dt

import pytest

from parcours.accounts.models import Agency, Role, User
from parcours.facts.models import Fact
from parcours.outreach.models import NamedParticipant
from parcours.people.models import AgencyAccess, Consent, Person

pytestmark = pytest.mark.django_db
API = "/api/v1/sensitization/activities"
AWA = {"consent": True, "given_name": "Awa", "family_name": "Coulibaly", "sex": "F", "birth_year": 1999,
       "phone": "+223 76 12 34 56"}


@pytest.fixture
def activity(record):
    return record(on=dt.date(2025, 6, 14), participants_male=2, participants_female=3)


def _name(client, activity, body=AWA, **headers):
    return client.post(f"{API}/{activity.pk}/participants", body, content_type="application/json", **headers)


@pytest.fixture
def focal_sikasso_other_place(world):
    """A focal point of the same agency (AECID) working in Kayes."""
    user = User.objects.create(username="focal.aecid.kayes", role=Role.FOCAL_POINT,
                               agency=Agency.objects.get(code="AECID"), place=world.places["KAY"])
    user.set_password("parcours-demo")
    user.save()
    world.users[user.username] = user
    return user


def test_consent_missing_is_refused_naming_the_field_in_french_and_english(api_client, activity):
    for language, words in (("fr", "consent"), ("en", "agrees to be named")):
        r = _name(api_client("focal.sikasso", language), activity, {**AWA, "consent": False})
        assert r.status_code == 400, r.content
        assert words in r.json()["error"]["fields"]["consent"][0]
    assert (Person.objects.count(), NamedParticipant.objects.count()) == (0, 0)


def test_a_named_participant_is_registered_with_consent_and_seen_by_the_focal_point(api_client, web_client,
                                                                                   activity):
    client = api_client("focal.sikasso")
    r = _name(client, activity)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["given_name"], body["sex"], body["registered"], body["consent_on"]) == (
        "Awa", "F", True, dt.date.today().isoformat())
    person = Person.objects.get(pk=body["person"])
    aecid = Agency.objects.get(code="AECID")
    assert set(Consent.objects.filter(person=person, granted=True).values_list("scope", "agency__code")) == {
        ("collection", None), ("sharing", "AECID")}
    assert AgencyAccess.objects.filter(person=person, agency=aecid, reason="participant", active=True).exists()
    named = Fact.objects.get(kind="outreach.participant_named", person=person)
    assert (named.occurred_on, named.data["commune"]) == (dt.date(2025, 6, 14), "Sikasso")
    # The focal point finds the person, the activity lists them, the timeline says it.
    assert client.get(f"/api/v1/people/{person.pk}").status_code == 200
    listed = client.get(f"{API}/{activity.pk}/participants").json()
    assert (listed["named"], [p["person"] for p in listed["results"]]) == (1, [str(person.pk)])
    web = web_client("focal.sikasso")
    assert "Awa Coulibaly" in web.get(f"/sensitization/{activity.pk}/").content.decode()
    page = web.get(f"/people/{person.pk}/").content.decode()
    assert "Sikasso" in page and "sensibilisation" in page.lower()
    # The counts stay the results' source: naming adds nobody to the people met.
    assert client.get(f"{API}/summary").json()["people_sensitized"] == 5


def test_the_focal_point_sees_only_the_people_it_named(api_client, make_person, activity):
    other = make_person(by="reception.bamako", given_name="Seydou", family_name="Keita")
    _name(api_client("focal.sikasso"), activity)
    client = api_client("focal.sikasso")
    assert client.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert [p["given_name"] for p in client.get("/api/v1/people").json()["results"]] == ["Awa"]
    # Another person of the registry cannot be named by picking its id.
    r = _name(client, activity, {"consent": True, "person": str(other.pk)})
    assert r.status_code == 404 and NamedParticipant.objects.count() == 1


@pytest.mark.parametrize("username", ["focal.kayes", "focal.aecid.kayes"])
def test_a_focal_point_of_another_agency_or_place_sees_neither_activity_nor_person(
        api_client, web_client, activity, focal_kayes, focal_sikasso_other_place, username):
    person_id = _name(api_client("focal.sikasso"), activity).json()["person"]
    client, web = api_client(username), web_client(username)
    assert client.get(f"{API}/{activity.pk}").status_code == 404
    assert client.get(f"{API}/{activity.pk}/participants").status_code == 404
    assert _name(client, activity, {**AWA, "given_name": "Fanta"}).status_code == 404
    assert client.get(f"/api/v1/people/{person_id}").status_code == 404
    assert web.get(f"/people/{person_id}/").status_code == 404
    assert web.get(f"/sensitization/{activity.pk}/participants/new/").status_code == 404
    assert NamedParticipant.objects.count() == 1


@pytest.mark.parametrize(("username", "status"), [
    ("caseworker.ajdm", 404),   # an NGO outside the joint registry: no access given to it
    ("caseworker.kayes", 404),  # the joint registry, but Kayes: the person was registered in Sikasso
    ("partner.cfpm", 404),
    ("me.iom", 200),            # the joint registry everywhere: its own scope already allowed it
])
def test_other_agencies_see_the_participant_only_if_their_own_scope_allows(api_client, activity, username, status):
    person_id = _name(api_client("focal.sikasso"), activity).json()["person"]
    assert api_client(username).get(f"/api/v1/people/{person_id}").status_code == status
    listed = api_client(username).get(f"{API}/{activity.pk}/participants")
    if listed.status_code == 200:
        assert [p["person"] for p in listed.json()["results"]] == ([person_id] if status == 200 else [])


def test_a_possible_duplicate_is_offered_and_can_be_picked(api_client, web_client, record, activity):
    client = api_client("focal.sikasso")
    first = _name(client, activity).json()["person"]
    second = record(on=dt.date(2025, 7, 2), participants_male=1, participants_female=1)
    found = client.get(f"{API}/{second.pk}/participants/candidates",
                       {"given_name": "Awa", "family_name": "Kulibali", "sex": "F", "birth_year": 1999, "phone": "76123456"})
    assert found.status_code == 200 and [c["id"] for c in found.json()] == [first]
    page = web_client("focal.sikasso").post(f"/sensitization/{second.pk}/participants/new/", {
        "consent": "on", "given_name": "Awa", "family_name": "Kulibali", "sex": "F", "birth_year": "1999",
        "phone": "76123456", "form_token": "w-1"})
    assert page.status_code == 200 and "Kulibali ≈ Coulibaly" in page.content.decode()
    assert f'value="{first}"' in page.content.decode() and Person.objects.count() == 1
    picked = web_client("focal.sikasso").post(f"/sensitization/{second.pk}/participants/new/", {
        "consent": "on", "person": first, "form_token": "w-1"})
    assert picked.status_code == 302 and Person.objects.count() == 1
    assert set(NamedParticipant.objects.values_list("activity_id", "person_id")) == {
        (activity.pk, Person.objects.get().pk), (second.pk, Person.objects.get().pk)}
    # Registering anyway: a new person, and the possible duplicate answered (and queued for review).
    third = record(on=dt.date(2025, 7, 3), participants_male=0, participants_female=1)
    r = _name(client, third, {**AWA, "family_name": "Kulibali"})
    assert r.status_code == 201 and [c["id"] for c in r.json()["possible_duplicates"]] == [first]


def test_retries_with_the_same_key_name_once(api_client, activity):
    client = api_client("focal.sikasso")
    first = _name(client, activity, HTTP_IDEMPOTENCY_KEY="p-1")
    again = _name(client, activity, HTTP_IDEMPOTENCY_KEY="p-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["person"] == first.json()["person"]
    assert (Person.objects.count(), NamedParticipant.objects.count()) == (1, 1)
    assert Fact.objects.filter(kind="outreach.participant_named").count() == 1


def test_never_more_named_than_counted_sex_by_sex(api_client, record):
    client = api_client("focal.sikasso")
    activity = record(on=dt.date(2025, 6, 14), participants_male=1, participants_female=0)
    r = _name(client, activity)
    assert r.status_code == 400 and "participants_female" in r.json()["error"]["fields"]
    assert Person.objects.count() == 0  # nothing written, not even the person
    assert _name(client, activity, {**AWA, "given_name": "Moussa", "sex": "M"}).status_code == 201
    # A correction cannot count fewer men than the men named.
    r = client.patch(f"{API}/{activity.pk}", {"participants_male": 0, "participants_female": 3},
                     content_type="application/json")
    assert r.status_code == 400 and "participants_male" in r.json()["error"]["fields"]


def test_readers_who_may_not_change_the_activity_cannot_name(api_client, activity):
    for username in ("manager.eu", "auditor"):
        assert _name(api_client(username), activity).status_code in (403, 404)
    r = _name(api_client("me.iom"), activity)  # corrects activities, registers nobody
    assert r.status_code == 403
    assert NamedParticipant.objects.count() == 0


def test_the_phone_page_names_a_participant_once(web_client, activity):
    client = web_client("focal.sikasso")
    page = client.get(f"/sensitization/{activity.pk}/participants/new/")
    assert page.status_code == 200 and 'name="consent"' in page.content.decode()
    refused = client.post(f"/sensitization/{activity.pk}/participants/new/", {"given_name": "Awa", "sex": "F"})
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    form = {"consent": "on", "given_name": "Oumar", "family_name": "Sidibé", "sex": "M", "birth_year": "1990",
            "form_token": "t-9"}
    r = client.post(f"/sensitization/{activity.pk}/participants/new/", form)
    again = client.post(f"/sensitization/{activity.pk}/participants/new/", form)
    assert r.status_code == 302 and again.status_code == 302
    assert NamedParticipant.objects.count() == 1

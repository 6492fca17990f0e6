"""The complaints API over HTTP: the contract's body, the envelope, retries, and a sensitive
complaint answering 404 to every demo role but the restricted handlers."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/complaints"
BODY = {"channel": "hotline", "category": "service_quality", "gravity": "low",
        "description": "Attente trop longue au centre.", "anonymous": True}
ROLES = ["admin", "reception.bamako", "protection.bamako", "caseworker.kayes", "caseworker.ajdm", "centre.gao",
         "enumerator.gao", "focal.sikasso", "partner.cfpm", "me.iom", "manager.eu", "auditor"]


def _post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def test_anyone_files_and_gets_a_reference_and_a_deadline(api_client):
    r = _post(api_client("focal.sikasso"), BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["reference"].startswith("PL-") and body["due_on"] and body["id"]


def test_a_retry_with_the_same_key_answers_200_with_the_first(api_client):
    client = api_client("reception.bamako")
    first = _post(client, BODY, HTTP_IDEMPOTENCY_KEY="abc")
    again = _post(client, BODY, HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]


@pytest.mark.parametrize("category", ["protection", "sexual_exploitation", "fraud"])
def test_a_sensitive_complaint_is_404_for_every_other_role(api_client, category):
    made = _post(api_client("reception.bamako"), {**BODY, "category": category}).json()
    for username in ROLES:
        client = api_client(username)
        expected = 200 if username in ("admin", "protection.bamako") else 404
        assert client.get(f"{URL}/{made['id']}").status_code == expected, username
        listed = client.get(URL)
        ids = [c["id"] for c in listed.json()["results"]] if listed.status_code == 200 else []
        assert (made["id"] in ids) == (expected == 200), username
        r = client.post(f"{URL}/{made['id']}/acknowledge", {}, content_type="application/json")
        assert r.status_code == (200 if expected == 200 else 404), username
    detail = api_client("protection.bamako").get(f"{URL}/{made['id']}").json()
    assert detail["description"] == BODY["description"] and detail["sensitive"] is True


def test_an_ordinary_complaint_by_role(api_client):
    made = _post(api_client("reception.bamako"), BODY).json()
    expected = {"admin": 200, "protection.bamako": 200, "me.iom": 200, "auditor": 200, "reception.bamako": 200}
    for username in ROLES:
        assert api_client(username).get(f"{URL}/{made['id']}").status_code == expected.get(username, 404), username
    assert api_client("auditor").post(f"{URL}/{made['id']}/acknowledge", {},
                                      content_type="application/json").status_code == 403
    assert api_client("reception.bamako").post(f"{URL}/{made['id']}/acknowledge", {},
                                               content_type="application/json").status_code == 403


@pytest.mark.parametrize(("change", "field"), [
    ({"channel": "fax"}, "channel"), ({"gravity": "huge"}, "gravity"), ({"description": ""}, "description"),
    ({"received_on": "hier"}, "received_on"), ({"anonymous": "peut-être"}, "anonymous"),
    ({"person": "not-a-uuid"}, "person"), ({"place": "Atlantide"}, "place"),
])
def test_bad_input_is_a_400_naming_the_field(api_client, change, field):
    client = api_client("me.iom", language="en")
    r = _post(client, {**BODY, **change})
    assert r.status_code == 400, r.content
    assert field in r.json()["error"]["fields"]
    assert client.get(URL).json()["count"] == 0


def test_a_person_outside_the_callers_scope_is_refused_on_the_field(api_client, make_person):
    person = make_person(by="caseworker.ajdm")  # an NGO's own person: reception of Bamako sees them (joint registry)
    other = make_person(by="caseworker.kayes", origin_region="Kayes")
    r = _post(api_client("caseworker.ajdm"), {**BODY, "anonymous": False, "person": str(other.pk)})
    assert r.status_code == 400 and "person" in r.json()["error"]["fields"]
    r = _post(api_client("caseworker.ajdm"), {**BODY, "anonymous": False, "person": str(person.pk)})
    assert r.status_code == 201


def test_handle_over_the_api_and_read_the_register(api_client):
    made = _post(api_client("reception.bamako"), {**BODY, "received_on": "2025-01-10"}).json()
    me = api_client("me.iom")
    assert me.post(f"{URL}/{made['id']}/acknowledge", {"on": "2025-01-11"},
                   content_type="application/json").json()["status"] == "acknowledged"
    r = me.post(f"{URL}/{made['id']}/resolve", {"on": "2025-01-20", "resolution": "Horaires revus"},
                content_type="application/json")
    assert r.status_code == 200 and r.json()["days_to_resolve"] == 10
    reg = api_client("manager.eu").get(f"{URL}/register", {"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert reg["received"] == 1 and reg["resolved_on_time"] == 1 and reg["by_category"] == {"service_quality": 1}
    assert api_client("focal.sikasso").get(f"{URL}/register").status_code == 404

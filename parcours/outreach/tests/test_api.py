"""The sensitization API over HTTP: typed input, the error envelope, retries, scope."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/sensitization/activities"
BODY = {"kind": "proximity_talk", "held_on": "2025-06-14", "commune": "sikasso", "theme": "free_movement",
        "audience": "community", "participants_male": 18, "participants_female": 24}


def test_a_focal_point_records_an_activity(api_client):
    client = api_client("focal.sikasso")
    r = client.post(URL, BODY, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["commune"], body["participants"], body["organiser"], body["held_on"]) == (
        "Sikasso", 42, "AECID", "2025-06-14")
    assert client.get(f"{URL}/{body['id']}").json()["theme"] == "free_movement"
    listed = client.get(URL, {"from": "2025-01-01", "audience": "community"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == body["id"]
    summary = client.get(f"{URL}/summary").json()
    assert (summary["people_sensitized"], summary["communes"]) == (42, 1)


def test_a_retry_with_the_same_key_answers_200_with_the_first(api_client):
    client = api_client("focal.sikasso")
    first = client.post(URL, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, BODY, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert client.get(URL).json()["count"] == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "party"}, "kind"),
    ({"held_on": "14/06/2025x"}, "held_on"),
    ({"participants_male": -3}, "participants_male"),
    ({"participants_female": "many"}, "participants_female"),
    ({"commune": "Atlantis"}, "commune"),
    ({"audience": None}, "audience"),
])
def test_bad_input_is_a_400_naming_the_field_in_french(api_client, change, field):
    client = api_client("focal.sikasso", language="fr")
    r = client.post(URL, {**BODY, **change}, content_type="application/json")
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"]
    assert error["message"] == "Certains champs ne sont pas valides."
    assert client.get(URL).json()["count"] == 0


def test_a_missing_field_is_named(api_client):
    body = dict(BODY)
    del body["participants_female"]
    r = api_client("focal.sikasso", language="en").post(URL, body, content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["fields"]["participants_female"] == ["This field is required."]


def test_correct_and_cancel_over_the_api(api_client):
    client = api_client("focal.sikasso")
    made = client.post(URL, BODY, content_type="application/json").json()
    r = client.patch(f"{URL}/{made['id']}", {"participants_female": 30}, content_type="application/json")
    assert r.status_code == 200 and r.json()["participants"] == 48
    r = client.post(f"{URL}/{made['id']}/cancel", {"reason": "Doublon"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["cancelled"] is True
    assert client.get(URL).json()["count"] == 0
    assert client.get(URL, {"cancelled": "true"}).json()["count"] == 1


@pytest.mark.parametrize(("username", "read", "write"), [
    ("me.iom", 200, 200), ("admin", 200, 200), ("manager.eu", 200, 403), ("auditor", 200, 403),
    ("reception.bamako", 404, 404), ("caseworker.kayes", 404, 404), ("partner.cfpm", 404, 404),
    ("enumerator.gao", 404, 404), ("protection.bamako", 404, 404),
])
def test_who_reads_and_who_corrects(api_client, username, read, write):
    made = api_client("focal.sikasso").post(URL, BODY, content_type="application/json").json()
    client = api_client(username)
    assert client.get(f"{URL}/{made['id']}").status_code == read
    assert client.patch(f"{URL}/{made['id']}", {"notes": "vu"}, content_type="application/json").status_code == write
    listed = client.get(URL).json()
    assert listed["count"] == (1 if read == 200 else 0)


def test_another_region_neither_sees_nor_lists(api_client, focal_kayes):
    made = api_client("focal.sikasso").post(URL, BODY, content_type="application/json").json()
    client = api_client("focal.kayes")
    assert client.get(f"{URL}/{made['id']}").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert client.post(f"{URL}/{made['id']}/cancel", {"reason": "x"},
                       content_type="application/json").status_code == 404


def test_lower_roles_may_not_record(api_client):
    r = api_client("manager.eu").post(URL, BODY, content_type="application/json")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"

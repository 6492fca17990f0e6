"""Flow monitoring over HTTP: the contract's shapes, retries, corrections, scope and bad input."""

import pytest

pytestmark = pytest.mark.django_db

BODY = {"point": "GAO-FMP", "date": "2024-03-04", "direction": "in", "nationality": "GN", "sex": "F",
        "age_group": "0-17", "transport": "truck", "reason": "family", "count": 9}


def post(client, **changes):
    return client.post("/api/v1/flows/counts", {**BODY, **changes}, content_type="application/json")


def test_points_list_the_contract_fields(api_client, points):
    body = api_client("me.iom").get("/api/v1/flows/points").json()
    gao = next(r for r in body["results"] if r["code"] == "GAO-FMP")
    assert {"code", "name", "place"} <= set(gao) and gao["place"] == "Gao" and gao["region"] == "Gao"
    assert len(body["results"]) == 10
    mine = api_client("enumerator.gao").get("/api/v1/flows/points").json()["results"]
    assert [r["code"] for r in mine] == ["GAO-FMP"]


def test_count_retry_conflict_and_correction(api_client, points):
    client = api_client("enumerator.gao", "en")
    first = post(client)
    assert first.status_code == 201, first.content
    assert first.json()["count"] == 9 and first.json()["date"] == "2024-03-04"
    retry = post(client)
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    clash = post(client, count=11)
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "already_counted" and "count" in clash.json()["error"]["fields"]
    fixed = post(client, count=11, correction=True)
    assert fixed.status_code == 201 and fixed.json()["replaces"] == first.json()["id"]
    listed = client.get("/api/v1/flows/counts?point=GAO-FMP").json()
    assert listed["count"] == 1 and listed["results"][0]["count"] == 11


def test_another_places_enumerator_gets_404(api_client, points, kidal_enumerator):
    client = api_client("enumerator.kidal")
    response = post(client)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/flows/counts?point=GAO-FMP").status_code == 404
    assert client.get("/api/v1/flows/reports?point=GAO-FMP").status_code == 404
    assert post(client, point="NOPE").status_code == 404


def test_readers_get_403_on_writes_and_others_404(api_client, points):
    assert post(api_client("me.iom")).status_code == 403
    assert post(api_client("manager.eu")).status_code == 403
    for username in ("caseworker.kayes", "partner.cfpm", "focal.sikasso"):
        client = api_client(username)
        assert post(client).status_code == 404
        assert client.get("/api/v1/flows/points").status_code == 404
        assert client.get("/api/v1/flows/counts").status_code == 404
        assert client.get("/api/v1/flows/reports").status_code == 404


@pytest.mark.parametrize(("field", "value"), [("direction", "sideways"), ("date", "yesterday"), ("count", "x"),
                                              ("nationality", "XX"), ("count", -2), ("sex", "X")])
def test_bad_input_names_the_field_in_french(api_client, points, field, value):
    response = post(api_client("enumerator.gao", "fr"), **{field: value})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"]
    assert "valides" in error["message"]


def test_a_missing_field_is_named(api_client, points):
    body = {k: v for k, v in BODY.items() if k != "reason"}
    response = api_client("enumerator.gao").post("/api/v1/flows/counts", body, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["error"]["fields"]


def test_openapi_types_are_real(api_client, points):
    spec = api_client("me.iom").get("/api/v1/openapi.json").json()
    schema = spec["components"]["schemas"]["CountIn"]
    assert schema["properties"]["direction"]["enum"] == ["in", "out"]
    assert schema["properties"]["date"]["format"] == "date"
    assert {"point", "date", "direction", "nationality", "sex", "age_group", "transport", "reason",
            "count"} <= set(schema["required"])

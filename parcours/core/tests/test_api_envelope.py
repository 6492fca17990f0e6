"""Every answer under /api/v1/ is the contract's JSON envelope, even before an endpoint runs."""


def test_unknown_api_path_answers_the_json_404_envelope_in_the_caller_language(client, db):
    response = client.get("/api/v1/nothing/here", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": {"code": "not_found", "message": "Il n’y a rien à cette adresse.",
                                         "fields": {}}}
    english = client.post("/api/v1/peoples", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and english.json()["error"]["message"] == "There is nothing at this address."


def test_wrong_method_answers_405_in_the_envelope_with_allow(client, db):
    response = client.put("/api/v1/auth/token", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405 and set(response["Allow"].split(", ")) == {"POST", "DELETE"}
    error = response.json()["error"]
    assert error["code"] == "method_not_allowed" and "PUT" in error["message"] and "POST" in error["message"]


def test_endpoint_404_stays_the_endpoint_answer(api_client, world):
    response = api_client("reception.bamako", language="en").get("/api/v1/people/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404 and response.json()["error"]["message"] == "Not found."


def test_pages_outside_the_api_keep_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")

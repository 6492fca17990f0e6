def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_openapi_describes_people_endpoints(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/people" in spec["paths"] and "/api/v1/auth/token" in spec["paths"]


def test_wrong_password_401_then_locked(client, world):
    from parcours.accounts.tests.test_throttle import _let_time_pass

    for _ in range(5):
        response = client.post("/api/v1/auth/token", {"username": "reception.bamako", "password": "nope"},
                               content_type="application/json")
        assert response.status_code in (401, 403)
        _let_time_pass()
    assert response.json()["error"]["code"] in ("invalid_credentials", "locked_out")
    locked = client.post("/api/v1/auth/token", {"username": "reception.bamako", "password": "parcours-demo"},
                         content_type="application/json")
    assert locked.status_code == 403 and locked.json()["error"]["code"] == "locked_out"


def test_api_without_token_is_401_envelope(client, db):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_security_headers(client, db):
    response = client.get("/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"

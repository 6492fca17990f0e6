"""Issue 8, finding 7 (lower findings) that are fixed: each with the test that would have caught it."""

import pytest

pytestmark = pytest.mark.django_db


def test_duplicate_scan_is_reachable_not_shadowed_by_pair_reads(world, api_client):
    response = api_client("me.iom").post("/api/v1/duplicates/scan")
    assert response.status_code != 405, response.content
    assert response.status_code in (202, 403)


def test_pages_and_api_answers_naming_people_are_not_stored(world, make_person, web_client, api_client):
    person = make_person()
    page = web_client("reception.bamako").get(f"/people/{person.pk}/")
    assert "no-store" in page["Cache-Control"]
    api = api_client("reception.bamako").get(f"/api/v1/people/{person.pk}")
    assert "no-store" in api["Cache-Control"]


def test_a_return_before_the_birth_is_refused():
    from parcours.people.validation import PersonInput

    form = PersonInput({"family_name": "Traoré", "birth_date": "2000-05-01", "return_date": "1999-01-01"})
    assert not form.is_valid() and "return_date" in form.errors
    form = PersonInput({"family_name": "Traoré", "birth_year": "2000", "return_date": "1999-01-01"})
    assert not form.is_valid() and "return_date" in form.errors
    assert PersonInput({"family_name": "Traoré", "birth_year": "1990", "return_date": "2019-01-01"}).is_valid()


def test_the_api_docs_load_swagger_ui_from_this_server(client, db):
    """Issue 8, finding 7: /api/v1/docs linked Swagger UI on a CDN, which the CSP (default-src
    'self') blocks: the page stayed blank. It now uses the files django-ninja ships, served here."""
    import re

    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    assert all(s.startswith("/static/") for s in sources), sources
    assert "cdn" not in html.lower()
    assert "'self'" in page["Content-Security-Policy"]
    for source in sources:
        assert client.get(source).status_code == 200, source


def test_the_openapi_description_names_each_status_once(client, db):
    """Swagger UI parses the description as YAML, which refuses a key twice: the 400 every operation
    may answer was added as "400" beside the operation's own 400, and the docs page stayed blank."""
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)


def _json_operations(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                yield method, path.replace("{", "").replace("}", "").split("/"), operation


def test_a_body_not_sent_as_json_answers_415_on_every_json_operation(world, api_client):
    """Issue 8, finding 7: a text/plain body was parsed as JSON. Every operation that reads a JSON
    body now answers 415 in the envelope for any other type, in French and English, writing nothing."""
    import uuid

    from auditlog.models import LogEntry

    client = api_client("admin", language="en")
    french = api_client("admin")
    before = LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count()
    seen = 0
    for method, parts, _operation in _json_operations(client):
        url = "/".join(str(uuid.uuid4()) if p.endswith("id") else ("x" if p in ("code", "fmt") else p) for p in parts)
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "application/xml"):
            answer = getattr(client, method)(url, '{"username": "admin"}', content_type=content_type)
            assert answer.status_code == 415, (method, url, content_type, answer.content)
            error = answer.json()["error"]
            assert error["code"] == "unsupported_media_type" and error["fields"]["non_field"]
        fr = getattr(french, method)(url, "{}", content_type="text/plain")
        assert fr.status_code == 415 and "JSON" in fr.json()["error"]["message"]
        assert fr.json()["error"]["message"] != answer.json()["error"]["message"]
        seen += 1
    assert seen > 30
    assert LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).count() == before


def test_json_still_works_and_bad_json_is_400(world, client):
    ok = client.post("/api/v1/auth/token", '{"username": "admin", "password": "parcours-demo"}',
                     content_type="application/json; charset=utf-8")
    assert ok.status_code == 200
    bad = client.post("/api/v1/auth/token", '{"username": ', content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"non_field": ["The body is not valid JSON."]}
    plain = client.post("/api/v1/auth/token", '{"username": "admin", "password": "parcours-demo"}',
                        content_type="text/plain")
    assert plain.status_code == 415

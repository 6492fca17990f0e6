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

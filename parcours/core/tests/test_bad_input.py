"""No 500 on bad input (issue 8, finding 4): NUL bytes in any query parameter, huge page numbers,
lone surrogates in JSON, absurd credentials — sent to every list endpoint of the API (read from the
OpenAPI description) and every page without parameters. All are clean 400s (the envelope on the API)."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = ["q=%00", "q=a%00b", "%00=1", "page=1000000000000000000", "page=-1", "page=%00",
                   "page_size=1000000000000000000", "kind=%00", "status=%00", "region=%00", "on=%00",
                   "q=%ED%A0%80", "q=" + "x" * 10_000]


def _api_lists(client) -> list[tuple[str, list[str]]]:
    spec = client.get("/api/v1/openapi.json").json()
    out = []
    for path, ops in spec["paths"].items():
        if "{" in path or "get" not in ops or path.endswith(("openapi.json", "/docs")):
            continue
        params = [p["name"] for p in ops["get"].get("parameters", []) if p.get("in") == "query"]
        out.append((path, params))
    return out


def _pages(resolver=None, prefix="") -> list[str]:
    """Every web address without parameters (lists, dashboards, forms)."""
    out = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or route.startswith(("api/", "admin/", "^")) or "(?P" in route:
            continue
        if isinstance(entry, URLResolver):
            out += _pages(entry, route)
        elif isinstance(entry, URLPattern):
            out.append("/" + route.lstrip("^").rstrip("$"))
    return out


def test_every_api_list_answers_400_to_bad_parameters(world, api_client):
    client = api_client("admin")
    lists = _api_lists(client)
    assert len(lists) >= 10
    failures = []
    for path, params in lists:
        queries = HOSTILE_QUERIES + [f"{name}=%00" for name in params]
        for query in queries:
            response = client.get(f"{path}?{query}")
            refused = response.status_code == 400 and response.json()["error"]["code"] == "validation_failed"
            if response.status_code >= 500 or ("%00" in query and not refused):
                failures.append((path, query, response.status_code))
    assert not failures, failures


def test_a_paginated_list_refuses_absurd_page_numbers(world, api_client):
    client = api_client("admin")
    for query in ("page=1000000000000000000", "page=0", "page=x", "page_size=0", "page_size=1000000000000000000"):
        response = client.get(f"/api/v1/people?{query}")
        assert response.status_code == 400, query
        assert set(response.json()["error"]["fields"]) <= {"page", "page_size"}


def test_every_page_answers_400_not_500(world, web_client):
    pages = _pages()
    assert len(pages) >= 15
    client = web_client("admin")
    failures = []
    for page in pages:
        for query in ("q=%00", "page=1000000000000000000", "page=%00", "%00=1", "kind=%00"):
            response = client.get(f"{page}?{query}")
            if response.status_code >= 500 or ("%00" in query and response.status_code not in (400, 404, 405, 302)):
                failures.append((page, query, response.status_code))
    assert not failures, failures


def test_json_bodies_with_lone_surrogates_or_nul_are_400(world, api_client):
    client = api_client("reception.bamako")
    for name in ('"\\ud800"', '"Awa\\u0000"', '"\\udfff x"'):
        body = '{"given_name": ' + name + ', "family_name": "Traoré", "sex": "F", "birth_year": 1990}'
        response = client.post("/api/v1/people", body, content_type="application/json")
        assert response.status_code == 400, (name, response.content)
        assert list(response.json()["error"]["fields"]) == ["given_name"]
    from parcours.people.models import Person

    assert not Person.objects.exists()


def test_token_endpoint_refuses_absurd_usernames_without_a_500(world, client):
    for username in ("x" * 10_000, "admin\x00", "\ud800"):
        response = client.post("/api/v1/auth/token", json.dumps({"username": username, "password": "p"}),
                               content_type="application/json")
        assert response.status_code == 400, username[:20]
        assert response.json()["error"]["code"] == "validation_failed"


def test_a_form_posted_with_nul_is_400(world, web_client):
    client = web_client("reception.bamako")
    response = client.post("/people/register/", "given_name=Awa%00&family_name=T",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    # A multipart form (uploads) is left to the form, which names the field.
    response = client.post("/people/register/", {"given_name": "Awa\x00", "family_name": "T"})
    assert response.status_code == 200 and "given_name" in response.context["form"].errors


def test_values_the_database_refuses_are_400(world, api_client):
    # A number beyond its column reaches the database as a filter: the answer is still a 400.
    response = api_client("admin").get("/api/v1/assistance/ledger?person=00000000-0000-0000-0000-000000000000"
                                        "&tranche=99999999999999999999999")
    assert response.status_code < 500

"""The authorization matrix: every page of the URL conf and every operation of the OpenAPI
description, asked by each of the 12 demo logins and by a visitor who is not signed in, must answer
the status decided in `access.py` — and never a 5xx.

The routes are read from the code, so a new page or endpoint without a decision fails here with a
message saying how to add it. Path parameters name real records of a small world
(`matrix_world.py`) that belong to one agency and one place, so 404-by-scope is exercised, not only
roles. Writes are sent with a plausible body generated from the OpenAPI schema (pages: an empty
form) and rolled back: the world stays as built for every request.

Record mode: `PARCOURS_RECORD_ACCESS=1 pytest parcours/core/tests/test_access_matrix.py` rewrites
`access.py` with what each role observed (5xx still fail) and prints the rows that changed; review
the diff (no role may see another agency's or another place's records) and commit it."""

import base64
import copy
import json
import os
import re
import sys
import traceback
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from . import access

ANONYMOUS = "anonymous"
RECORD = os.environ.get("PARCOURS_RECORD_ACCESS", "")
ACCESS_FILE = Path(access.__file__)
OBSERVED: dict[str, str] = {}
METHODS = ("get", "post", "put", "patch", "delete")
# Pages with no place in the matrix: the admin site (Django's own, superusers only).
SKIPPED_PREFIXES = ("admin/",)


def _api_spec() -> dict:
    import parcours.urls  # noqa: F401 - mounts every router
    from parcours.core.api import api

    return api.get_openapi_schema()


def _page_routes(resolver=None, prefix="") -> list[str]:
    out = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            out += _page_routes(entry, route)
        elif isinstance(entry, URLPattern):
            out.append("/" + route)
    return out


def routes() -> list[str]:
    """`METHOD /path` for every API operation, then GET and POST for every other route."""
    spec = _api_spec()
    api_paths = set(spec["paths"])
    keys = [f"{method.upper()} {path}" for path, ops in spec["paths"].items() for method in ops if method in METHODS]
    for route in _page_routes():
        if route.lstrip("/").startswith(SKIPPED_PREFIXES):
            continue
        if re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) in api_paths:
            continue
        keys += [f"GET {route}", f"POST {route}"]
    return sorted(set(keys), key=lambda k: (k.split(" ", 1)[1], k))


ROUTES = routes()


# -- filling a route with the world's records ---------------------------------------------------------

CODES = [("assistance/schemes", "scheme_code"), ("indicators", "indicator_code"), ("centres", "centre_code"),
         ("flows", "point_code")]


def _value(route: str, name: str, values: dict):
    if name == "code":
        name = next(key for prefix, key in CODES if prefix in route)
    if name == "complaint_id" and route.startswith("/complaints/public"):
        name = "assistance_complaint_id"
    if name == "report_id" and "/grants/" in route:
        name = "grant_report_id"  # a grant's reports (sensitization)
    if name == "report_id" and "reports" in route and "flows" not in route:
        name = "donor_report_id"  # the donor's reports (results), not a flow point's
    if name == "form_id" and "scorings" in route:
        name = "scoring_form_id"
    if name == "fmt" and ("/submissions." in route or "/answers." in route or "/stays." in route):
        return "csv"  # a questionnaire's answers, a centre's stays: CSV or XLSX
    return values[name]


def fill(route: str, values: dict) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(_value(route, m.group(1), values)), route)
    return re.sub(r"\{(\w+)\}", lambda m: str(_value(route, m.group(1), values)), route)


# Values for body fields the schema alone cannot guess: records of the world, codes of the demo.
HINTS = {
    "person": "person_id", "survivor": "person_id", "person_a": "person_id", "service": "service_id",
    "scheme": "business_kit", "point": "GAO-FMP", "destination": "GN", "nationality": "ML",
    "returned_from": "LY", "commune": "Sikasso", "place": "Bamako", "origin_region": "Kayes",
    "to_username": "caseworker.kayes", "given_name": "Awa", "family_name": "Keita", "sex": "F",
    "birth_year": 1990, "channel": "cash", "provider": "CFPM", "relationship": "child", "decision": "distinct",
}

FLAGS = {"distinct_people_confirmed", "anonymous", "correction", "consent_to_return", "granted", "unaccompanied_minor",
         "trafficking_victim", "consent_to_identify", "active"}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def example(spec: dict, schema: dict, values: dict, name: str = "", depth: int = 0):
    """A plausible value for `schema`: the first enum member, a date, a record of the world…"""
    schema = _resolve(spec, schema)
    if name in HINTS:
        hint = HINTS[name]
        return str(values[hint]) if isinstance(hint, str) and hint in values else hint
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if _resolve(spec, s).get("type") != "null"]
            return example(spec, options[0], values, name, depth) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind, fmt = schema.get("type"), schema.get("format")
    if fmt == "date":
        return "2024-03-01"
    if fmt == "date-time":
        return "2024-03-01T10:00:00+00:00"
    if kind == "integer" or kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "array":
        return [] if depth > 2 else [example(spec, schema.get("items", {}), values, name, depth + 1)]
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {prop: example(spec, sub, values, prop, depth + 1) for prop, sub in schema.get("properties", {}).items()}
    # An untyped field (string or number): its name says what it holds.
    if name.endswith(("_on", "date", "month", "_start", "_end")):
        return "2024-03-01"
    if name.startswith(("participants_", "count", "days", "tranche", "amount", "capacity")):
        return 1
    if name in FLAGS:
        return False
    return "Test"


def body_for(spec: dict, op: dict, values: dict) -> tuple[object, str | None]:
    content = (op.get("requestBody") or {}).get("content") or {}
    if "application/json" in content:
        return example(spec, content["application/json"]["schema"], values), "application/json"
    if "multipart/form-data" in content:
        data = example(spec, content["multipart/form-data"]["schema"], values)
        return {k: v for k, v in data.items() if v is not None and not isinstance(v, (dict, list))}, None
    return None, None


# -- the world and its clients, built once for the module ---------------------------------------------

class Matrix:
    def __init__(self, values, clients, spec):
        self.values, self.clients, self.spec = values, clients, spec

    def ask(self, key: str, role: str):
        method, route = key.split(" ", 1)
        url = fill(route, self.values)
        client = self.clients[role]["api" if route.startswith("/api/v1/") else "web"]
        kwargs = {}
        if method != "GET" and route in self.spec["paths"]:
            op = self.spec["paths"][route][method.lower()]
            body, content_type = body_for(self.spec, op, self.values)
            if content_type:
                kwargs = {"data": json.dumps(body), "content_type": content_type}
            elif body is not None:
                kwargs = {"data": body}
        if route.startswith("/openrosa/") and role != ANONYMOUS:  # ODK Collect signs in with HTTP Basic
            kwargs["HTTP_AUTHORIZATION"] = "Basic " + base64.b64encode(f"{role}:parcours-demo".encode()).decode()
        cache.clear()  # rate limits and lockouts must not carry from one request to the next
        cookies = copy.deepcopy(client.cookies)  # signing out (or in) must not carry either
        try:
            with transaction.atomic():
                response = getattr(client, method.lower())(url, **kwargs)
                transaction.set_rollback(True)
        finally:
            client.cookies = cookies
        return response


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    from .matrix_world import world_once

    with world_once(django_db_blocker) as (world, values):
        clients = {}
        for username in access.ROLES:
            api = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
            web = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
            if username != ANONYMOUS:
                token = api.post("/api/v1/auth/token", {"username": username, "password": "parcours-demo"},
                                 content_type="application/json")
                assert token.status_code == 200, (username, token.content)
                api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.json()['token']}"
                web.force_login(world.user(username))
            clients[username] = {"api": api, "web": web}
        yield Matrix(values, clients, _api_spec())
    if RECORD:
        _write_observed()


def _row(statuses: list[int]) -> str:
    return " ".join(str(s) for s in statuses)


def _write_observed():
    decisions = {**access.DECISIONS, **OBSERVED}
    decisions = {k: v for k, v in decisions.items() if k in ROUTES}
    width = max(len(k) for k in decisions) + 3
    text = ACCESS_FILE.read_text(encoding="utf-8")
    head = text[: text.index("DECISIONS = {")]
    lines = [f'    {(repr(k) + ":").ljust(width)} "{decisions[k]}",' for k in ROUTES if k in decisions]
    ACCESS_FILE.write_text(head + "DECISIONS = {\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")
    changed = [f"{k}: {access.DECISIONS.get(k)} -> {v}" for k, v in OBSERVED.items() if access.DECISIONS.get(k) != v]
    sys.__stdout__.write(f"\n{len(changed)} decisions changed in {ACCESS_FILE}:\n" + "\n".join(changed) + "\n")


def test_every_role_has_its_own_login():
    assert access.ROLES[-1] == ANONYMOUS and len(access.ROLES) == 13


def test_no_decision_is_left_for_a_route_that_is_gone():
    stale = sorted(set(access.DECISIONS) - set(ROUTES))
    assert not stale, f"Decisions for routes that no longer exist; remove them from {ACCESS_FILE.name}: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ROUTES)
def test_route(matrix, key):
    observed, crashes = [], []
    for role in access.ROLES:
        response = matrix.ask(key, role)
        observed.append(response.status_code)
        if response.status_code >= 500:
            info = getattr(response, "exc_info", None)
            detail = "".join(traceback.format_exception(*info)[-3:]) if info else response.content[:300]
            crashes.append(f"{role}: {response.status_code}\n{detail}")
    row = _row(observed)
    OBSERVED[key] = row
    assert not crashes, f"{key} answered a server error:\n" + "\n".join(crashes)
    if RECORD:
        return
    expected = access.DECISIONS.get(key)
    assert expected is not None, (
        f"No authorization decision for {key!r}. Decide who may use it: run\n"
        f"  PARCOURS_RECORD_ACCESS=1 pytest parcours/core/tests/test_access_matrix.py\n"
        f"review the row it adds to parcours/core/tests/access.py (statuses in the order of ROLES: a role "
        f"must get 404 for records of another agency or place) and commit it. Observed: {row}")
    if expected != row:
        diff = [f"{role}: decided {e}, got {o}" for role, e, o in zip(access.ROLES, expected.split(), observed, strict=True)
                if e != str(o)]
        pytest.fail(f"{key} does not answer as decided in access.py:\n  " + "\n  ".join(diff))

"""schemathesis over the OpenAPI description, in-process (the WSGI app, no server): for every
operation, generated requests as the administrator and as a case worker (a lower role with records
of its own) must never answer 5xx, and every answer must be one the description declares, with the
declared content type and body schema.

Path parameters are either generated or, half of the time, a real record of the matrix's small
world (`matrix_world.py`), so the generated bodies reach the services and not only the 404.
Bounded: `PARCOURS_SCHEMATHESIS_EXAMPLES` examples per operation and role (default 8)."""

import json
import os

import pytest
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import Client

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PARCOURS_SCHEMATHESIS_EXAMPLES", "8"))
ROLES = ["admin", "caseworker.kayes"]
# Operations left out: signing in and out changes who is calling.
SKIPPED = {("POST", "/api/v1/auth/token"), ("DELETE", "/api/v1/auth/token")}


def _schema():
    import schemathesis

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    from .matrix_world import world_once

    with world_once(django_db_blocker) as (_world, values):
        tokens = {}
        for username in ROLES:
            response = Client().post("/api/v1/auth/token", json.dumps({"username": username, "password": "parcours-demo"}),
                                     content_type="application/json")
            tokens[username] = response.json()["token"]
        yield values, tokens


@pytest.fixture
def _keep_the_connection():
    """As Django's test client does (it reconnects them after each of its own requests): the
    request signals must not close the test's connection — inside the test's transaction Django
    sees a connection out of autocommit and drops it (PostgreSQL then answers nothing more)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _operations():
    schema = _schema()
    out = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            out.append(operation)
    return out


OPERATIONS = _operations()
CALLS: dict[int, int] = {}


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    if os.environ.get("PARCOURS_SCHEMATHESIS_COUNT"):
        print("\nschemathesis calls by status class:", dict(sorted(CALLS.items())))


def _real(values: dict, path: str, name: str):
    from .test_access_matrix import _value

    try:
        return str(_value(path, name, values))
    except (KeyError, StopIteration):
        return None


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_operation(fuzz_world, _keep_the_connection, operation):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    values, tokens = fuzz_world
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

    cases = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=cases, role=st.sampled_from(ROLES), real=st.booleans())
    def run(case, role, real):
        if real and case.path_parameters:
            for name in list(case.path_parameters):
                value = _real(values, operation.path, name)
                if value is not None:
                    case.path_parameters[name] = value
        # identity: the WSGI client schemathesis uses does not decode the gzip that pages and answers travel in.
        headers = {"Authorization": f"Bearer {tokens[role]}", "Accept-Encoding": "identity"}
        cache.clear()
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        CALLS[response.status_code // 100] = CALLS.get(response.status_code // 100, 0) + 1
        case.validate_response(response, checks=checks, headers=headers)

    run()

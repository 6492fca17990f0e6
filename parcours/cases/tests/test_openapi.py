"""The cases endpoints are described in the OpenAPI document (CONTRACT.md)."""


def test_the_cases_endpoints_are_in_the_openapi_description(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/cases", "/api/v1/cases/queue", "/api/v1/cases/targets", "/api/v1/cases/reminders",
                 "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/screening", "/api/v1/cases/{case_id}/protection",
                 "/api/v1/cases/{case_id}/components", "/api/v1/cases/{case_id}/transfer",
                 "/api/v1/cases/{case_id}/best-interest", "/api/v1/cases/{case_id}/close",
                 "/api/v1/cases/follow-ups/{follow_up_id}", "/api/v1/cases/components/{component_id}/status"):
        assert path in paths, path

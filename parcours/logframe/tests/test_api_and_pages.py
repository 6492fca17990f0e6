"""The results over HTTP: the contract's shape, who may read them, who sees names."""

import pytest

pytestmark = pytest.mark.django_db


def test_indicators_api_contract_shape_and_period(api_client, paid_world):
    response = api_client("me.iom", "en").get("/api/v1/indicators?from=2024-01-01&to=2024-12-31")
    assert response.status_code == 200
    by_code = {r["code"]: r for r in response.json()["results"]}
    reint = by_code["OS2.reintegration_supported"]
    assert {"code", "label", "unit", "baseline", "target", "value", "disaggregations"} <= set(reint)
    assert (reint["value"], reint["target"], reint["original_target"]) == (3, 9000, 1900)
    assert reint["disaggregations"]["returned_from"] == {"africa": 2, "europe": 1}
    one = api_client("me.iom").get("/api/v1/indicators/OS2.reintegration_supported?from=2024-01-01&to=2024-12-31")
    assert one.status_code == 200 and one.json()["value"] == 3


def test_bad_period_is_named(api_client, paid_world):
    response = api_client("me.iom", "fr").get("/api/v1/indicators?from=31/12/2024")
    assert response.status_code == 400
    assert "from" in response.json()["error"]["fields"]


@pytest.mark.parametrize("username", ["partner.cfpm", "enumerator.gao"])
def test_roles_without_results_get_404(api_client, paid_world, username):
    assert api_client(username).get("/api/v1/indicators").status_code == 404
    assert api_client(username).get("/api/v1/indicators/OS1.assisted").status_code == 404


def test_unknown_indicator_is_404(api_client, paid_world):
    assert api_client("me.iom").get("/api/v1/indicators/NOPE").status_code == 404


def test_the_donor_sees_numbers_but_never_names(web_client, paid_world):
    page = web_client("manager.eu").get("/results/indicators/OS2.reintegration_supported/?period=2024")
    body = page.content.decode()
    assert page.status_code == 200 and "Adama" not in body and "Bintou" not in body
    me = web_client("me.iom").get("/results/indicators/OS2.reintegration_supported/?period=2024").content.decode()
    assert "Adama" in me and "Bintou" in me and "Hawa" in me


def test_a_case_worker_drills_down_to_her_own_people_only(web_client, paid_world):
    body = web_client("caseworker.kayes").get("/results/indicators/OS2.reintegration_supported/?period=2024").content.decode()
    assert "Adama" in body and "Hawa" not in body


def test_dashboard_and_budget_pages(web_client, paid_world):
    from parcours.logframe.demo import load_demo_logframe

    load_demo_logframe()
    for language, words in (("fr", "Résultats"), ("en", "Results")):
        client = web_client("manager.eu")
        client.cookies["django_language"] = language
        page = client.get("/results/?period=2024")
        assert page.status_code == 200 and words in page.content.decode()
    budget = web_client("manager.eu").get("/results/budget/").content.decode()
    assert "15\u202f000\u202f000" in budget or "15,000,000" in budget
    assert web_client("partner.cfpm").get("/results/").status_code == 404


def test_only_me_and_admin_revise_targets(web_client, paid_world):
    from parcours.logframe.models import TargetRevision

    before = TargetRevision.objects.count()
    data = {"what": "target", "value": "2500", "set_on": "2020-01-01", "reason": "Revision"}
    web_client("manager.eu").post("/results/indicators/OS1.avr/edit", data)
    web_client("caseworker.kayes").post("/results/indicators/OS1.avr/edit", data)
    assert TargetRevision.objects.count() == before
    web_client("me.iom").post("/results/indicators/OS1.avr/edit", data)
    assert TargetRevision.objects.count() == before + 1

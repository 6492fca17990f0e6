"""The reintegration-sustainability score on known answers, computed by hand: dimension scores
as weighted means of the answered items, the overall score as the weighted mean of the dimensions,
the threshold; per person over time, on the API and the person's page, for the roles allowed."""

import datetime as dt
import json
from pathlib import Path

import pytest

from parcours.surveys.demo import sustainability_xml
from parcours.surveys.scoring import definition_errors, score
from parcours.surveys.services import form_publish, scoring_define, submission_receive

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = json.loads((DATA / "sustainability.scoring.json").read_text())
ITEMS = ("economic/income_enough", "economic/debt_managed", "social/community_support", "social/services_access",
         "psychosocial/wellbeing", "psychosocial/wish_to_stay")
# Year 1: economic (4, 1) -> (1 + 0) / 2 = 0.5; social (3, 3) -> 0.667; psychosocial (2, 2) -> 0.333;
# overall 0.3 × 0.5 + 0.3 × 0.667 + 0.4 × 0.333 = 0.4833 -> 0.483, below 0.5.
YEAR1 = dict(zip(ITEMS, (4, 1, 3, 3, 2, 2), strict=True))
# Year 2: economic (4, 4) -> 1; social (3, 2) -> (0.6667 + 0.3333) / 2 = 0.5; psychosocial (3, 3) -> 0.667;
# overall 0.3 + 0.15 + 0.4 × 0.667 = 0.7168 -> 0.717, sustainable.
YEAR2 = dict(zip(ITEMS, (4, 4, 3, 2, 3, 3), strict=True))


def test_demo_definition_on_known_answers():
    first = score(DEMO, {k: str(v) for k, v in YEAR1.items()})
    assert first.dimensions == {"economic": 0.5, "social": 0.667, "psychosocial": 0.333}
    assert first.overall == 0.483 and first.sustainable is False
    assert [first.dimension_sustainable(c) for c in ("economic", "social", "psychosocial")] == [True, True, False]
    second = score(DEMO, {k: str(v) for k, v in YEAR2.items()})
    assert second.dimensions == {"economic": 1.0, "social": 0.5, "psychosocial": 0.667}
    assert second.overall == 0.717 and second.sustainable is True


def test_item_weights_unknown_answers_and_missing_dimensions():
    definition = {"threshold": 0.6, "scales": {"yn": {"yes": 1, "no": 0}, "three": {"a": 0, "b": 0.5, "c": 1}},
                  "dimensions": [{"code": "d1", "weight": 1, "items": [{"item": "g/q1", "scale": "yn", "weight": 3},
                                                                      {"item": "g/q2", "scale": "yn", "weight": 1}]},
                                 {"code": "d2", "weight": 1, "items": [{"item": "q3", "scale": "three"}]}]}
    # d1 = (3 × 1 + 1 × 0) / 4 = 0.75; d2 = 0.5; overall (0.75 + 0.5) / 2 = 0.625 ≥ 0.6.
    result = score(definition, {"g/q1": "yes", "g/q2": "no", "q3": "b"})
    assert result.dimensions == {"d1": 0.75, "d2": 0.5} and result.overall == 0.625 and result.sustainable
    # "Don't know" is not on the scale: left out, d1 rests on q1 alone.
    assert score(definition, {"g/q1": "yes", "g/q2": "dont_know", "q3": "b"}).dimensions["d1"] == 1.0
    # Nothing answered for d2: no overall score rather than a wrong one.
    incomplete = score(definition, {"g/q1": "yes", "g/q2": "no", "q3": ""})
    assert incomplete.dimensions["d2"] is None and incomplete.overall is None and incomplete.sustainable is None


@pytest.mark.parametrize("bad", [
    [], {"dimensions": []}, {"threshold": 2, "scales": {}, "dimensions": []},
    {"scales": {"s": {"1": 3}}, "dimensions": [{"code": "a", "weight": 1, "items": [{"item": "q", "scale": "s"}]}]},
    {"scales": {"s": {"1": 1}}, "dimensions": [{"code": "a", "weight": 0, "items": [{"item": "q", "scale": "s"}]}]},
    {"scales": {"s": {"1": 1}}, "dimensions": [{"code": "a", "weight": 1, "items": [{"item": "q", "scale": "t"}]}]},
    {"scales": {"s": {"1": 1}}, "dimensions": [{"code": "a", "weight": 1, "items": []}]},
])
def test_bad_definitions_are_named(bad):
    assert definition_errors(bad)


@pytest.fixture
def scored(world):
    admin = world.user("admin")
    form_publish(by=admin, content=(DATA / "sustainability.md").read_bytes(), filename="sustainability.md",
                 roles=["admin", "caseworker", "me_officer"])
    return scoring_define(by=admin, form_id="sustainability", definition=DEMO)


@pytest.fixture
def surveyed(scored, world, make_person):
    """A Kayes returnee surveyed twice by the M&E officer, a year apart."""
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    me = world.user("me.iom")
    submission_receive(by=me, xml=sustainability_xml(instance_id="s1", person_id=person.pk,
                                                     today=dt.date(2025, 3, 1), answers=YEAR1))
    submission_receive(by=me, xml=sustainability_xml(instance_id="s2", person_id=person.pk,
                                                     today=dt.date(2026, 3, 1), answers=YEAR2))
    return person


def test_scores_over_time_on_the_api(surveyed, api_client):
    body = api_client("me.iom").get(f"/api/v1/surveys/people/{surveyed.pk}/scores").json()
    assert [(r["collected_on"], r["score"], r["sustainable"]) for r in body["results"]] == [
        ("2025-03-01", 0.483, False), ("2026-03-01", 0.717, True)]
    assert body["results"][0]["dimensions"][2] == {"code": "psychosocial", "score": 0.333, "sustainable": False}
    # The case worker who follows the person reads them too.
    assert len(api_client("caseworker.kayes").get(f"/api/v1/surveys/people/{surveyed.pk}/scores")
               .json()["results"]) == 2


def test_an_edit_replaces_the_score_it_edits(surveyed, world):
    from parcours.surveys.selectors import person_scores

    edited = sustainability_xml(instance_id="s3", person_id=surveyed.pk, today=dt.date(2026, 3, 1),
                                answers={**YEAR2, "social/services_access": 3}).replace(
        b"</instanceID>", b"</instanceID><deprecatedID>uuid:s2</deprecatedID>")
    submission_receive(by=world.user("me.iom"), xml=edited)
    rows = person_scores(world.user("me.iom"), surveyed.pk)
    # social (3, 3) -> 0.667; overall 0.3 + 0.2001 + 0.2668 = 0.7669 -> 0.767
    assert [r.score.overall for r in rows] == [0.483, 0.767]


@pytest.mark.parametrize("username", ["caseworker.ajdm", "partner.cfpm", "manager.eu", "reception.bamako",
                                      "enumerator.gao", "focal.sikasso"])
def test_scores_are_not_found_for_other_agencies_and_roles(surveyed, api_client, username):
    response = api_client(username).get(f"/api/v1/surveys/people/{surveyed.pk}/scores")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_scoring_definition_is_data_set_by_me_only(scored, api_client):
    me = api_client("me.iom", "en")
    assert me.get("/api/v1/surveys/scorings/sustainability").json()["definition"] == DEMO
    changed = {**DEMO, "threshold": 0.6}
    assert me.put("/api/v1/surveys/scorings/sustainability", {"definition": changed},
                  content_type="application/json").json()["definition"]["threshold"] == 0.6
    wrong = {**DEMO, "dimensions": [{"code": "economic", "weight": 1, "items": [{"item": "economic/nope",
                                                                                 "scale": "scale"}]}]}
    refused = me.put("/api/v1/surveys/scorings/sustainability", {"definition": wrong},
                     content_type="application/json")
    assert refused.status_code == 400 and "economic/nope" in refused.json()["error"]["fields"]["definition"][0]
    assert me.put("/api/v1/surveys/scorings/nothing", {"definition": DEMO},
                  content_type="application/json").status_code == 404
    assert api_client("caseworker.kayes").put("/api/v1/surveys/scorings/sustainability", {"definition": DEMO},
                                              content_type="application/json").status_code == 403
    assert api_client("partner.cfpm").get("/api/v1/surveys/scorings/sustainability").status_code == 404


def test_scores_on_the_persons_page_for_the_roles_allowed(surveyed, web_client, make_person, world):
    page = web_client("me.iom", "en").get(f"/people/{surveyed.pk}/").content.decode()
    assert "Reintegration sustainability" in page and "0.72" in page and "0.48" in page and "sustainable" in page
    assert "Reintegration sustainability" in web_client("caseworker.kayes", "en").get(
        f"/people/{surveyed.pk}/").content.decode()
    assert web_client("caseworker.ajdm").get(f"/people/{surveyed.pk}/").status_code == 404
    # A Bamako person surveyed by M&E: the reception agent sees the person, not the scores.
    bamako = make_person(by="reception.bamako", origin_region="District de Bamako")
    submission_receive(by=world.user("me.iom"), xml=sustainability_xml(
        instance_id="b1", person_id=bamako.pk, today=dt.date(2026, 3, 1), answers=YEAR2))
    reception = web_client("reception.bamako", "en").get(f"/people/{bamako.pk}/")
    assert reception.status_code == 200 and "Reintegration sustainability" not in reception.content.decode()

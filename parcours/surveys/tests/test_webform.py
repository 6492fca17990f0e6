"""Answering at a desk: the questionnaire read from its XForm (labels in the page's language,
choices, groups), the answers written as the instance a phone sends and received by the same
service; required and choice answers checked; only those who may fill the form."""

import datetime as dt
import json
from pathlib import Path

import pytest

from parcours.surveys.models import Submission
from parcours.surveys.selectors import person_scores
from parcours.surveys.services import form_publish, scoring_define
from parcours.surveys.webform import questions

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def forms(world):
    admin = world.user("admin")
    for name in ("satisfaction", "sustainability"):
        form_publish(by=admin, content=(DATA / f"{name}.md").read_bytes(), filename=f"{name}.md",
                     roles=["admin", "caseworker", "me_officer"])
    form_publish(by=admin, content=(Path(__file__).parent / "household.md").read_bytes(), filename="household.md",
                 roles=["caseworker"])
    scoring_define(by=admin, form_id="sustainability",
                   definition=json.loads((DATA / "sustainability.scoring.json").read_text()))


def test_questions_in_the_pages_language(forms):
    from parcours.surveys.models import FormVersion

    xml = FormVersion.objects.get(form__form_id="satisfaction").xml
    fr, en = questions(xml, "fr"), questions(xml, "en")
    assert [q.name for q in fr] == ["person_id", "satisfied", "on_time", "comment"]
    assert fr[1].label.startswith("Êtes-vous satisfait") and en[1].label == "Are you satisfied with the assistance received?"
    assert en[1].choices == [("yes", "Yes"), ("no", "No")] and fr[1].required and not fr[3].required
    household = questions(FormVersion.objects.get(form__form_id="household").xml, "en")
    assert [(q.name, q.kind) for q in household] == [("person_id", "text"), ("location/commune", "text"),
                                                     ("needs", "many")]


def test_a_case_worker_answers_at_a_desk_and_it_is_scored(forms, make_person, web_client):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    client = web_client("caseworker.kayes", "en")
    assert "sustainability" in client.get("/questionnaires/fill/").content.decode()
    # From the person's page: a link to the forms about a person, opened for them.
    person_page = client.get(f"/people/{person.pk}/").content.decode()
    assert f"/questionnaires/fill/?person={person.pk}" in person_page
    listing = client.get(f"/questionnaires/fill/?person={person.pk}").content.decode()
    assert f"/questionnaires/fill/sustainability/?person_id={person.pk}" in listing
    page = client.get(f"/questionnaires/fill/sustainability/?person_id={person.pk}")
    assert page.status_code == 200 and str(person.pk) in page.content.decode()
    answers = {"person_id": str(person.pk), "economic/income_enough": "4", "economic/debt_managed": "1",
               "social/community_support": "3", "social/services_access": "3", "psychosocial/wellbeing": "2",
               "psychosocial/wish_to_stay": "2"}
    done = client.post("/questionnaires/fill/sustainability/", answers)
    assert done.status_code == 302 and done["Location"] == f"/people/{person.pk}/"
    saved = Submission.objects.get()
    assert saved.collected_on == dt.date.today() and saved.by_own_caseworker is False
    assert person_scores(saved.submitted_by, person.pk)[0].score.overall == 0.483  # as computed by hand


def test_wrong_or_missing_answers_are_named_and_nothing_is_stored(forms, make_person, web_client):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    client = web_client("caseworker.kayes", "en")
    missing = client.post("/questionnaires/fill/satisfaction/", {"person_id": str(person.pk), "satisfied": "maybe"})
    body = missing.content.decode()
    assert missing.status_code == 400 and "Choose one of the answers offered." in body and "This field is required." in body
    household = client.post("/questionnaires/fill/household/", {"person_id": str(person.pk),
                                                                "location/commune": "Nioro", "needs": ["food", "x"]})
    assert household.status_code == 302
    saved = Submission.objects.get()
    assert saved.data["needs"] == "food" and saved.data["location/commune"] == "Nioro"
    # Somebody the case worker does not see: refused by the service, nothing stored.
    other = make_person(by="reception.bamako", origin_region="District de Bamako")
    refused = client.post("/questionnaires/fill/satisfaction/", {"person_id": str(other.pk), "satisfied": "yes",
                                                                  "on_time": "yes"})
    assert refused.status_code == 404 and Submission.objects.count() == 1


def test_only_those_who_may_fill_the_form(forms, web_client):
    assert web_client("enumerator.gao").get("/questionnaires/fill/satisfaction/").status_code == 404
    for username in ("partner.cfpm", "manager.eu"):
        client = web_client(username)
        assert client.get("/questionnaires/fill/").status_code == 404
        assert client.get("/questionnaires/fill/satisfaction/").status_code == 404
        assert client.post("/questionnaires/fill/satisfaction/", {"satisfied": "yes"}).status_code == 404


@pytest.fixture
def skip_logic(world):
    return form_publish(by=world.user("admin"), content=(Path(__file__).parent / "skip_logic.md").read_bytes(),
                        filename="skip_logic.md", roles=["caseworker"])


def test_skip_logic_is_read_from_the_xform(skip_logic):
    from parcours.surveys.relevance import evaluate

    items = {q.name: q for q in questions(skip_logic.xml, "en")}
    assert items["age"].relevant is None and items["work/employed"].relevant == [">=", ["q", "age"], ["v", 15.0]]
    # A question in a group: its own condition and the group's.
    assert items["work/employer"].relevant == ["and", [">=", ["q", "age"], ["v", 15.0]],
                                               ["=", ["q", "work/employed"], ["v", "yes"]]]
    food = items["food_detail"].relevant
    assert evaluate(food, {"needs": "work food", "age": "30"}) and not evaluate(food, {"needs": "work", "age": "30"})
    assert not evaluate(food, {"needs": "food", "age": "12"}) and evaluate(food, {"needs": "food", "age": ""})
    # Outside the subset (a function): always asked, never hidden by mistake.
    assert items["remarks"].relevant is None


def test_the_server_enforces_skip_logic_whatever_the_browser_sends(skip_logic, make_person, web_client):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    client = web_client("caseworker.kayes", "en")
    page = client.get("/questionnaires/fill/skip_logic/").content.decode()
    assert 'data-relevant="[&quot;&gt;=&quot;,[&quot;q&quot;,&quot;age&quot;],[&quot;v&quot;,15.0]]"' in page
    assert "surveys/relevance.js" in page
    # A child of 12: the work group does not apply, its required questions are not asked and what
    # was sent for them is dropped; food_detail is not required either.
    child = client.post("/questionnaires/fill/skip_logic/", {
        "person_id": str(person.pk), "age": "12", "work/employed": "yes", "work/employer": "Sotelma",
        "needs": ["food"], "food_detail": "rice"})
    assert child.status_code == 302
    saved = Submission.objects.get()
    assert (saved.data["work/employed"], saved.data["work/employer"], saved.data["food_detail"]) == ("", "", "")
    assert saved.data["needs"] == "food"
    # An adult who works: the employer is now required, and so is the food detail.
    missing = client.post("/questionnaires/fill/skip_logic/", {
        "person_id": str(person.pk), "age": "30", "work/employed": "yes", "needs": ["food"]})
    assert missing.status_code == 400 and missing.content.decode().count("This field is required.") == 2
    # Not employed: the employer is dropped; a question after a dropped one sees it as empty.
    adult = client.post("/questionnaires/fill/skip_logic/", {
        "person_id": str(person.pk), "age": "30", "work/employed": "no", "work/employer": "Sotelma",
        "needs": ["work"]})
    assert adult.status_code == 302
    latest = Submission.objects.exclude(pk=saved.pk).get()
    assert (latest.data["work/employed"], latest.data["work/employer"]) == ("no", "")

"""Vulnerability at entry: the case screening, reused. A person screened before (in a case, at
another centre) is not asked again — the entry page and the API show that screening; a person never
screened is screened at entry through the cases service. The answers stay protection data: a
centre manager sees only that the person was screened and where it routed them."""

import datetime as dt

import pytest

from parcours.cases.models import Screening
from parcours.cases.services import case_open, person_screening, screening_record
from parcours.centres.models import Stay
from parcours.core.errors import Conflict, ValidationFailed

TODAY = dt.date.today()


@pytest.fixture
def screened(world, migrant):
    """A migrant screened in a case (vulnerable: forced to work) before reaching the centre."""
    admin = world.user("admin")
    person = migrant(given_name="Awa", family_name="Diallo", sex="F")
    case = case_open(by=admin, person_id=person.pk, arrived_on=TODAY - dt.timedelta(days=10))
    screening_record(by=admin, case_id=case.pk, answers={"trafficking_forced_work": True},
                     done_on=TODAY - dt.timedelta(days=9))
    return person


def _section(page: str) -> str:
    return page.split('<section class="screening">', 1)[1].split("</section>", 1)[0]


def _admit(client, person, **body):
    return client.post("/api/v1/centres/GAO-PC/stays",
                       {"person": str(person.pk), "entered_on": TODAY.isoformat(), **body},
                       content_type="application/json")


def test_given_a_screened_person_when_admitted_then_screening_reused_not_asked_again(
        api_client, gao, screened):
    r = _admit(api_client("centre.gao"), screened, screening={"journey_debt": True})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["screening"] == {"done_on": (TODAY - dt.timedelta(days=9)).isoformat(), "route": "protection",
                                 "answers": None}
    assert Screening.objects.filter(person=screened).count() == 1  # no second screening


def test_given_a_screened_person_then_admission_page_shows_it_without_the_questionnaire(
        web_client, gao, screened):
    page = web_client("centre.gao").get(f"/centres/GAO-PC/admit/?person={screened.pk}").content.decode()
    assert 'name="screening_asked"' not in page and 'name="screening"' not in page
    section = _section(page)
    assert "protection" in section and "<li>" not in section  # the answers are not for the centre manager


def test_given_a_never_screened_person_then_questionnaire_asked_and_recorded_through_cases(
        web_client, world, gao, migrant):
    person = migrant()
    client = web_client("centre.gao")
    page = client.get(f"/centres/GAO-PC/admit/?person={person.pk}").content.decode()
    assert 'name="screening_asked"' in page
    r = client.post("/centres/GAO-PC/admit/", {"person": str(person.pk), "entered_on": TODAY.isoformat(),
                                               "screening_asked": "1", "screening": ["psychosocial_distress"]})
    assert r.status_code == 302
    screening = Screening.objects.get(person=person)
    assert screening.case is None and screening.vulnerable and screening.done_on == TODAY
    stay = Stay.objects.get(person=person)
    # the stay page shows the route to the centre manager, the answers to a protection role only
    page = client.get(f"/centres/stays/{stay.pk}/").content.decode()
    section = _section(page)
    assert "protection" in section and "<li>" not in section
    assert "<li>" in _section(web_client("admin").get(f"/centres/stays/{stay.pk}/").content.decode())
    manager_view = person_screening(by=world.user("centre.gao"), person=person)
    assert manager_view.route == "protection" and manager_view.answers is None
    assert person_screening(by=world.user("admin"), person=person).answers["psychosocial_distress"] is True


def test_given_a_centre_manager_then_api_never_shows_answers_and_admin_does(api_client, gao, migrant):
    person = migrant()
    r = _admit(api_client("centre.gao"), person, screening={"disability": True})
    assert r.status_code == 201
    stay_id = r.json()["id"]
    mine = api_client("centre.gao").get(f"/api/v1/centres/stays/{stay_id}").json()["screening"]
    assert mine["route"] == "protection" and mine["answers"] is None
    admin = api_client("admin").get(f"/api/v1/centres/stays/{stay_id}").json()["screening"]
    assert admin["answers"]["disability"] is True and admin["answers"]["journey_debt"] is False


def test_given_no_questionnaire_then_nothing_recorded_and_unknown_item_named(gao, migrant, admit):
    person = migrant()
    admit(person)
    assert not Screening.objects.filter(person=person).exists()
    other = migrant(given_name="Ousmane", family_name="Bah")
    with pytest.raises(ValidationFailed) as exc:
        admit(other, screening={"astrology": True})
    assert "screening" in exc.value.fields
    assert not Stay.objects.filter(person=other).exists()


def test_given_a_person_screened_at_a_centre_then_a_second_entry_does_not_screen_again(gao, migrant, admit):
    person = migrant()
    stay = admit(person, TODAY - dt.timedelta(days=5), screening={"pregnancy": True})
    from parcours.centres.services import stay_end

    stay_end(by=stay.admitted_by, stay_id=stay.pk, data={"left_on": TODAY - dt.timedelta(days=2),
                                                         "reason": "onward"})
    admit(person, TODAY, screening={})
    assert Screening.objects.filter(person=person).count() == 1


def test_given_a_migrant_screened_at_entry_when_a_case_is_opened_later_then_that_screening_is_the_cases(
        web_client, world, gao, migrant, admit):
    """Issue 12: the screening at a centre's entry is reused by the case opened later — attached to
    it (not asked again), the case moves on to the step it routes to, and the case page shows it."""
    from parcours.cases.stages import position

    person = migrant(given_name="Fanta", sex="F", birth_year="", birth_date=(TODAY - dt.timedelta(days=16 * 366)).isoformat())
    admit(person, entered_on=TODAY - dt.timedelta(days=5), screening={"unaccompanied_or_separated": True})
    entry = Screening.objects.get(person=person)
    assert entry.case is None and entry.vulnerable
    case = case_open(by=world.user("admin"), person_id=person.pk, arrived_on=TODAY)
    entry.refresh_from_db()
    case.refresh_from_db()
    assert entry.case_id == case.pk and Screening.objects.filter(person=person).count() == 1
    assert case.unaccompanied_minor  # the answers (a minor, separated) still decide the best-interest rule
    assert position(case, TODAY).stage == "protection"  # not back at "screening"
    page = web_client("admin").get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/screening/"' not in page  # no questionnaire to fill again
    assert (TODAY - dt.timedelta(days=5)).strftime("%d/%m/%Y") in page and "centre.gao" in page
    # a screening sent for that case afterwards is refused as for any screened case
    with pytest.raises(Conflict):
        screening_record(by=world.user("admin"), case_id=case.pk, answers={})
    assert Screening.objects.filter(person=person).count() == 1


def test_given_a_case_opened_before_the_entry_screening_then_the_case_step_takes_it(world, gao, migrant, admit):
    person = migrant(given_name="Issa")
    case = case_open(by=world.user("admin"), person_id=person.pk, arrived_on=TODAY - dt.timedelta(days=3))
    admit(person, entered_on=TODAY - dt.timedelta(days=2), screening={})
    entry = Screening.objects.get(person=person)
    assert entry.case is None  # asked at the centre: the case had none
    assert screening_record(by=world.user("admin"), case_id=case.pk,
                            answers={"journey_debt": True}).pk == entry.pk
    entry.refresh_from_db()
    assert entry.case_id == case.pk and not entry.vulnerable

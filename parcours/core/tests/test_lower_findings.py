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

"""Real-time candidates share the batch's return-date rule (issue 10): one flight, one name."""

from django.db.models import Q

from parcours.matching import realtime
from parcours.people import duplicates
from parcours.people.models import Person

# Same given name and day of return; the family name misspelt so that its sound key changes
# (Diakité -> diakit, Diakaté -> diakat), no phone this time, a birth year only and one off.
FIRST = {"given_name": "Mamadou", "family_name": "Diakité", "birth_year": "1994", "phone": "76 11 22 33",
         "return_date": "2019-10-03", "returned_from": "LY"}
AGAIN = {"given_name": "Mamadou", "family_name": "Diakaté", "sex": "M", "birth_year": 1995,
         "return_date": "2019-10-03", "returned_from": "LY"}


def test_only_the_return_date_rule_reaches_the_pair(make_person):
    first = make_person(**FIRST)
    record = duplicates._record(AGAIN)
    blocks = realtime.db_blocks(realtime.db_keys(record), record)
    others = Q()
    for block in blocks:
        if "return_date" not in block:
            others |= Q(**block)
    assert not Person.objects.filter(others, pk=first.pk).exists()
    assert any("return_date" in block for block in blocks)


def test_a_registration_off_the_same_flight_is_proposed(make_person, api_client):
    first = make_person(**FIRST)
    client = api_client("reception.bamako")
    typed = client.get("/api/v1/people/candidates", {k: AGAIN[k] for k in (
        "given_name", "family_name", "sex", "birth_year", "return_date")})
    assert typed.status_code == 200, typed.content
    assert str(first.pk) in [c["id"] for c in typed.json()]
    response = client.post("/api/v1/people", {**AGAIN, "nationality": "ML"}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert str(first.pk) in [c["id"] for c in response.json()["possible_duplicates"]]



def test_the_form_panel_uses_the_day_of_return_too(make_person, web_client):
    first = make_person(**FIRST)
    typed = {k: AGAIN[k] for k in ("given_name", "family_name", "birth_year")}
    page = web_client("reception.bamako").get("/people/candidates/", {**typed, "return_date": "2019-10-03"})
    assert page.status_code == 200
    assert str(first.pk) in page.content.decode()

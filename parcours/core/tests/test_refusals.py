"""One web handler answers every view's refusal: NotFound is the 404 page, Forbidden the 403
page; a refusal the user can fix (bad input, a conflict) stays a message on the page."""

import uuid

import pytest

from parcours.dedup.models import DuplicatePair
from parcours.dedup.services import pair_suggest


@pytest.fixture
def pair(make_person):
    a = make_person(given_name="Mamadou", family_name="Keita", birth_year="1994", phone="76123456",
                    origin_region="District de Bamako")
    b = make_person(given_name="Mahamadou", family_name="Keïta", birth_year="1994", phone="76123456",
                    origin_region="District de Bamako")
    return pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.9, reasons=[], source="batch")


def test_a_missing_record_is_the_404_page(web_client):
    response = web_client("reception.bamako").get(f"/people/{uuid.uuid4()}/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_a_record_outside_the_scope_is_the_same_404(web_client, pair):
    # caseworker.kayes sees Kayes only: the Bamako pair looks missing, not forbidden.
    assert web_client("caseworker.kayes").get(f"/duplicates/{pair.pk}/").status_code == 404
    assert web_client("caseworker.kayes").post(f"/duplicates/{pair.pk}/review/",
                                               {"decision": "reject"}).status_code == 404


def test_an_action_the_role_may_not_take_on_a_visible_record_is_403(web_client, pair):
    auditor = web_client("auditor")
    assert auditor.get(f"/duplicates/{pair.pk}/").status_code == 200
    response = auditor.post(f"/duplicates/{pair.pk}/review/", {"decision": "reject"})
    assert response.status_code == 403
    assert DuplicatePair.objects.get(pk=pair.pk).status == "pending"


def test_a_refusal_the_user_can_fix_stays_a_message(web_client, pair):
    response = web_client("reception.bamako").post(f"/duplicates/{pair.pk}/review/", {"decision": "maybe"},
                                                   follow=True)
    assert response.status_code == 200 and "confirm" in response.content.decode()
    assert DuplicatePair.objects.get(pk=pair.pk).status == "pending"


def test_a_page_the_role_has_no_use_for_looks_missing(web_client):
    assert web_client("enumerator.gao").get("/audit/").status_code == 404
    assert web_client("auditor").get("/audit/").status_code == 200

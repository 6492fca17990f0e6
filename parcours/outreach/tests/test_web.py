"""The sensitization pages: the phone form, the list with its totals, one activity."""

import pytest

from parcours.outreach.models import Activity

pytestmark = pytest.mark.django_db
FORM = {"kind": "home_visit", "held_on": "2025-06-14", "commune": "Sikasso", "theme": "local_opportunities",
        "audience": "community", "participants_male": "4", "participants_female": "7", "form_token": "t-1"}


def test_a_focal_point_records_from_the_form_once_even_if_sent_twice(web_client):
    client = web_client("focal.sikasso")
    page = client.get("/sensitization/new/")
    assert page.status_code == 200 and b'name="participants_female"' in page.content
    r = client.post("/sensitization/new/", FORM)
    again = client.post("/sensitization/new/", FORM)
    assert r.status_code == 302 and again["Location"] == r["Location"]
    assert Activity.objects.count() == 1
    detail = client.get(r["Location"])
    assert detail.status_code == 200 and "Sikasso" in detail.content.decode()
    listing = client.get("/sensitization/").content.decode().lower()
    assert "visite à domicile" in listing


def test_bad_input_shows_the_form_again_with_the_reason(web_client):
    r = web_client("focal.sikasso").post("/sensitization/new/", {**FORM, "commune": "Kayes", "participants_male": "x"})
    assert r.status_code == 200 and Activity.objects.count() == 0
    assert "errorlist" in r.content.decode()


def test_correct_and_cancel_from_the_pages(web_client):
    client = web_client("focal.sikasso")
    location = client.post("/sensitization/new/", FORM)["Location"]
    activity = Activity.objects.get()
    r = client.post(f"/sensitization/{activity.pk}/edit/", {**FORM, "participants_female": "9", "organiser": "AECID"})
    assert r.status_code == 302
    activity.refresh_from_db()
    assert activity.participants_female == 9
    client.post(f"/sensitization/{activity.pk}/cancel/", {"reason": "Doublon"})
    activity.refresh_from_db()
    assert activity.cancelled
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(("username", "status"), [("reception.bamako", 404), ("partner.cfpm", 404),
                                                  ("manager.eu", 200), ("me.iom", 200)])
def test_pages_by_role(web_client, username, status):
    web_client("focal.sikasso").post("/sensitization/new/", FORM)
    activity = Activity.objects.get()
    client = web_client(username)
    assert client.get("/sensitization/").status_code == status
    assert client.get(f"/sensitization/{activity.pk}/").status_code == status
    assert client.get("/sensitization/new/").status_code == (200 if username == "me.iom" else 404)
    assert client.get(f"/sensitization/{activity.pk}/edit/").status_code == (200 if username == "me.iom" else 404)

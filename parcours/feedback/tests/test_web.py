"""The complaint pages: staff intake, the queue, one complaint and its actions, the register,
and the public form (no account) that resists robots, floods and bad input."""

import pytest

from parcours.feedback.models import Complaint

pytestmark = pytest.mark.django_db
FORM = {"channel": "in_person", "category": "assistance", "gravity": "medium", "received_on": "2025-05-05",
        "description": "Kit non reçu après six mois.", "place": "Kayes", "form_token": "t1"}


def test_staff_file_from_the_intake_page_once(web_client):
    client = web_client("caseworker.kayes")
    assert client.get("/complaints/new/").status_code == 200
    r = client.post("/complaints/new/", FORM)
    client.post("/complaints/new/", FORM)
    assert r.status_code == 302 and Complaint.objects.count() == 1


def test_a_sensitive_complaint_filed_by_staff_leaves_their_view(web_client):
    client = web_client("reception.bamako")
    r = client.post("/complaints/new/", {**FORM, "category": "sexual_exploitation", "place": "Bamako"})
    assert r["Location"] == "/complaints/new/"
    c = Complaint.objects.get()
    assert client.get(f"/complaints/{c.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["reception.bamako", "caseworker.kayes", "caseworker.ajdm", "centre.gao",
                                      "enumerator.gao", "focal.sikasso", "partner.cfpm", "me.iom", "manager.eu",
                                      "auditor"])
def test_the_sensitive_complaint_page_is_404_for_every_other_role(web_client, username):
    web_client("protection.bamako").post("/complaints/new/", {**FORM, "category": "protection", "place": "Bamako"})
    c = Complaint.objects.get()
    assert web_client("protection.bamako").get(f"/complaints/{c.pk}/").status_code == 200
    client = web_client(username)
    assert client.get(f"/complaints/{c.pk}/").status_code == 404
    assert client.post(f"/complaints/{c.pk}/resolve/", {"resolution": "x"}).status_code == 404
    queue = client.get("/complaints/")
    assert c.reference not in queue.content.decode()


def test_handlers_work_the_queue(web_client):
    web_client("caseworker.kayes").post("/complaints/new/", FORM)
    c = Complaint.objects.get()
    me = web_client("me.iom")
    assert c.reference in me.get("/complaints/?open=1").content.decode()
    me.post(f"/complaints/{c.pk}/acknowledge/", {"on": "2025-05-06"})
    me.post(f"/complaints/{c.pk}/resolve/", {"on": "2025-05-09", "resolution": "Kit livré."})
    c.refresh_from_db()
    assert (c.status, str(c.resolved_on)) == ("resolved", "2025-05-09")
    page = me.get(f"/complaints/{c.pk}/").content.decode()
    assert "Kit livré." in page
    assert me.get("/complaints/register/").status_code == 200
    assert web_client("focal.sikasso").get("/complaints/register/").status_code == 404


def test_the_public_form_files_without_an_account_and_gives_a_reference(world, client):
    page = client.get("/complaints/public/")
    assert page.status_code == 200
    r = client.post("/complaints/public/", {"category": "fraud", "description": "On m'a demandé 10 000 F.",
                                            "place": "Gao", "form_token": "p1"})
    assert r.status_code == 302
    c = Complaint.objects.get()
    assert c.channel == "web" and c.anonymous and c.sensitive and c.gravity == "high"
    track = client.get("/complaints/public/track/", {"reference": c.reference.lower()}).content.decode()
    assert "10 000" not in track and c.due_on.strftime("%d/%m/%Y") in track


def test_the_public_form_refuses_bad_input_robots_and_floods(world, client, settings):
    settings.PUBLIC_COMPLAINTS_PER_HOUR = 3
    r = client.post("/complaints/public/", {"category": "nope", "description": ""})
    assert r.status_code == 200 and "errorlist" in r.content.decode() and not Complaint.objects.exists()
    r = client.post("/complaints/public/", {"category": "other", "description": "Spam spam", "website": "x.biz"})
    assert r.status_code == 302 and not Complaint.objects.exists()
    for i in range(2):
        client.post("/complaints/public/", {"category": "other", "description": f"Message {i}", "form_token": str(i)})
    assert Complaint.objects.count() == 2
    r = client.post("/complaints/public/", {"category": "other", "description": "Encore un", "form_token": "z"})
    assert r.status_code == 429 and Complaint.objects.count() == 2

"""The centre manager's pages: list with occupancy, centre page, admission, stay, person panel, returns."""

import datetime as dt

from parcours.centres.models import Departure, Stay

TODAY = dt.date.today()


def test_centre_manager_takes_a_migrant_from_arrival_to_departure(web_client, gao, migrant):
    client = web_client("centre.gao")
    person = migrant(given_name="Alpha", family_name="Barry")
    r = client.get("/centres/")
    assert r.status_code == 200 and "Centre de la Protection civile de Gao" in r.content.decode()
    r = client.get("/centres/GAO-PC/admit/?q=Barry")
    assert "Alpha Barry" in r.content.decode()
    r = client.post("/centres/GAO-PC/admit/", {"person": str(person.pk), "entered_on": TODAY.isoformat(),
                                               "services": ["food", "shelter"], "entry_point": "GAO"})
    assert r.status_code == 302
    stay = Stay.objects.get(person=person)
    page = client.get("/centres/GAO-PC/").content.decode()
    assert "Alpha Barry" in page and "<svg" in page
    r = client.post(f"/centres/stays/{stay.pk}/", {"action": "service", "kind": "medical",
                                                   "given_on": TODAY.isoformat(), "quantity": "1"})
    assert r.status_code == 302 and stay.services_received.count() == 3
    r = client.post("/centres/returns/", {"planned_on": TODAY.isoformat(), "destination": "GN", "mode": "bus"})
    dep = Departure.objects.get()
    r = client.post(f"/centres/returns/{dep.pk}/", {
        "action": "passenger", "person": str(person.pk), "consent_to_return": "on",
        "document_type": "laissez_passer", "document_number": "LP 778", "document_issued_on": TODAY.isoformat(),
        "document_expires_on": (TODAY + dt.timedelta(days=30)).isoformat()})
    assert dep.passengers.count() == 1
    client.post(f"/centres/returns/{dep.pk}/", {"action": "departed", "departed_on": TODAY.isoformat()})
    stay.refresh_from_db()
    assert stay.exit_reason == "returned_home"
    panel = client.get(f"/centres/person/{person.pk}/").content.decode()
    assert "Guinée" in panel and "LP778" in panel


def test_bad_admission_says_the_field_and_changes_nothing(web_client, gao, migrant):
    client = web_client("centre.gao")
    person = migrant()
    r = client.post("/centres/GAO-PC/admit/", {"person": str(person.pk),
                                               "entered_on": (TODAY + dt.timedelta(days=3)).isoformat()},
                    follow=True)
    assert "entered_on" in r.content.decode() and not Stay.objects.exists()


def test_other_roles_and_agencies_get_404_or_403(web_client, gao, migrant, admit):
    stay = admit(migrant())
    for user in ("caseworker.kayes", "partner.cfpm", "enumerator.gao", "focal.sikasso"):
        client = web_client(user)
        assert client.get("/centres/").status_code == 404, user
        assert client.get("/centres/GAO-PC/").status_code == 404, user
        assert client.get(f"/centres/stays/{stay.pk}/").status_code == 404, user
    assert web_client("protection.bamako").get("/centres/GAO-PC/").status_code == 404
    me = web_client("me.iom")
    assert me.get("/centres/GAO-PC/").status_code == 200
    assert me.get("/centres/GAO-PC/admit/").status_code == 404
    assert me.post(f"/centres/stays/{stay.pk}/", {"action": "exit", "left_on": TODAY.isoformat(),
                                                 "reason": "onward"}).status_code == 404
    manager = web_client("manager.eu").get("/centres/GAO-PC/").content.decode()
    assert stay.person.family_name not in manager


def test_person_panel_records_the_embassy_request_before_the_document(web_client, gao, migrant):
    from parcours.centres.models import ReturnRequest

    client = web_client("centre.gao")
    person = migrant()
    client.post(f"/centres/person/{person.pk}/", {"action": "request", "destination": "GN",
                                                   "requested_on": TODAY.isoformat()})
    req = ReturnRequest.objects.get(person=person)
    page = client.get(f"/centres/person/{person.pk}/").content.decode()
    assert 'value="document_request"' in page
    r = client.post(f"/centres/person/{person.pk}/", {"action": "document_request", "request": str(req.pk),
                                                       "requested_on": TODAY.isoformat()})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.document_requested_on == TODAY
    assert 'value="document_request"' not in client.get(f"/centres/person/{person.pk}/").content.decode()

"""The centre and return endpoints of the contract: shapes, scope (404), roles (403), bad input."""

import datetime as dt

from parcours.centres.models import ReturnRequest, Stay
from parcours.facts.models import Fact

TODAY = dt.date.today()


def _admit(client, code, person, **body):
    return client.post(f"/api/v1/centres/{code}/stays",
                       {"person": str(person.pk), "entered_on": TODAY.isoformat(), **body},
                       content_type="application/json")


def test_given_centre_manager_when_listing_then_own_agency_centres_with_occupancy(api_client, gao, migrant):
    client = api_client("centre.gao")
    assert _admit(client, "GAO-PC", migrant(), services=["food", "shelter"]).status_code == 201
    body = client.get("/api/v1/centres").json()
    assert [c["code"] for c in body["results"]] == ["GAO-PC"]
    assert {k: body["results"][0][k] for k in ("capacity", "occupancy", "place")} == {
        "capacity": 40, "occupancy": 1, "place": gao.place.parent.name}
    detail = client.get("/api/v1/centres/GAO-PC").json()
    assert detail["nights"][-1] == {"night": TODAY.isoformat(), "occupancy": 1}
    assert detail["stranded"] == 0


def test_given_other_agency_or_role_then_404_or_403(api_client, gao, migrant):
    person = migrant()
    stay = _admit(api_client("centre.gao"), "GAO-PC", person).json()
    for user in ("caseworker.ajdm", "protection.bamako", "enumerator.gao", "partner.cfpm"):
        client = api_client(user)
        assert client.get("/api/v1/centres/GAO-PC").status_code == 404, user
        assert client.get(f"/api/v1/centres/stays/{stay['id']}").status_code == 404, user
        assert _admit(client, "GAO-PC", person).status_code == 404, user
        assert client.post(f"/api/v1/centres/stays/{stay['id']}/exit", {"left_on": TODAY.isoformat(),
                           "reason": "onward"}, content_type="application/json").status_code == 404, user
        assert "GAO-PC" not in [c["code"] for c in client.get("/api/v1/centres").json()["results"]], user
    # Readers of the whole programme see the centre but may not admit or discharge.
    me = api_client("me.iom")
    assert me.get("/api/v1/centres/GAO-PC").status_code == 200
    assert _admit(me, "GAO-PC", person).status_code == 403
    manager = api_client("manager.eu")
    assert manager.get("/api/v1/centres/GAO-PC").json()["occupancy"] == 1
    assert manager.get("/api/v1/centres/GAO-PC/stays").status_code == 403
    assert manager.get(f"/api/v1/centres/stays/{stay['id']}").status_code == 404


def test_given_bad_input_then_field_named_translated_and_nothing_written(api_client, gao, migrant):
    person = migrant()
    client = api_client("centre.gao", "en")
    r = client.post("/api/v1/centres/GAO-PC/stays", {"person": str(person.pk)}, content_type="application/json")
    assert r.status_code == 400 and "entered_on" in r.json()["error"]["fields"]
    r = _admit(client, "GAO-PC", person, services=["massage"])
    assert r.status_code == 400 and "services" in r.json()["error"]["fields"]
    r = client.post("/api/v1/centres/GAO-PC/stays", {"person": "not-a-uuid", "entered_on": "2025-13-40"},
                    content_type="application/json")
    assert r.status_code == 400 and {"person", "entered_on"} <= set(r.json()["error"]["fields"])
    r = _admit(client, "GAO-PC", person, entered_on=(TODAY + dt.timedelta(days=2)).isoformat())
    assert r.json()["error"]["fields"]["entered_on"] == ["The date is in the future."]
    fr = api_client("centre.gao", "fr")
    r = _admit(fr, "GAO-PC", person, entered_on=(TODAY + dt.timedelta(days=2)).isoformat())
    assert r.json()["error"]["fields"]["entered_on"] == ["La date est dans le futur."]
    assert not Stay.objects.exists()


def test_given_a_stay_when_exit_and_services_then_recorded(api_client, gao, migrant):
    client = api_client("centre.gao")
    stay = _admit(client, "GAO-PC", migrant(), entered_on=(TODAY - dt.timedelta(days=4)).isoformat()).json()
    r = client.post(f"/api/v1/centres/stays/{stay['id']}/services",
                    {"kind": "psychosocial", "given_on": (TODAY - dt.timedelta(days=2)).isoformat()},
                    content_type="application/json")
    assert r.status_code == 201
    r = client.post(f"/api/v1/centres/stays/{stay['id']}/exit", {"left_on": TODAY.isoformat(), "reason": "referred"},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["exit_reason"] == "referred" and r.json()["nights"] == 4
    assert len(r.json()["services"]) == 1
    again = client.post(f"/api/v1/centres/stays/{stay['id']}/exit", {"left_on": TODAY.isoformat(),
                        "reason": "onward"}, content_type="application/json")
    assert again.status_code == 400 and "left_on" in again.json()["error"]["fields"]


def _doc(issued=None, expires=None, number="GN123456"):
    return {"type": "laissez_passer", "number": number,
            "issued_on": (issued or TODAY - dt.timedelta(days=10)).isoformat(),
            "expires_on": (expires or TODAY + dt.timedelta(days=80)).isoformat()}


def test_avr_from_stay_to_departure_and_hand_over(api_client, gao, migrant):
    client = api_client("centre.gao")
    person = migrant()
    _admit(client, "GAO-PC", person, entered_on=(TODAY - dt.timedelta(days=30)).isoformat())
    dep = client.post("/api/v1/avr/departures", {"planned_on": TODAY.isoformat(), "destination": "GN",
                                                 "mode": "bus"}, content_type="application/json")
    assert dep.status_code == 201, dep.content
    dep_id = dep.json()["id"]
    url = f"/api/v1/avr/departures/{dep_id}/passengers"
    no_consent = client.post(url, {"person": str(person.pk), "consent_to_return": False, "travel_document": _doc()},
                             content_type="application/json")
    assert no_consent.status_code == 400 and "consent_to_return" in no_consent.json()["error"]["fields"]
    expired = client.post(url, {"person": str(person.pk), "consent_to_return": True,
                                "travel_document": _doc(expires=TODAY - dt.timedelta(days=1))},
                          content_type="application/json")
    assert expired.status_code == 400 and "travel_document" in expired.json()["error"]["fields"]
    missing = client.post(url, {"person": str(person.pk), "consent_to_return": True},
                          content_type="application/json")
    assert missing.status_code == 400 and "travel_document" in missing.json()["error"]["fields"]
    assert not ReturnRequest.objects.exists()
    ok = client.post(url, {"person": str(person.pk), "consent_to_return": True, "travel_document": _doc()},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["status"] == "booked"
    day = TODAY - dt.timedelta(days=1)
    gone = client.post(f"/api/v1/avr/departures/{dep_id}/departed", {"departed_on": day.isoformat()},
                       content_type="application/json")
    assert gone.status_code == 200 and gone.json()["passengers"][0]["status"] == "departed"
    fact = Fact.objects.get(kind="avr.departed", person=person)
    assert fact.occurred_on == day and fact.nationality == "GN"
    stay = Stay.objects.get(person=person)
    assert stay.left_on == day and stay.exit_reason == "returned_home"
    handed = client.post(f"/api/v1/avr/departures/{dep_id}/handover",
                         {"handed_over_on": TODAY.isoformat(), "receiving_mission": "Ambassade de Guinée"},
                         content_type="application/json")
    assert handed.status_code == 200 and handed.json()["status"] == "handed_over"
    assert ReturnRequest.objects.get(person=person).status == "handed_over"


def test_avr_bad_input_and_scope(api_client, gao, migrant, make_person):
    client = api_client("centre.gao")
    r = client.post("/api/v1/avr/departures", {"planned_on": TODAY.isoformat(), "destination": "XX",
                                               "mode": "bus"}, content_type="application/json")
    assert r.status_code == 400 and "destination" in r.json()["error"]["fields"]
    r = client.post("/api/v1/avr/departures", {"planned_on": TODAY.isoformat(), "destination": "GN",
                                               "mode": "donkey"}, content_type="application/json")
    assert r.status_code == 400 and "mode" in r.json()["error"]["fields"]
    dep = client.post("/api/v1/avr/departures", {"planned_on": TODAY.isoformat(), "destination": "CI",
                                                 "mode": "charter"}, content_type="application/json").json()
    malian = make_person(by="centre.gao", nationality="ML")
    r = client.post(f"/api/v1/avr/departures/{dep['id']}/passengers",
                    {"person": str(malian.pk), "consent_to_return": True, "travel_document": _doc()},
                    content_type="application/json")
    assert r.status_code == 400 and "person" in r.json()["error"]["fields"]
    person = migrant(nationality="CI")
    r = client.post(f"/api/v1/avr/departures/{dep['id']}/passengers",
                    {"person": str(person.pk), "consent_to_return": True,
                     "travel_document": _doc(issued=TODAY, expires=TODAY - dt.timedelta(days=3))},
                    content_type="application/json")
    assert r.status_code == 400 and "travel_document.expires_on" in r.json()["error"]["fields"]
    for user in ("caseworker.ajdm", "protection.bamako", "partner.cfpm"):
        assert api_client(user).get(f"/api/v1/avr/departures/{dep['id']}").status_code == 404, user
    assert api_client("auditor").post(f"/api/v1/avr/departures/{dep['id']}/departed",
                                      {"departed_on": TODAY.isoformat()},
                                      content_type="application/json").status_code == 403
    assert api_client("manager.eu").get("/api/v1/avr/departures").status_code == 403


def test_given_the_logframe_definitions_then_stays_and_departures_count(api_client, gao, migrant):
    from parcours.facts.selectors import live_facts

    client = api_client("centre.gao")
    person = migrant()
    _admit(client, "GAO-PC", person)
    assert live_facts(["centres.stay_begun"]).filter(place=gao.place).count() == 1


def test_travel_document_requested_from_the_embassy_then_obtained(api_client, gao, migrant):
    from parcours.facts.models import Fact

    client = api_client("centre.gao")
    person = migrant(nationality="GN")
    day = TODAY - dt.timedelta(days=10)
    req = client.post("/api/v1/avr/requests", {"person": str(person.pk), "destination": "GN",
                                               "requested_on": day.isoformat()}, content_type="application/json")
    assert req.status_code in (200, 201), req.content
    rid = req.json()["id"]
    r = client.post(f"/api/v1/avr/requests/{rid}/document_request",
                    {"requested_on": (day - dt.timedelta(days=1)).isoformat()}, content_type="application/json")
    assert r.status_code == 400 and "requested_on" in r.json()["error"]["fields"]
    r = client.post(f"/api/v1/avr/requests/{rid}/document_request",
                    {"requested_on": (day + dt.timedelta(days=1)).isoformat()}, content_type="application/json")
    assert r.status_code == 200 and r.json()["document_requested_on"] == (day + dt.timedelta(days=1)).isoformat()
    fact = Fact.objects.get(kind="avr.document_requested", person=person)
    assert fact.occurred_on == day + dt.timedelta(days=1)
    # A document issued before it was requested is refused, naming the field.
    r = client.post(f"/api/v1/avr/requests/{rid}/document", _doc(issued=day), content_type="application/json")
    assert r.status_code == 400 and "issued_on" in r.json()["error"]["fields"]
    r = client.post(f"/api/v1/avr/requests/{rid}/document", _doc(issued=day + dt.timedelta(days=5)),
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["document_number"]
    r = client.post(f"/api/v1/avr/requests/{rid}/document_request", {"requested_on": TODAY.isoformat()},
                    content_type="application/json")
    assert r.status_code == 400 and "requested_on" in r.json()["error"]["fields"]
    for user in ("caseworker.ajdm", "partner.cfpm"):
        assert api_client(user).post(f"/api/v1/avr/requests/{rid}/document_request",
                                     {"requested_on": TODAY.isoformat()},
                                     content_type="application/json").status_code == 404, user

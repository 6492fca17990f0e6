"""The referral API over HTTP: scoping per role and agency, retries, errors in the contract's envelope."""

import datetime as dt

from parcours.people.models import AgencyAccess
from parcours.referrals.models import Referral

S = Referral.Status
URL = "/api/v1/referrals"


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_given_no_consent_when_posting_then_400_names_consent_in_french(api_client, make_person, welding):
    person = make_person()
    response = post(api_client("reception.bamako"), URL, {"person": str(person.pk), "service": str(welding.pk)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and "consent" in error["fields"]
    assert "consenti" in error["fields"]["consent"][0]
    assert Referral.objects.count() == 0 and AgencyAccess.objects.count() == 0


def test_given_english_when_error_then_message_in_english(api_client, make_person, welding):
    person = make_person()
    response = post(api_client("reception.bamako", "en"), URL, {"person": str(person.pk), "service": str(welding.pk)})
    assert "consented" in response.json()["error"]["fields"]["consent"][0]


def test_given_consent_and_key_when_retrying_then_one_referral(api_client, make_person, welding):
    person = make_person()
    client = api_client("reception.bamako")
    body = {"person": str(person.pk), "service": str(welding.pk), "consent": True, "note": "Soudure"}
    first = post(client, URL, body, HTTP_IDEMPOTENCY_KEY="k-1")
    second = post(client, URL, body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and Referral.objects.count() == 1
    assert first.json()["person"] == {"id": str(person.pk), "given_name": "Mamadou", "family_name": "Traoré",
                                      "sex": "M", "birth_year": 1994, "phone": ""}


def test_given_unknown_person_or_service_then_400_names_them(api_client, world):
    response = post(api_client("reception.bamako"), URL, {"person": "nope", "service": None})
    assert set(response.json()["error"]["fields"]) == {"person", "service"}


def test_given_person_out_of_scope_when_referring_then_person_unknown(api_client, make_person, welding):
    person = make_person()  # registered in Bamako; caseworker.kayes does not see them
    response = post(api_client("caseworker.kayes"), URL, {"person": str(person.pk), "service": str(welding.pk),
                                                          "consent": True})
    assert response.status_code == 400 and "person" in response.json()["error"]["fields"]
    assert Referral.objects.count() == 0


def test_given_partner_when_answering_then_only_its_referrals(api_client, refer, apej_partner, directory):
    mine = refer()
    apej = refer(given_name="Awa", sex="F", service=directory["apej-emploi-jeunes"])
    cfpm = api_client("partner.cfpm")
    listed = cfpm.get(URL).json()
    assert [r["id"] for r in listed["results"]] == [str(mine.pk)] and listed["count"] == 1
    assert [r["id"] for r in cfpm.get(f"{URL}/inbox").json()["results"]] == [str(mine.pk)]
    assert cfpm.get(f"{URL}/{apej.pk}").status_code == 404
    assert post(cfpm, f"{URL}/{apej.pk}/transition", {"to_status": "accepted"}).status_code == 404
    accepted = post(cfpm, f"{URL}/{mine.pk}/transition", {"to_status": "accepted", "feedback": "Bienvenue"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [h["to_status"] for h in accepted.json()["history"]] == ["sent", "accepted"]

    other = api_client("partner.apej")
    assert other.get(f"{URL}/{mine.pk}").status_code == 404
    assert post(other, f"{URL}/{mine.pk}/transition", {"to_status": "refused", "reason": "x"}).status_code == 404
    assert post(other, f"{URL}/{mine.pk}/attendance", {"month": "2026-01", "days": 3}).status_code == 404
    assert [r["id"] for r in other.get(URL).json()["results"]] == [str(apej.pk)]
    assert other.get(f"/api/v1/people/{mine.person_id}").status_code == 404


def test_given_partner_when_creating_referral_then_403(api_client, make_person, consent, welding):
    person = make_person()
    consent(person)
    response = post(api_client("partner.cfpm"), URL, {"person": str(person.pk), "service": str(welding.pk)})
    assert response.status_code in (400, 403) and Referral.objects.count() == 0


def test_given_invalid_transition_then_400_names_status(api_client, refer):
    referral = refer()
    response = post(api_client("partner.cfpm"), f"{URL}/{referral.pk}/transition", {"to_status": "completed"})
    assert response.status_code == 400 and "to_status" in response.json()["error"]["fields"]
    response = post(api_client("partner.cfpm"), f"{URL}/{referral.pk}/transition", {"to_status": "flying"})
    assert response.status_code == 400 and "to_status" in response.json()["error"]["fields"]


def test_given_enrolled_when_posting_attendance_then_recorded(api_client, refer, enrol):
    referral = refer()
    enrol(referral)
    client = api_client("partner.cfpm")
    month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    ok = post(client, f"{URL}/{referral.pk}/attendance", {"month": month, "days": 11})
    assert ok.status_code == 200 and ok.json()["days"] == 11
    bad = post(client, f"{URL}/{referral.pk}/attendance", {"month": "mars", "days": "beaucoup"})
    assert bad.status_code == 400 and "month" in bad.json()["error"]["fields"]
    assert client.get(f"{URL}/{referral.pk}").json()["attendance"] == [
        {"month": f"{month}-01", "days": 11, "validated": False}]
    # The provider cannot validate its own figure; the referring side does, over the API too.
    assert post(client, f"{URL}/{referral.pk}/attendance/validate", {"month": month}).status_code == 403
    checked = post(api_client("reception.bamako"), f"{URL}/{referral.pk}/attendance/validate", {"month": month})
    assert checked.status_code == 200 and checked.json()["validated"] is True
    assert post(api_client("reception.bamako"), f"{URL}/{referral.pk}/attendance/validate",
                {"month": "1999-01"}).status_code == 400
    assert post(api_client("reception.bamako"), f"{URL}/{referral.pk}/attendance",
                {"month": month, "days": 2}).status_code == 403


def test_given_consent_withdrawn_then_partner_no_longer_sees_referral(api_client, refer, consent):
    referral = refer()
    client = api_client("partner.cfpm")
    assert client.get(f"{URL}/{referral.pk}").status_code == 200
    consent(referral.person, granted=False)
    assert client.get(f"{URL}/{referral.pk}").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"/api/v1/people/{referral.person_id}").status_code == 404
    assert api_client("reception.bamako").get(f"{URL}/{referral.pk}").status_code == 200


def test_given_caseworkers_when_listing_then_only_people_they_see(api_client, refer, make_person, consent):
    bamako = refer()
    kayes_person = make_person(by="caseworker.kayes", given_name="Ousmane", origin_region="Kayes")
    kayes = refer(person=kayes_person, by="caseworker.kayes")
    assert {r["id"] for r in api_client("reception.bamako").get(URL).json()["results"]} >= {str(bamako.pk)}
    assert [r["id"] for r in api_client("caseworker.kayes").get(URL).json()["results"]] == [str(kayes.pk)]
    assert api_client("caseworker.kayes").get(f"{URL}/{bamako.pk}").status_code == 404
    ajdm = api_client("caseworker.ajdm")
    assert ajdm.get(URL).json()["count"] == 0 and ajdm.get(f"{URL}/{bamako.pk}").status_code == 404
    assert api_client("centre.gao").get(f"{URL}/{bamako.pk}").status_code == 404


def test_given_ngo_caseworker_with_assigned_person_then_sees_its_referrals(api_client, make_person, consent,
                                                                          welding, world):
    person = make_person(by="caseworker.ajdm")  # AJDM registered them: assigned to AJDM
    client = api_client("caseworker.ajdm")
    response = post(client, URL, {"person": str(person.pk), "service": str(welding.pk), "consent": True})
    assert response.status_code == 201
    assert client.get(URL).json()["count"] == 1


def test_given_auditor_then_reads_all_but_cannot_write(api_client, refer):
    referral = refer()
    client = api_client("auditor")
    assert client.get(f"{URL}/{referral.pk}").status_code == 200
    assert client.get(URL).json()["count"] == 1
    assert post(client, f"{URL}/{referral.pk}/transition", {"to_status": "accepted"}).status_code == 403
    assert post(client, URL, {"person": str(referral.person_id), "service": str(referral.service_id)}
                ).status_code == 403


def test_given_manager_then_aggregates_only(api_client, refer, move):
    referral = refer()
    move(referral, S.ACCEPTED)
    refer(given_name="Awa", sex="F")
    client = api_client("manager.eu")
    assert client.get(URL).status_code == 404
    assert client.get(f"{URL}/{referral.pk}").status_code == 404
    stats = client.get(f"{URL}/stats")
    assert stats.status_code == 200
    row = stats.json()[0]
    assert row["counts"]["sent"] == 1 and row["counts"]["accepted"] == 1 and row["total"] == 2
    assert "Mamadou" not in stats.content.decode() and "Traoré" not in stats.content.decode()
    assert api_client("caseworker.kayes").get(f"{URL}/stats").status_code == 404


def test_given_directory_when_filtering_then_kind_and_place(api_client, directory):
    client = api_client("caseworker.kayes")
    kayes = client.get("/api/v1/referrals/services?place=/ML/KAY/KAY-KAY/&page_size=200").json()
    codes = {s["code"] for s in kayes["results"]}
    assert "apej-hauts-travaux" in codes and "cfpm-soudure-2026-10" not in codes
    training = client.get("/api/v1/referrals/services?kind=training").json()
    assert training["count"] >= 5 and all(s["kind"] == "training" for s in training["results"])
    one = client.get(f"/api/v1/referrals/services/{directory['cfpm-soudure-2026-10'].pk}").json()
    assert one["capacity"] == 20 and one["places_taken"] == 0 and one["places_free"] == 20
    assert api_client("centre.gao").get("/api/v1/referrals/services").json()["count"] == 0


def test_given_partner_when_adding_service_then_only_for_own_agency(api_client, world):
    body = {"code": "cfpm-froid-2027", "provider": "CFPM", "kind": "training", "name_fr": "Froid et climatisation",
            "capacity": 12, "places": ["/ML/BKO/"], "starts_on": "2027-02-01", "ends_on": "2027-07-30"}
    cfpm = api_client("partner.cfpm")
    created = post(cfpm, "/api/v1/referrals/services", body)
    assert created.status_code == 201 and created.json()["places"] == ["District de Bamako"]
    assert post(cfpm, "/api/v1/referrals/services", {**body, "code": "x-2", "provider": "APEJ"}).status_code == 400
    assert post(api_client("caseworker.kayes"), "/api/v1/referrals/services", {**body, "code": "x-3"}
                ).status_code == 403
    bad = post(cfpm, "/api/v1/referrals/services", {**body, "code": "x-4", "ends_on": "2026-01-01"})
    assert bad.status_code == 400 and "ends_on" in bad.json()["error"]["fields"]
    patched = cfpm.patch(f"/api/v1/referrals/services/{created.json()['id']}", {"capacity": 15},
                         content_type="application/json")
    assert patched.status_code == 200 and patched.json()["capacity"] == 15
    assert patched.json()["places"] == ["District de Bamako"]
    assert api_client("caseworker.kayes").patch(
        f"/api/v1/referrals/services/{created.json()['id']}", {"capacity": 1},
        content_type="application/json").status_code == 403


def test_openapi_documents_referral_endpoints(api_client):
    paths = api_client("admin").get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/referrals", "/api/v1/referrals/{referral_id}/transition",
                 "/api/v1/referrals/{referral_id}/attendance", "/api/v1/referrals/inbox",
                 "/api/v1/referrals/services"):
        assert path in paths


def test_given_malformed_filters_when_listing_then_empty_not_error(api_client, refer):
    refer()
    client = api_client("reception.bamako")
    for query in ("service=nope", "person=12", "status=weird"):
        assert client.get(f"{URL}?{query}").json()["count"] == 0
    assert client.get(f"{URL}?status=sent").json()["count"] == 1

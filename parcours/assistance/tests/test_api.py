"""The assistance API over HTTP: the eligibility contract, payments, reversals, visits, attendance,
the ledger — and who gets 404/403 for each."""

import pytest

from parcours.assistance.models import AttendanceRecord, LedgerEntry, VerificationVisit

PAY = {"scheme": "business_kit", "tranche": 1, "paid_on": "2024-05-02", "channel": "cash", "proof_reference": "R-9"}


def test_given_person_when_asking_eligibility_then_contract_shape_one_item_per_scheme(api_client, returnee):
    person = returnee(return_date="2020-01-10")
    response = api_client("caseworker.kayes", "en").get(f"/api/v1/people/{person.pk}/eligibility?on=2024-06-15")
    assert response.status_code == 200
    body = response.json()
    assert [item["scheme"] for item in body] == ["arrival_allowance", "business_kit", "cash_grant",
                                                 "training_allowance"]
    for item in body:
        assert set(item) == {"scheme", "eligible", "amount_xof", "reasons"}
        assert isinstance(item["amount_xof"], int) and isinstance(item["reasons"], list)
    by_code = {item["scheme"]: item for item in body}
    assert by_code["cash_grant"] == {"scheme": "cash_grant", "eligible": True, "amount_xof": 300_000, "reasons": [
        "Met: Returned to Mali on or after 1 July 2019",
        "Met: No reintegration assistance received since return (the arrival allowance does not count)",
        "Amount: 300,000 XOF"]}
    assert by_code["training_allowance"]["eligible"] is False
    assert by_code["training_allowance"]["amount_xof"] == 0


def test_given_french_request_when_asking_eligibility_then_reasons_in_french_with_thin_spaces(api_client, returnee):
    person = returnee(return_date="2020-01-10")
    body = api_client("caseworker.kayes", "fr").get(f"/api/v1/people/{person.pk}/eligibility?on=2024-06-15").json()
    grant = next(item for item in body if item["scheme"] == "cash_grant")
    assert grant["reasons"][0] == "Critère rempli : Rentré au Mali le 1er juillet 2019 ou après"
    assert grant["reasons"][-1] == "Montant : 300\u202f000 XOF"


def test_given_bad_date_when_asking_eligibility_then_400_naming_on(api_client, returnee):
    person = returnee()
    response = api_client("caseworker.kayes", "en").get(f"/api/v1/people/{person.pk}/eligibility?on=15/06/2024")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["on"]


def test_given_no_date_when_asking_eligibility_then_today_is_used(api_client, returnee):
    response = api_client("caseworker.kayes").get(f"/api/v1/people/{returnee().pk}/eligibility")
    assert response.status_code == 200 and len(response.json()) == 4


@pytest.mark.parametrize("username", ["reception.bamako", "partner.cfpm", "caseworker.ajdm", "enumerator.gao",
                                      "manager.eu"])
def test_given_person_out_of_scope_when_asking_eligibility_then_404(api_client, returnee, username):
    person = returnee()  # registered in Kayes by IOM, origin Kayes
    response = api_client(username).get(f"/api/v1/people/{person.pk}/eligibility")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_given_caseworker_when_paying_then_201_and_retry_with_same_key_returns_it(api_client, returnee):
    person = returnee()
    client = api_client("caseworker.kayes")
    first = client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk)},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == 201, first.content
    assert first.json()["amount_xof"] == 210_000
    retry = client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk)},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-1")
    assert retry.status_code == 200 and retry.json()["id"] == first.json()["id"]
    again = client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk)},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="pay-2")
    assert again.status_code == 400
    assert "tranche" in again.json()["error"]["fields"]
    assert LedgerEntry.objects.count() == 1


def test_given_ineligible_person_when_paying_then_400_naming_scheme_translated(api_client, returnee):
    person = returnee(return_date="2019-06-30")
    payload = {**PAY, "person": str(person.pk), "scheme": "cash_grant", "channel": "cheque",
               "id_document_type": "nina", "id_document_number": "1234"}
    response = api_client("caseworker.kayes", "fr").post("/api/v1/assistance/ledger/payments", payload,
                                                         content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == "La personne n’est pas éligible à ce dispositif."
    assert "Rentré au Mali le 1er juillet 2019 ou après" in error["fields"]["scheme"][0]
    assert not LedgerEntry.objects.exists()


def test_given_bad_fields_when_paying_then_each_field_named(api_client, returnee):
    person = returnee()
    response = api_client("caseworker.kayes", "en").post(
        "/api/v1/assistance/ledger/payments",
        {"person": str(person.pk), "scheme": "business_kit", "paid_on": "2999-01-01", "channel": "gold",
         "amount_xof": "many"}, content_type="application/json")
    assert response.status_code == 400
    assert {"paid_on", "channel", "amount_xof"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize("username, status", [("reception.bamako", 404), ("partner.cfpm", 404),
                                              ("auditor", 403), ("me.iom", 403), ("protection.bamako", 404),
                                              ("manager.eu", 404)])
def test_given_role_or_place_when_paying_then_refused_and_nothing_written(api_client, returnee, username, status):
    person = returnee()
    response = api_client(username).post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk)},
                                         content_type="application/json")
    assert response.status_code == status
    assert not LedgerEntry.objects.exists()


def test_given_reception_of_same_place_when_paying_then_403(api_client, make_person, schemes):
    person = make_person(by="reception.bamako", origin_region="District de Bamako", return_date="2020-01-10")
    response = api_client("reception.bamako").post("/api/v1/assistance/ledger/payments",
                                                   {**PAY, "person": str(person.pk)}, content_type="application/json")
    assert response.status_code == 403


def test_given_payments_when_listing_ledger_then_scoped_to_visible_people(api_client, returnee, make_person, pay):
    kayes = returnee()
    bamako = make_person(by="reception.bamako", origin_region="District de Bamako", return_date="2020-01-10")
    pay(kayes, "arrival_allowance")
    pay(bamako, "arrival_allowance", by="admin")
    assert api_client("caseworker.kayes").get("/api/v1/assistance/ledger").json()["count"] == 1
    bamako_view = api_client("reception.bamako").get("/api/v1/assistance/ledger").json()
    assert [r["person"] for r in bamako_view["results"]] == [str(bamako.pk)]
    assert api_client("auditor").get("/api/v1/assistance/ledger").json()["count"] == 2
    assert api_client("caseworker.ajdm").get("/api/v1/assistance/ledger").json()["count"] == 0
    assert api_client("partner.cfpm").get("/api/v1/assistance/ledger").status_code == 403
    assert api_client("manager.eu").get("/api/v1/assistance/ledger").status_code == 403
    filtered = api_client("admin").get(f"/api/v1/assistance/ledger?person={kayes.pk}&scheme=arrival_allowance"
                                       "&date_from=2024-05-01&date_to=2024-05-31").json()
    assert filtered["count"] == 1
    assert api_client("admin").get("/api/v1/assistance/ledger?date_from=nope").json()["error"]["fields"] == {
        "date_from": ["Écrivez la date sous la forme AAAA-MM-JJ."]}


def test_given_payments_when_manager_asks_totals_then_aggregates_only(api_client, returnee, pay):
    pay(returnee(), "arrival_allowance")
    totals = api_client("manager.eu").get("/api/v1/assistance/ledger/totals").json()
    assert totals == [{"scheme": "arrival_allowance", "net_xof": 52_000, "payments": 1, "reversals": 0,
                       "people": 1}]
    assert api_client("reception.bamako").get("/api/v1/assistance/ledger/totals").json() == []
    assert api_client("partner.cfpm").get("/api/v1/assistance/ledger/totals").status_code == 403


def test_given_entry_when_read_or_reversed_out_of_scope_then_404_and_auditor_403(api_client, returnee, pay):
    entry = pay(returnee(), "business_kit")
    url = f"/api/v1/assistance/ledger/{entry.pk}"
    assert api_client("reception.bamako").get(url).status_code == 404
    assert api_client("auditor").get(url).status_code == 200
    assert api_client("reception.bamako").post(f"{url}/reversal", {"reason": "x"},
                                               content_type="application/json").status_code == 404
    assert api_client("auditor").post(f"{url}/reversal", {"reason": "x"},
                                      content_type="application/json").status_code == 403
    assert api_client("caseworker.kayes").get("/api/v1/assistance/ledger/not-a-uuid").status_code == 404
    assert LedgerEntry.objects.count() == 1


def test_given_payment_when_reversed_over_api_then_negative_entry_and_slot_free(api_client, returnee, pay):
    person = returnee()
    entry = pay(person, "business_kit")
    client = api_client("caseworker.kayes")
    missing_reason = client.post(f"/api/v1/assistance/ledger/{entry.pk}/reversal", {},
                                 content_type="application/json")
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()["error"]["fields"]
    response = client.post(f"/api/v1/assistance/ledger/{entry.pk}/reversal", {"reason": "wrong amount"},
                           content_type="application/json", HTTP_IDEMPOTENCY_KEY="rev-1")
    assert response.status_code == 201
    assert response.json()["amount_xof"] == -210_000 and response.json()["reversal_of"] == str(entry.pk)
    retry = client.post(f"/api/v1/assistance/ledger/{entry.pk}/reversal", {"reason": "wrong amount"},
                        content_type="application/json", HTTP_IDEMPOTENCY_KEY="rev-1")
    assert retry.status_code == 200 and retry.json()["id"] == response.json()["id"]
    assert client.get(f"/api/v1/assistance/ledger/{entry.pk}").json()["reversed_by"] == response.json()["id"]
    again = client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk)},
                        content_type="application/json")
    assert again.status_code == 201 and again.json()["replaces"] == response.json()["id"]


def test_given_kit_when_visit_recorded_over_api_then_second_tranche_released(api_client, returnee, pay):
    person = returnee()
    pay(person, "business_kit")
    client = api_client("caseworker.kayes")
    visit = {"person": str(person.pk), "scheme": "business_kit", "tranche": 1, "visited_on": "2024-06-01",
             "visitor": "F. Diallo", "outcome": "verified"}
    assert client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk), "tranche": 2,
                                                               "paid_on": "2024-06-10"},
                       content_type="application/json").status_code == 400
    assert api_client("reception.bamako").post("/api/v1/assistance/visits", visit,
                                               content_type="application/json").status_code == 404
    assert api_client("auditor").post("/api/v1/assistance/visits", visit,
                                      content_type="application/json").status_code == 403
    bad = client.post("/api/v1/assistance/visits", {**visit, "outcome": "maybe"}, content_type="application/json")
    assert bad.status_code == 400 and "outcome" in bad.json()["error"]["fields"]
    created = client.post("/api/v1/assistance/visits", visit, content_type="application/json",
                          HTTP_IDEMPOTENCY_KEY="v-1")
    assert created.status_code == 201
    assert client.post("/api/v1/assistance/visits", visit, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="v-1").status_code == 200
    assert VerificationVisit.objects.count() == 1
    second = client.post("/api/v1/assistance/ledger/payments", {**PAY, "person": str(person.pk), "tranche": 2,
                                                                 "paid_on": "2024-06-10"},
                         content_type="application/json")
    assert second.status_code == 201 and second.json()["amount_xof"] == 90_000


def test_given_attendance_when_recorded_over_api_then_scoped_and_feeds_training(api_client, returnee, enrolled):
    person = returnee()
    enrolled(person)
    body = {"person": str(person.pk), "month": "2024-04", "days": 12}
    assert api_client("reception.bamako").post("/api/v1/assistance/attendance", body,
                                               content_type="application/json").status_code == 404
    assert api_client("me.iom").post("/api/v1/assistance/attendance", body,
                                     content_type="application/json").status_code == 403
    bad = api_client("caseworker.kayes").post("/api/v1/assistance/attendance", {**body, "days": 40},
                                              content_type="application/json")
    assert bad.status_code == 400 and "days" in bad.json()["error"]["fields"]
    ok = api_client("caseworker.kayes").post("/api/v1/assistance/attendance", body, content_type="application/json")
    assert ok.status_code == 200 and AttendanceRecord.objects.get().days == 12
    items = api_client("caseworker.kayes").get(f"/api/v1/people/{person.pk}/eligibility?on=2024-04-30").json()
    training = next(i for i in items if i["scheme"] == "training_allowance")
    assert training["amount_xof"] == 45_000 + 12 * 1_500


def test_given_proof_file_when_paying_multipart_then_stored(api_client, returnee, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    person = returnee()
    response = api_client("caseworker.kayes").post("/api/v1/assistance/ledger/payments/upload", {
        **PAY, "person": str(person.pk), "proof_reference": "",
        "proof_file": SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")})
    assert response.status_code == 201, response.content
    assert response.json()["proof_file"] is True


def test_given_schemes_when_listed_and_read_then_versions_shown(api_client, schemes):
    client = api_client("reception.bamako")
    listed = client.get("/api/v1/assistance/schemes").json()
    assert {s["code"] for s in listed} == {"arrival_allowance", "training_allowance", "business_kit", "cash_grant"}
    kit = client.get("/api/v1/assistance/schemes/business_kit").json()
    assert kit["category"] == "reintegration"
    assert [t["share"] for t in kit["current"]["tranches"]] == [70, 30]
    assert len(kit["versions"]) == 1
    assert client.get("/api/v1/assistance/schemes/nope").status_code == 404


def test_openapi_documents_the_assistance_endpoints(api_client, world):
    paths = api_client("admin").get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/people/{person_id}/eligibility", "/api/v1/assistance/ledger/payments",
                 "/api/v1/assistance/ledger/{entry_id}/reversal", "/api/v1/assistance/visits",
                 "/api/v1/assistance/schemes"):
        assert path in paths


def test_given_many_entries_when_listing_ledger_then_query_count_is_constant(api_client, returnee, pay,
                                                                             django_assert_max_num_queries):
    for _ in range(6):
        pay(returnee(), "arrival_allowance")
    client = api_client("caseworker.kayes")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/assistance/ledger?page_size=50").json()
    assert body["count"] == 6


def test_given_admin_when_counting_in_background_then_job_reports_eligible(web_client, returnee, world,
                                                                          django_capture_on_commit_callbacks):
    from parcours.jobs.models import Job

    returnee(return_date="2020-01-10")
    returnee(return_date="2019-01-10")
    with django_capture_on_commit_callbacks(execute=True):
        response = web_client("admin").post("/assistance/schemes/cash_grant/count/", {"version": "1",
                                                                                       "on": "2024-06-15"})
    assert response.status_code == 302
    job = Job.objects.get(kind="assistance_eligible_count")
    assert job.status == "done" and job.result["eligible"] == 1 and job.result["evaluated"] == 2
    assert web_client("caseworker.kayes").post("/assistance/schemes/cash_grant/count/",
                                               {"version": "1"}).status_code == 404


VERSION = {"name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
           "channels": ["cash"], "criteria": [{"rule": "return_date != None", "label_fr": "Rentré",
                                               "label_en": "Returned"}],
           "amount": "60000", "tranches": [{"share": 100, "condition": "True"}]}


def test_given_admin_when_creating_version_over_api_then_201_and_rules_checked(api_client, schemes):
    admin = api_client("admin", "en")
    created = admin.post("/api/v1/assistance/schemes/arrival_allowance/versions", VERSION,
                         content_type="application/json")
    assert created.status_code == 201 and created.json()["number"] == 2
    bad = admin.post("/api/v1/assistance/schemes/arrival_allowance/versions",
                     {**VERSION, "amount": "2 ** 99999", "valid_from": "2025-02-01"}, content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"amount": ["“**” is not allowed in a rule."]}
    earlier = admin.post("/api/v1/assistance/schemes/arrival_allowance/versions",
                         {**VERSION, "valid_from": "2024-01-01"}, content_type="application/json")
    assert earlier.status_code == 400 and "valid_from" in earlier.json()["error"]["fields"]
    assert api_client("caseworker.kayes").post("/api/v1/assistance/schemes/arrival_allowance/versions", VERSION,
                                               content_type="application/json").status_code == 403
    versions = admin.get("/api/v1/assistance/schemes/arrival_allowance").json()["versions"]
    assert [(v["number"], v["valid_to"]) for v in versions] == [(2, None), (1, "2024-12-31")]


def test_given_admin_when_asking_eligible_count_then_scoped_count_and_others_403(api_client, returnee):
    returnee(return_date="2020-01-10")
    returnee(return_date="2019-06-30")
    body = api_client("admin").get("/api/v1/assistance/schemes/cash_grant/eligible-count?on=2024-06-15").json()
    assert (body["eligible"], body["total"], body["complete"], body["amount_xof"]) == (1, 2, True, 300_000)
    assert api_client("caseworker.kayes").get(
        "/api/v1/assistance/schemes/cash_grant/eligible-count").status_code == 403
    assert api_client("admin").get(
        "/api/v1/assistance/schemes/cash_grant/eligible-count?on=2019-01-01").status_code == 400


def test_given_visits_when_listed_then_scoped(api_client, returnee, pay, visit):
    person = returnee()
    pay(person, "business_kit")
    visit(person)
    assert api_client("caseworker.kayes").get("/api/v1/assistance/visits").json()["count"] == 1
    assert api_client("reception.bamako").get("/api/v1/assistance/visits").json()["count"] == 0
    assert api_client("partner.cfpm").get("/api/v1/assistance/visits").status_code == 403
    assert api_client("auditor").get(f"/api/v1/assistance/visits?person={person.pk}").json()["count"] == 1

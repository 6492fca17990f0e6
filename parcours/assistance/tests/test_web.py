"""Assistance pages: French by default, English on request, scoped, and the forms write through services."""

import pytest

from parcours.assistance.models import AttendanceRecord, LedgerEntry, SchemeVersion, VerificationVisit
from parcours.assistance.validation import criteria_text, tranches_text


def test_given_admin_when_opening_scheme_pages_then_french_with_live_count(web_client, returnee):
    returnee(return_date="2020-01-10")
    client = web_client("admin")
    page = client.get("/assistance/")
    assert page.status_code == 200 and "Dispositifs d’assistance" in page.content.decode()
    detail = client.get("/assistance/schemes/cash_grant/").content.decode()
    assert "Subvention en espèces" in detail and "Qui est éligible maintenant" in detail
    assert "300\u202f000" in detail  # the count's total amount, French grouping
    english = web_client("admin", "en").get("/assistance/schemes/cash_grant/").content.decode()
    assert "Who is eligible now" in english and "Cash grant" in english


def test_given_admin_when_saving_a_bad_rule_then_field_error_and_no_version(web_client, schemes):
    client = web_client("admin")
    form = client.get("/assistance/schemes/arrival_allowance/edit/")
    assert form.status_code == 200
    response = client.post("/assistance/schemes/arrival_allowance/edit/", {
        "name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
        "channels": ["cash"], "criteria": "age.__class__ | x | y", "amount": "52000", "tranches": "100 | True",
        "action": "save"})
    assert response.status_code == 400
    assert "n’est pas autorisé dans une règle" in response.content.decode()
    assert SchemeVersion.objects.filter(scheme__code="arrival_allowance").count() == 1


def test_given_admin_when_saving_a_good_edit_then_new_version_and_preview_counts(web_client, returnee):
    returnee()
    client = web_client("admin")
    version = SchemeVersion.objects.get(scheme__code="arrival_allowance")
    data = {"name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
            "channels": ["cash"], "criteria": criteria_text(version.criteria), "amount": "60000",
            "tranches": tranches_text(version.tranches)}
    preview = client.post("/assistance/schemes/arrival_allowance/edit/", {**data, "action": "preview"})
    assert preview.status_code == 200 and "Seraient éligibles aujourd’hui" in preview.content.decode()
    assert SchemeVersion.objects.filter(scheme__code="arrival_allowance").count() == 1
    saved = client.post("/assistance/schemes/arrival_allowance/edit/", {**data, "action": "save"})
    assert saved.status_code == 302
    assert SchemeVersion.objects.filter(scheme__code="arrival_allowance").count() == 2
    old = client.get("/assistance/schemes/arrival_allowance/?version=1").content.decode()
    assert "52000" in old


@pytest.mark.parametrize("username", ["caseworker.kayes", "reception.bamako", "auditor"])
def test_given_non_admin_when_opening_scheme_edit_then_404(web_client, schemes, username):
    assert web_client(username).get("/assistance/schemes/cash_grant/edit/").status_code == 404


def test_given_caseworker_when_using_person_panel_then_payment_visit_attendance_and_reversal(web_client, returnee,
                                                                                           enrolled):
    person = returnee()
    enrolled(person)
    client = web_client("caseworker.kayes")
    page = client.get(f"/assistance/people/{person.pk}/")
    assert page.status_code == 200 and "Éligibilité" in page.content.decode()
    pay = {"scheme": "business_kit", "tranche": "1", "paid_on": "2024-05-02", "channel": "cash",
           "proof_reference": "R-1", "form_token": "t-1"}
    assert client.post(f"/assistance/people/{person.pk}/pay/", pay).status_code == 302
    assert client.post(f"/assistance/people/{person.pk}/pay/", pay).status_code == 302  # double submit
    assert LedgerEntry.objects.count() == 1
    again = client.post(f"/assistance/people/{person.pk}/pay/", {**pay, "form_token": "t-2"})
    assert again.status_code == 400 and "La tranche 1 a déjà été payée le 02/05/2024" in again.content.decode()
    bad = client.post(f"/assistance/people/{person.pk}/pay/", {**pay, "scheme": "arrival_allowance",
                                                                "form_token": "t-3", "amount_xof": "5"})
    assert bad.status_code == 400 and "Le dispositif prévoit 52\u202f000 XOF" in bad.content.decode()
    visit = {"scheme": "business_kit", "tranche": "1", "visited_on": "2024-06-01", "visitor": "F. Diallo",
             "outcome": "verified", "form_token": "v-1"}
    assert client.post(f"/assistance/people/{person.pk}/visit/", visit).status_code == 302
    assert VerificationVisit.objects.count() == 1
    assert client.post(f"/assistance/people/{person.pk}/attendance/", {"month": "2024-04", "days": "3"}).status_code == 302
    assert AttendanceRecord.objects.get().days == 3
    entry = LedgerEntry.objects.get()
    assert client.post(f"/assistance/ledger/{entry.pk}/reverse/", {"reason": "erreur", "form_token": "r"}).status_code == 302
    assert LedgerEntry.objects.filter(kind="reversal", reversal_of=entry).count() == 1
    panel = client.get(f"/assistance/people/{person.pk}/").content.decode()
    assert "-210\u202f000" in panel


def test_given_person_out_of_scope_when_opening_panel_or_posting_then_404(web_client, returnee):
    person = returnee()
    for username in ("reception.bamako", "partner.cfpm", "caseworker.ajdm"):
        client = web_client(username)
        assert client.get(f"/assistance/people/{person.pk}/").status_code == 404
        assert client.post(f"/assistance/people/{person.pk}/pay/", {"scheme": "business_kit"}).status_code == 404
    auditor = web_client("auditor")
    assert auditor.get(f"/assistance/people/{person.pk}/").status_code == 200
    # The auditor sees the person but may not pay: refused as such (403), nothing written.
    assert auditor.post(f"/assistance/people/{person.pk}/pay/", {"scheme": "business_kit"}).status_code == 403
    assert not LedgerEntry.objects.exists()


def test_given_ledger_page_when_opened_then_scoped_totals_and_logged_export(web_client, returnee, make_person, pay):
    from auditlog.models import LogEntry

    pay(returnee(), "arrival_allowance")
    bamako = make_person(by="reception.bamako", origin_region="District de Bamako", return_date="2020-01-10")
    pay(bamako, "arrival_allowance", by="admin")
    kayes_page = web_client("caseworker.kayes").get("/assistance/ledger/").content.decode()
    assert "52\u202f000" in kayes_page and "104\u202f000" not in kayes_page
    admin_page = web_client("admin", "en").get("/assistance/ledger/").content.decode()
    assert "104,000" in admin_page
    manager_page = web_client("manager.eu").get("/assistance/ledger/").content.decode()
    assert "104\u202f000" in manager_page and "Mamadou" not in manager_page
    assert web_client("partner.cfpm").get("/assistance/ledger/").status_code == 404
    export = web_client("caseworker.kayes").get("/assistance/ledger/export/?scheme=arrival_allowance")
    assert export.status_code == 200 and export.content.decode("utf-8-sig").count("\n") == 2
    assert LogEntry.objects.filter(additional_data__what="export", actor__username="caseworker.kayes").exists()
    assert web_client("manager.eu").get("/assistance/ledger/export/").status_code == 404


def test_given_proof_file_when_downloaded_then_only_in_scope(web_client, returnee, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    person = returnee()
    client = web_client("caseworker.kayes")
    response = client.post(f"/assistance/people/{person.pk}/pay/", {
        "scheme": "arrival_allowance", "tranche": "1", "paid_on": "2024-05-02", "channel": "cash",
        "form_token": "f-1", "proof_file": SimpleUploadedFile("recu.pdf", b"%PDF receipt")})
    assert response.status_code == 302
    entry = LedgerEntry.objects.get()
    download = client.get(f"/assistance/ledger/{entry.pk}/proof/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF receipt"
    assert web_client("reception.bamako").get(f"/assistance/ledger/{entry.pk}/proof/").status_code == 404
    assert web_client("partner.cfpm").get(f"/assistance/ledger/{entry.pk}/proof/").status_code == 404

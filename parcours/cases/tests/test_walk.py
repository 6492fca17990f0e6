"""The whole path over the API, as caseworker.kayes walks it: arrival to completed reintegration
with training at CFPM, a business kit in two tranches and a cash grant, each amount computed by
its scheme; the training centre answers through its own narrow account."""

import datetime as dt

from django.utils import timezone

from parcours.assistance.models import LedgerEntry
from parcours.cases.models import Case


def test_arrival_to_completed_reintegration_over_the_api(api_client, world):
    from parcours.assistance.services import load_demo_schemes
    from parcours.referrals.demo import load_demo_services
    from parcours.referrals.models import Service

    load_demo_schemes()
    load_demo_services()
    worker = api_client("caseworker.kayes")
    person = worker.post("/api/v1/people", {
        "given_name": "Boubacar", "family_name": "Sissoko", "sex": "M", "birth_date": "1992-02-14",
        "phone": "76 55 44 33", "origin_region": "Kayes", "origin_cercle": "Diéma", "return_date": "2019-10-03",
        "returned_from": "LY", "consent_collection": True}, content_type="application/json").json()
    pid = person["id"]
    for member in ({"relationship": "spouse", "given_name": "Awa", "sex": "F", "birth_year": 1996},
                   {"relationship": "child", "given_name": "Moussa", "sex": "M", "birth_date": "2003-06-01"},
                   {"relationship": "child", "given_name": "Fanta", "sex": "F", "birth_date": "2010-01-20"}):
        assert worker.post(f"/api/v1/people/{pid}/household", member,
                           content_type="application/json").status_code == 201

    case = worker.post("/api/v1/cases", {"person": pid, "arrived_on": "2019-10-03"},
                       content_type="application/json").json()
    assert case["stage"] == "screening"
    cid = case["id"]
    assert worker.post(f"/api/v1/cases/{cid}/screening", {"answers": {}, "done_on": "2019-10-04"},
                       content_type="application/json").json()["route"] == "orientation"
    assert worker.post(f"/api/v1/cases/{cid}/orientation", {"data": {
        "wishes": "soudure puis atelier", "choice": "training", "skills_verified": "yes", "verified_by": "CFPM",
        "done_on": "2019-10-10"}}, content_type="application/json").json()["stage"] == "plan"

    # Eligibility on the day of the grant: household of an adult, a spouse, a 16- and a 9-year-old.
    eligibility = {e["scheme"]: e for e in worker.get(f"/api/v1/people/{pid}/eligibility?on=2019-11-15").json()}
    assert eligibility["cash_grant"]["eligible"] and eligibility["cash_grant"]["amount_xof"] == 900_000

    def pay(**data):
        response = worker.post("/api/v1/assistance/ledger/payments", {"person": pid, "proof_reference": "R", **data},
                               content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()["amount_xof"]

    assert pay(scheme="cash_grant", paid_on="2019-11-15", channel="cheque", id_document_type="laissez_passer",
               id_document_number="LP 778899") == 900_000

    # Training at CFPM: referral with consent; the centre accepts, enrols, records attendance, completes.
    service = Service.objects.filter(provider__code="CFPM").first()
    referral = worker.post("/api/v1/referrals", {"person": pid, "service": service.pk, "consent": True},
                           content_type="application/json")
    assert referral.status_code == 201, referral.content
    rid = referral.json()["id"]
    cfpm = api_client("partner.cfpm")
    for status in ("accepted", "enrolled"):
        assert cfpm.post(f"/api/v1/referrals/{rid}/transition", {"to_status": status},
                         content_type="application/json").status_code == 200
    # The story happened in 2019-2020: the referral's steps are dated then (the API records them today).
    from parcours.referrals.models import Referral, StatusChange
    from parcours.referrals.services import attendance_validate

    then = timezone.make_aware(dt.datetime(2019, 12, 2, 9))
    Referral.objects.filter(pk=rid).update(sent_at=then, status_changed_at=then)
    StatusChange.objects.filter(referral_id=rid).update(at=then)
    assert cfpm.post(f"/api/v1/referrals/{rid}/attendance", {"month": "2020-01", "days": 18},
                     content_type="application/json").status_code == 200
    # The allowance follows validated attendance only: the case worker validates the partner's figure.
    attendance_validate(by=world.user("caseworker.kayes"), referral_id=rid, month=dt.date(2020, 1, 1))
    assert pay(scheme="training_allowance", paid_on="2020-02-03", period="2020-01", channel="cash") == 45_000 + 18 * 1_500
    assert cfpm.post(f"/api/v1/referrals/{rid}/transition", {"to_status": "completed", "certificate_ref": "CFPM-2020-41"},
                     content_type="application/json").status_code == 200
    assert worker.post(f"/api/v1/cases/{cid}/components", {"data": {
        "kind": "vocational_training", "provider": "CFPM", "scheme_code": "training_allowance",
        "planned_start": "2019-12-01"}}, content_type="application/json").status_code == 201

    # Business kit: 70 % first, the 30 % only after the verification visit.
    assert worker.post(f"/api/v1/cases/{cid}/components", {"data": {
        "kind": "income_individual", "scheme_code": "business_kit", "cost_xof": 300_000,
        "planned_start": "2020-03-01"}}, content_type="application/json").status_code == 201
    assert pay(scheme="business_kit", tranche=1, paid_on="2020-03-02", channel="in_kind") == 210_000
    early = worker.post("/api/v1/assistance/ledger/payments", {"person": pid, "scheme": "business_kit", "tranche": 2,
                                                               "paid_on": "2020-03-20", "channel": "in_kind",
                                                               "proof_reference": "R"},
                        content_type="application/json")
    assert early.status_code == 400
    assert worker.post("/api/v1/assistance/visits", {"person": pid, "scheme": "business_kit", "tranche": 1,
                                                     "visited_on": "2020-05-04", "visitor": "F. Diallo",
                                                     "outcome": "verified"},
                       content_type="application/json").status_code == 201
    assert pay(scheme="business_kit", tranche=2, paid_on="2020-05-10", channel="in_kind") == 90_000

    # Deliver, follow up at 1, 3, 6, 12 months, close as completed.
    case_obj = Case.objects.get(pk=cid)
    for component in case_obj.components.all():
        assert worker.post(f"/api/v1/cases/components/{component.pk}/status", {"status": "delivered", "on": "2020-05-10"},
                           content_type="application/json").status_code == 200
    for follow_up in worker.get(f"/api/v1/cases/{cid}/follow-ups").json():
        assert worker.post(f"/api/v1/cases/follow-ups/{follow_up['id']}", {"outcome": "done", "satisfaction": 4},
                           content_type="application/json").status_code == 200
    assert worker.get(f"/api/v1/cases/{cid}").json()["stage"] == "completion"
    closed = worker.post(f"/api/v1/cases/{cid}/close", {"reason": "completed"}, content_type="application/json")
    assert closed.json()["stage"] == "closed"
    assert sorted(LedgerEntry.objects.filter(person_id=pid).values_list("amount_xof", flat=True)) == [
        72_000, 90_000, 210_000, 900_000]
    # The training centre never saw anything but its referral.
    assert cfpm.get(f"/api/v1/cases/{cid}").status_code == 404
    assert cfpm.get("/api/v1/assistance/ledger").status_code in (403, 404)

"""The four demo schemes at their edges, the ledger rules, and the database backing them."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from parcours.assistance import engine
from parcours.assistance.models import LedgerEntry, Scheme, SchemeVersion, VerificationVisit
from parcours.assistance.selectors import eligible_count, person_eligibility
from parcours.assistance.services import (
    attendance_record,
    load_demo_schemes,
    payment_reverse,
    scheme_version_create,
    version_in_force,
)
from parcours.core.errors import Conflict, ValidationFailed
from parcours.people.services import household_add

from .conftest import day


def evaluation(person, code, on):
    return engine.evaluate(version_in_force(Scheme.objects.get(code=code), day(on)), person, day(on))


def add_child(world, person, birth_date, relationship="child"):
    household_add(by=world.user("caseworker.kayes"), person_id=person.pk,
                  data={"relationship": relationship, "given_name": "Awa", "sex": "F", "birth_date": birth_date})


def test_given_demo_schemes_when_loaded_twice_then_nothing_changes(schemes):
    before = list(SchemeVersion.objects.values_list("pk", flat=True))
    assert load_demo_schemes()["schemes_created"] == 0
    assert list(SchemeVersion.objects.values_list("pk", flat=True)) == before
    assert set(Scheme.objects.values_list("code", flat=True)) == {
        "arrival_allowance", "training_allowance", "business_kit", "cash_grant"}


# Cash grant: household amounts at the 13/14/18/19 boundaries, on the evaluation date.
# "child aged 14–18" includes an 18-year-old; "adult" is 19 or older; "13 or under" includes 13.
# The returnee is the first adult (300 000); each household member counts by age.
@pytest.mark.parametrize("birth_date, on, amount", [
    ("2010-06-15", "2024-06-14", 300_000 + 100_000),  # 13 the day before the 14th birthday
    ("2010-06-15", "2024-06-15", 300_000 + 200_000),  # 14 on the birthday
    ("2006-06-15", "2024-06-14", 300_000 + 200_000),  # 17, the day before 18
    ("2006-06-15", "2024-06-15", 300_000 + 200_000),  # 18 on the birthday: still a child of 14–18
    ("2005-06-15", "2024-06-14", 300_000 + 200_000),  # 18 the day before 19
    ("2005-06-15", "2024-06-15", 300_000 + 300_000),  # 19: an adult
    ("2024-01-01", "2024-06-15", 300_000 + 100_000),  # a baby (0)
])
def test_given_household_member_age_when_evaluating_cash_grant_then_amount_follows_age_on_that_date(
        world, returnee, birth_date, on, amount):
    person = returnee(return_date="2019-09-01")
    add_child(world, person, birth_date)
    result = evaluation(person, "cash_grant", on)
    assert result.eligible
    assert result.amount_xof == amount


def test_given_full_household_when_evaluating_cash_grant_then_per_member_amounts_add_up(world, returnee):
    person = returnee(return_date="2020-02-01")
    add_child(world, person, "1992-01-01", relationship="spouse")  # adult
    add_child(world, person, "2008-01-01")  # 16
    add_child(world, person, "2015-01-01")  # 9
    add_child(world, person, "2017-01-01")  # 7
    assert evaluation(person, "cash_grant", "2024-06-15").amount_xof == 300_000 * 2 + 200_000 + 100_000 * 2


@pytest.mark.parametrize("return_date, eligible", [("2019-06-30", False), ("2019-07-01", True)])
def test_given_return_date_around_1_july_2019_when_evaluating_cash_grant_then_cutoff_applies(
        returnee, return_date, eligible):
    person = returnee(return_date=return_date)
    result = evaluation(person, "cash_grant", "2024-06-15")
    assert result.eligible is eligible
    assert result.amount_xof == (300_000 if eligible else 0)


def test_given_arrival_allowance_paid_when_evaluating_cash_grant_then_still_eligible(returnee, pay):
    person = returnee(return_date="2020-01-10")
    pay(person, "arrival_allowance", paid_on="2020-01-10")
    assert evaluation(person, "cash_grant", "2024-06-15").eligible


def test_given_prior_reintegration_assistance_when_evaluating_cash_grant_then_not_eligible(returnee, pay):
    person = returnee(return_date="2020-01-10")
    pay(person, "business_kit", paid_on="2020-03-01")
    with translation.override("en"):
        result = evaluation(person, "cash_grant", "2024-06-15")
    assert not result.eligible
    assert result.amount_xof == 0
    assert any(r.startswith("Not met: No reintegration assistance") for r in result.reasons)


def test_given_reintegration_reversed_when_evaluating_cash_grant_then_eligible_again(world, returnee, pay):
    person = returnee(return_date="2020-01-10")
    entry = pay(person, "business_kit", paid_on="2020-03-01")
    payment_reverse(by=world.user("caseworker.kayes"), entry_id=entry.pk, data={"reason": "wrong person"})
    assert evaluation(person, "cash_grant", "2024-06-15").eligible


def test_given_cash_grant_paid_when_evaluating_training_then_later_assistance_still_possible(
        world, returnee, pay, enrolled):
    person = returnee(return_date="2020-01-10")
    pay(person, "cash_grant", paid_on="2020-02-01", channel="cheque", id_document_type="laissez_passer",
        id_document_number="LP 123")
    enrolled(person)
    attendance_record(by=world.user("caseworker.kayes"), person_id=person.pk, data={"month": "2024-04", "days": 5})
    entry = pay(person, "training_allowance", paid_on="2024-05-02", period="2024-04")
    assert entry.amount_xof == 45_000 + 5 * 1_500
    assert not evaluation(person, "cash_grant", "2024-06-15").eligible  # the grant itself counts, once


def test_given_cash_grant_when_paid_in_cash_or_without_document_then_refused_and_nothing_written(returnee, pay):
    person = returnee(return_date="2020-01-10")
    with pytest.raises(ValidationFailed) as exc:
        pay(person, "cash_grant", paid_on="2024-05-02", channel="cash")
    assert "channel" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        pay(person, "cash_grant", paid_on="2024-05-02", channel="cheque")
    assert {"id_document_type", "id_document_number"} <= set(exc.value.fields)
    assert not LedgerEntry.objects.exists()


def test_given_cheque_with_document_checked_when_paid_then_document_recorded(returnee, pay):
    entry = pay(returnee(), "cash_grant", channel="cheque", id_document_type="laissez_passer",
                id_document_number="lp 4567")
    assert (entry.amount_xof, entry.id_document_type, entry.id_document_number) == (300_000, "laissez_passer",
                                                                                   "LP4567")


def test_given_attendance_when_paying_training_allowance_then_45000_per_month_plus_1500_per_day(
        world, returnee, pay, enrolled):
    person = returnee()
    enrolled(person)
    caseworker = world.user("caseworker.kayes")
    attendance_record(by=caseworker, person_id=person.pk, data={"month": "2024-03", "days": 20})
    attendance_record(by=caseworker, person_id=person.pk, data={"month": "2024-04", "days": 0})
    assert pay(person, "training_allowance", period="2024-03").amount_xof == 45_000 + 20 * 1_500
    with pytest.raises(ValidationFailed) as exc:  # no attendance in April: not eligible that month
        pay(person, "training_allowance", period="2024-04")
    assert "scheme" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:  # March again: one allowance per month
        pay(person, "training_allowance", period="2024-03", paid_on="2024-05-03")
    assert "tranche" in exc.value.fields
    assert LedgerEntry.objects.count() == 1


def test_given_wrong_amount_when_paying_then_refused_naming_amount(returnee, pay):
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        pay(returnee(), "arrival_allowance", amount_xof=60_000)
    assert exc.value.fields["amount_xof"] == ["The scheme gives 52,000 XOF for this tranche."]
    assert not LedgerEntry.objects.exists()


def test_given_ineligible_person_when_paying_then_refused_naming_scheme(returnee, pay):
    person = returnee(return_date="2019-06-30")
    with pytest.raises(ValidationFailed) as exc:
        pay(person, "cash_grant", channel="cheque", id_document_type="nina", id_document_number="123")
    assert "scheme" in exc.value.fields
    assert not LedgerEntry.objects.exists()


def test_given_business_kit_when_tranche_2_before_verification_then_refused_and_after_accepted(
        returnee, pay, visit):
    person = returnee()
    with pytest.raises(ValidationFailed) as exc:  # tranche 2 before tranche 1
        pay(person, "business_kit", tranche=2)
    assert "tranche" in exc.value.fields
    first = pay(person, "business_kit", tranche=1, paid_on="2024-05-02")
    assert first.amount_xof == 210_000
    with pytest.raises(ValidationFailed) as exc:  # no visit yet
        pay(person, "business_kit", tranche=2, paid_on="2024-06-10")
    assert "tranche" in exc.value.fields
    visit(person, visited_on="2024-06-01", outcome="not_verified")
    with pytest.raises(ValidationFailed):  # a visit that did not verify releases nothing
        pay(person, "business_kit", tranche=2, paid_on="2024-06-10")
    visit(person, visited_on="2024-06-05", outcome="verified")
    with pytest.raises(ValidationFailed):  # paid on a date before the verifying visit
        pay(person, "business_kit", tranche=2, paid_on="2024-06-04")
    second = pay(person, "business_kit", tranche=2, paid_on="2024-06-10")
    assert second.amount_xof == 90_000


def test_given_visit_before_any_payment_when_recorded_then_refused(returnee, visit):
    with pytest.raises(ValidationFailed) as exc:
        visit(returnee())
    assert "tranche" in exc.value.fields
    assert not VerificationVisit.objects.exists()


def test_given_paid_tranche_when_paid_again_then_refused_and_reversal_frees_the_slot(world, returnee, pay):
    person = returnee()
    first = pay(person, "business_kit")
    with pytest.raises(ValidationFailed) as exc:
        pay(person, "business_kit")
    assert "tranche" in exc.value.fields
    reversal = payment_reverse(by=world.user("caseworker.kayes"), entry_id=first.pk, data={"reason": "typo"}).entry
    assert reversal.amount_xof == -210_000 and reversal.reversal_of_id == first.pk
    again = pay(person, "business_kit", paid_on="2024-05-03")
    assert again.replaces_id == reversal.pk
    first.refresh_from_db()
    assert first.amount_xof == 210_000  # the original is never edited
    with pytest.raises(ValidationFailed):  # a reversal cannot be reversed, nor a payment twice
        payment_reverse(by=world.user("caseworker.kayes"), entry_id=first.pk, data={"reason": "again"})


def test_given_live_slot_when_raw_duplicate_inserted_then_database_refuses(world, returnee, pay):
    person = returnee()
    first = pay(person, "business_kit")
    duplicate = LedgerEntry(person=person, scheme=first.scheme, version=first.version, tranche=1, period="",
                            amount_xof=210_000, paid_on=first.paid_on, channel="cash",
                            recorded_by=world.user("admin"))
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    reversal = payment_reverse(by=world.user("caseworker.kayes"), entry_id=first.pk, data={"reason": "x"}).entry
    second = LedgerEntry(person=person, scheme=first.scheme, version=first.version, tranche=1, period="",
                         amount_xof=210_000, paid_on=first.paid_on, channel="cash", replaces=reversal,
                         recorded_by=world.user("admin"))
    second.save()  # the reversal freed the slot
    third = LedgerEntry(person=person, scheme=first.scheme, version=first.version, tranche=1, period="",
                        amount_xof=210_000, paid_on=first.paid_on, channel="cash", replaces=reversal,
                        recorded_by=world.user("admin"))
    with pytest.raises(IntegrityError), transaction.atomic():
        third.save()  # one reversal frees one slot only
    double_reversal = LedgerEntry(kind="reversal", person=person, scheme=first.scheme, version=first.version,
                                  tranche=1, amount_xof=-210_000, paid_on=first.paid_on, channel="cash",
                                  reversal_of=first, recorded_by=world.user("admin"))
    with pytest.raises(IntegrityError), transaction.atomic():
        double_reversal.save()


def test_given_a_concurrent_winner_when_insert_collides_then_conflict_not_double_payment(
        world, returnee, pay, monkeypatch):
    """Simulates the race: the service's own check passes, then the database refuses the insert."""
    from parcours.assistance import services

    person = returnee()
    pay(person, "arrival_allowance")
    original = LedgerEntry.objects.filter
    calls = {"n": 0}

    def blind_filter(*args, **kwargs):  # hide the live payment from the service's pre-check
        calls["n"] += 1
        if kwargs.get("reversed_by__isnull") and kwargs.get("tranche") == 1:
            return original(pk=None)
        return original(*args, **kwargs)

    monkeypatch.setattr(services.LedgerEntry.objects, "filter", blind_filter)
    monkeypatch.setattr(services.engine, "evaluate", _eligible_evaluation(services.engine.evaluate))
    with pytest.raises(Conflict):
        pay(person, "arrival_allowance", paid_on="2024-05-03")
    monkeypatch.undo()
    assert LedgerEntry.objects.filter(person=person).count() == 1


def _eligible_evaluation(real):
    def evaluate(version, person, on, **kwargs):
        result = real(version, person, on, **kwargs)
        result.eligible = True
        for t in result.tranches:
            t.paid_entry = None
            t.amount_xof = 52_000
        return result

    return evaluate


def test_given_same_idempotency_key_when_payment_retried_then_first_entry_returned(world, returnee):
    from parcours.assistance.services import payment_record

    person = returnee()
    data = {"scheme": "arrival_allowance", "paid_on": "2024-05-02", "channel": "cash", "proof_reference": "R"}
    first = payment_record(by=world.user("caseworker.kayes"), person_id=person.pk, data=data, idempotency_key="k-1")
    retry = payment_record(by=world.user("caseworker.kayes"), person_id=person.pk, data=data, idempotency_key="k-1")
    assert retry.replayed and retry.entry.pk == first.entry.pk
    assert LedgerEntry.objects.count() == 1


def test_given_admin_edit_when_saved_then_new_version_and_old_dates_use_old_version(world, returnee):
    from parcours.assistance.validation import criteria_text, tranches_text

    old = version_in_force(Scheme.objects.get(code="arrival_allowance"), day("2024-01-01"))
    data = {"name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
            "channels": ["cash"], "criteria": criteria_text(old.criteria), "amount": "60000",
            "tranches": tranches_text(old.tranches)}
    new = scheme_version_create(by=world.user("admin"), code="arrival_allowance", data=data)
    old.refresh_from_db()
    assert (new.number, str(old.valid_to)) == (2, "2024-12-31")
    person = returnee()
    assert evaluation(person, "arrival_allowance", "2024-12-31").amount_xof == 52_000
    assert evaluation(person, "arrival_allowance", "2025-01-01").amount_xof == 60_000


def test_given_bad_rule_when_admin_saves_then_field_named_and_no_version(world, schemes):
    from parcours.core.errors import Forbidden

    data = {"name_fr": "x", "name_en": "x", "valid_from": "2025-01-01", "period": "once", "channels": ["cash"],
            "criteria": "age.__class__ | a | b", "amount": "__import__('os')", "tranches": "60 | True\n30 | True"}
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        scheme_version_create(by=world.user("admin"), code="cash_grant", data=data)
    assert exc.value.fields["criteria"] == ["Line 1: “.” is not allowed in a rule."]
    assert "Unknown name" in exc.value.fields["amount"][0]
    assert "100" in exc.value.fields["tranches"][0]
    assert SchemeVersion.objects.filter(scheme__code="cash_grant").count() == 1
    with pytest.raises(Forbidden):
        scheme_version_create(by=world.user("caseworker.kayes"), code="cash_grant", data=data)


def test_given_people_when_counting_eligible_then_scoped_and_batched(world, returnee, pay,
                                                                     django_assert_max_num_queries):
    for _ in range(4):
        returnee(return_date="2020-01-10")
    returnee(return_date="2019-01-10")
    paid = returnee(return_date="2020-01-10")
    pay(paid, "business_kit", paid_on="2020-02-01")
    version = version_in_force(Scheme.objects.get(code="cash_grant"), day("2024-06-15"))
    with django_assert_max_num_queries(12):
        result = eligible_count(world.user("admin"), version, day("2024-06-15"))
    assert (result.eligible, result.total, result.amount_xof) == (4, 6, 1_200_000)
    assert eligible_count(world.user("reception.bamako"), version, day("2024-06-15")).total == 0


def test_given_person_when_listing_eligibility_then_one_item_per_scheme_in_force(returnee):
    person = returnee()
    codes = [e.scheme.code for e in person_eligibility(person, day("2019-08-01"))]
    assert codes == ["arrival_allowance", "business_kit", "training_allowance"]  # cash grant from 1/9/2019


def test_given_duplicate_paid_then_merged_when_paying_survivor_then_counts_as_same_person(
        world, returnee, pay, api_client):
    """Fraud: the same person registered twice must not be paid twice once the records are merged."""
    from parcours.people.models import Person

    duplicate, survivor = returnee(return_date="2020-01-10"), returnee(return_date="2020-01-10")
    pay(duplicate, "business_kit", paid_on="2020-03-01")
    Person.objects.filter(pk=duplicate.pk).update(merged_into=survivor)
    assert not evaluation(survivor, "cash_grant", "2024-06-15").eligible
    with pytest.raises(ValidationFailed) as exc:
        pay(survivor, "business_kit")
    assert "tranche" in exc.value.fields
    body = api_client("caseworker.kayes").get(f"/api/v1/assistance/ledger?person={survivor.pk}").json()
    assert body["count"] == 1
    version = version_in_force(Scheme.objects.get(code="cash_grant"), day("2024-06-15"))
    assert eligible_count(world.user("admin"), version, day("2024-06-15")).eligible == 0


GOOD = {"name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
        "channels": ["cash"], "criteria": "return_date != None | Rentré | Returned", "amount": "52000",
        "tranches": "100 | True"}


@pytest.mark.parametrize(("field", "text", "says"), [
    ("criteria", "return_date != None and return_date >= date(2020, 2, 30) | a | b", "date(2020, 2, 30)"),
    ("criteria", "age >= 18 and household_size // 0 > 1 | a | b", "divides by zero"),
    ("criteria", "age > 18 and sex > 3 | a | b", "sample person"),
    ("tranches", "100 | first_tranche_verified or 1 % (2 - 2) == 0", "divides by zero"),
    ("amount", "-52000", "-52000"),
    ("amount", "52000 - 100000 * household_size", "between 0"),
    ("amount", "999999999999", "between 0"),
    ("amount", "45000 * training_days_attended * 100000", "between 0"),
    ("amount", "age >= 18", "whole number"),
    ("amount", "date(2019, 13, 1)", "not a date"),
])
def test_a_rule_that_can_never_evaluate_is_refused_on_save_naming_the_field(world, schemes, field, text, says):
    """Issue 8, finding 7: rules that could never evaluate (an impossible date, a division by zero,
    comparing text with a number) or amounts that are negative or absurd were accepted on save."""
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        scheme_version_create(by=world.user("admin"), code="arrival_allowance", data={**GOOD, field: text})
    assert list(exc.value.fields) == [field], exc.value.fields
    assert says in exc.value.fields[field][0], exc.value.fields[field]
    with translation.override("fr"), pytest.raises(ValidationFailed) as french:
        scheme_version_create(by=world.user("admin"), code="arrival_allowance", data={**GOOD, field: text})
    assert french.value.fields[field][0] != exc.value.fields[field][0]
    assert SchemeVersion.objects.filter(scheme__code="arrival_allowance").count() == 1


def test_the_same_refusal_over_the_api(world, schemes, api_client):
    body = {"name_fr": "Pécule", "name_en": "Arrival allowance", "valid_from": "2025-01-01", "period": "once",
            "channels": ["cash"], "criteria": [{"rule": "return_date >= date(2020, 2, 30)"}], "amount": "52000",
            "tranches": [{"share": 100, "condition": "True"}]}
    answer = api_client("admin", language="en").post("/api/v1/assistance/schemes/arrival_allowance/versions", body,
                                                      content_type="application/json")
    assert answer.status_code == 400 and "criteria" in answer.json()["error"]["fields"], answer.content
    assert SchemeVersion.objects.filter(scheme__code="arrival_allowance").count() == 1


def test_sound_rules_still_save(world, schemes):
    from parcours.assistance.services import load_demo_schemes  # noqa: F401 - the demo schemes passed the same checks

    data = {**GOOD, "criteria": "return_date != None and return_date >= date(2019, 7, 1) | a | b\n"
                                "age == None or age >= 18 | c | d",
            "amount": "300000 + 100000 * count_ages(household_ages, 0, 13) + 1500 * training_days_attended // 2"}
    assert scheme_version_create(by=world.user("admin"), code="arrival_allowance", data=data).number == 2

"""Payment checks the registry: a possible duplicate that already received the scheme stops the payment."""

import pytest

from parcours.core.errors import ValidationFailed


@pytest.fixture
def two_records(returnee):
    from parcours.dedup.services import pair_suggest

    a = returnee(given_name="Modibo", family_name="Diara", phone="+22376123456")
    b = returnee(given_name="Modibo", family_name="Diarra", phone="76 12 34 56")
    pair = pair_suggest(person_a_id=a.pk, person_b_id=b.pk, score=0.99, reasons=[], source="registration")
    return a, b, pair


def test_given_duplicate_already_paid_when_paying_the_other_then_refused_naming_it(two_records, pay):
    a, b, pair = two_records
    pay(a, "business_kit")
    with pytest.raises(ValidationFailed) as refused:
        pay(b, "business_kit")
    message = refused.value.fields["scheme"][0]
    assert "Modibo Diara" in message  # the other record is named
    # A case worker cannot wave it through, even saying they are two people.
    with pytest.raises(ValidationFailed):
        pay(b, "business_kit", distinct_people_confirmed=True)
    pair.refresh_from_db()
    assert pair.status == "pending"


def test_given_reviewer_confirms_two_people_when_paying_then_paid_and_pair_rejected(two_records, pay):
    a, b, pair = two_records
    pay(a, "business_kit")
    entry = pay(b, "business_kit", by="admin", distinct_people_confirmed=True)
    assert entry.person_id == b.pk
    pair.refresh_from_db()
    assert pair.status == "rejected"


def test_given_duplicate_not_paid_or_rejected_when_paying_then_no_obstacle(two_records, pay, world):
    from parcours.dedup.services import pair_review

    a, b, pair = two_records
    pay(b, "business_kit")  # the other record has received nothing yet
    pair_review(by=world.user("admin"), pair_id=pair.pk, decision="reject")
    assert pay(a, "business_kit").person_id == a.pk

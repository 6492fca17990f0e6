import pytest

from parcours.assistance.services import payment_reverse
from parcours.assistance.tests.conftest import pay, returnee, schemes  # noqa: F401 - shared fixtures
from parcours.dedup.services import pair_suggest, persons_merge


@pytest.fixture
def logframe(world):
    from parcours.logframe.services import logframe_load

    return logframe_load()


@pytest.fixture
def paid_world(world, logframe, returnee, pay, make_person):  # noqa: F811 - fixtures imported above
    a = returnee(given_name="Adama", returned_from="LY")
    b = returnee(given_name="Bintou", sex="F", returned_from="FR")
    c = returnee(given_name="Cheick", returned_from="LY")
    d = returnee(given_name="Dramane", returned_from="LY")
    e = returnee(given_name="Adama", family_name="Traore", returned_from="LY")  # the same man as A
    f = returnee(given_name="Fousseyni", returned_from="LY")
    h = make_person(by="caseworker.ajdm", given_name="Hawa", sex="F", origin_region="District de Bamako",
                    return_date="2020-02-01", birth_year="1995", returned_from="DZ")
    pay(a, "business_kit", paid_on="2024-05-02")
    pay(b, "cash_grant", paid_on="2024-03-01", channel="cheque", id_document_type="laissez_passer",
        id_document_number="LP1")
    pay(c, "arrival_allowance", paid_on="2024-02-01")
    reversed_entry = pay(d, "business_kit", paid_on="2024-04-01")
    payment_reverse(by=world.user("caseworker.kayes"), entry_id=reversed_entry.pk, data={"reason": "wrong person"})
    pay(e, "cash_grant", paid_on="2024-06-01", channel="cheque", id_document_type="laissez_passer",
        id_document_number="LP2")
    pay(f, "business_kit", paid_on="2023-12-20")
    pay(h, "business_kit", paid_on="2024-05-05", by="caseworker.ajdm")
    pair = pair_suggest(person_a_id=a.pk, person_b_id=e.pk, score=0.97, reasons=[], source="test")
    persons_merge(by=world.user("me.iom"), pair_id=pair.pk, survivor_id=a.pk)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "h": h}

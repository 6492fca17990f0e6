import datetime as dt

import pytest


@pytest.fixture
def schemes(world):
    from parcours.assistance.services import load_demo_schemes

    load_demo_schemes()


@pytest.fixture
def returnee(make_person, schemes):
    """A returnee registered in Kayes by the IOM case worker there (invisible to Bamako reception)."""

    def make(return_date="2020-01-10", by="caseworker.kayes", **fields):
        return make_person(by=by, origin_region="Kayes", return_date=return_date, birth_date="1990-03-01", birth_year="1990",
                           **fields)

    return make


@pytest.fixture
def pay(world):
    from parcours.assistance.services import payment_record

    def do(person, scheme, *, by="caseworker.kayes", tranche=1, paid_on="2024-05-02", channel="cash", **extra):
        data = {"scheme": scheme, "tranche": tranche, "paid_on": paid_on, "channel": channel,
                "proof_reference": "REC-1", **extra}
        return payment_record(by=world.user(by), person_id=person.pk, data=data).entry

    return do


@pytest.fixture
def visit(world):
    from parcours.assistance.services import visit_record

    def do(person, *, scheme="business_kit", visited_on="2024-06-01", outcome="verified", by="caseworker.kayes"):
        return visit_record(by=world.user(by), person_id=person.pk, data={
            "scheme": scheme, "tranche": 1, "visited_on": visited_on, "visitor": "Fatoumata Diallo",
            "outcome": outcome}).entry

    return do


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)

"""Fixtures of the centre tests: the demo centres, a migrant registered at the Gao centre."""

import datetime as dt

import pytest


@pytest.fixture
def centres(world):
    from parcours.centres.demo import centres, load_demo_centres

    load_demo_centres()
    return centres()


@pytest.fixture
def gao(centres):
    return centres["GAO-PC"]


@pytest.fixture
def migrant(make_person):
    """A foreign migrant registered by the Gao Civil Protection centre (so its agency sees them)."""

    def make(**fields):
        data = {"given_name": "Mamadou", "family_name": "Camara", "nationality": "GN", "sex": "M",
                "birth_year": "1998", **fields}
        return make_person(by="centre.gao", **data)

    return make


@pytest.fixture
def admit(world, gao):
    from parcours.centres.services import stay_begin

    def go(person, entered_on=None, centre=None, by="centre.gao", **data):
        return stay_begin(by=world.user(by), centre_code=(centre or gao).code, person_id=person.pk,
                          data={"entered_on": entered_on or dt.date.today(), **data})

    return go

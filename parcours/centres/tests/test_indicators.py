"""The logframe's centre indicators against values counted by hand: OS1.avr (distinct foreign
migrants whose assisted return departed), OS1.centres_functional (centres with a stay begun) and
the stays in OS1.assisted — through the real services, every event recorded today for its own
earlier date, one migrant registered twice and merged, one departure before the period, and a
reader whose place holds none of it."""

import datetime as dt

import pytest

from parcours.centres import services
from parcours.dedup.services import pair_suggest, persons_merge
from parcours.logframe.selectors import results_for

pytestmark = pytest.mark.django_db
YEAR_2024 = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31)}


@pytest.fixture
def logframe(world):
    from parcours.logframe.services import logframe_load

    return logframe_load()


def _goes_home(world, person, *, asked: dt.date, country: str):
    by = world.user("centre.gao")
    request = services.return_request_open(by=by, person_id=person.pk,
                                           data={"requested_on": asked, "destination": country})
    services.return_consent_record(by=by, request_id=request.pk,
                                   data={"consent_to_return": "true", "given_on": asked + dt.timedelta(days=1)})
    services.return_document_record(by=by, request_id=request.pk, data={
        "type": "laissez_passer", "number": f"LP{person.pk.hex[:6]}", "issued_on": asked + dt.timedelta(days=3),
        "expires_on": asked + dt.timedelta(days=180)})
    day = asked + dt.timedelta(days=8)
    departure = services.departure_plan(by=by, data={"planned_on": day, "destination": country, "mode": "bus"})
    services.passenger_add(by=by, departure_id=departure.pk, person_id=person.pk, consent_to_return=True)
    services.departure_depart(by=by, departure_id=departure.pk, data={"departed_on": day})


@pytest.fixture
def centre_world(world, logframe, centres, admit, migrant):
    awa = migrant(given_name="Awa", sex="F")
    awa_again = migrant(given_name="Awa", family_name="Kamara", sex="F")  # the same woman, registered twice
    koffi = migrant(given_name="Koffi", family_name="Yao", nationality="CI")
    moussa = migrant(given_name="Moussa", family_name="Maïga", nationality="ML")
    admit(awa, entered_on=dt.date(2024, 3, 1))
    admit(awa_again, entered_on=dt.date(2024, 1, 15), centre=centres["GAO-CRG"], by="admin")
    admit(koffi, entered_on=dt.date(2023, 12, 1))
    admit(moussa, entered_on=dt.date(2024, 6, 1))
    _goes_home(world, awa, asked=dt.date(2024, 3, 2), country="GN")
    _goes_home(world, koffi, asked=dt.date(2023, 12, 2), country="CI")
    pair = pair_suggest(person_a_id=awa.pk, person_b_id=awa_again.pk, score=0.97, reasons=[], source="test")
    persons_merge(by=world.user("me.iom"), pair_id=pair.pk, survivor_id=awa.pk)
    return {"awa": awa, "koffi": koffi, "moussa": moussa}


def _value(user, code, **period):
    return results_for(user, code=code, **period)[0]


def test_centre_indicators_counted_by_hand(world, centre_world):
    me = world.user("me.iom")
    avr = _value(me, "OS1.avr", **YEAR_2024)
    # Awa left in March 2024; Koffi in December 2023; Moussa is Malian (no assisted return from Mali).
    assert avr.value == 1 and avr.disaggregations == {"nationality": {"GN": 1}, "sex": {"F": 1}}
    assert _value(me, "OS1.avr").value == 2  # the whole action up to today
    # GAO-PC (Awa, Moussa) and GAO-CRG (Awa's second record) had a stay begun in 2024.
    assert _value(me, "OS1.centres_functional", **YEAR_2024).value == 2
    assert _value(me, "OS1.centres_functional", start=dt.date(2023, 12, 1), end=dt.date(2023, 12, 31)).value == 1
    # Awa once though she stayed under two records (first stay: 15 January, as the second record), Moussa.
    assisted = _value(me, "OS1.assisted", **YEAR_2024)
    assert assisted.value == 2
    assert assisted.disaggregations["nationality"] == {"GN": 1, "ML": 1}
    assert assisted.disaggregations["sex"] == {"F": 1, "M": 1}


def test_a_reader_of_another_place_counts_none_of_gaos_stays(world, centre_world):
    kayes = world.user("caseworker.kayes")
    for code in ("OS1.avr", "OS1.centres_functional", "OS1.assisted"):
        assert _value(kayes, code, **YEAR_2024).value == 0, code
    assert _value(world.user("centre.gao"), "OS1.avr", **YEAR_2024).value == 1

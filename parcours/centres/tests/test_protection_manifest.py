"""Unaccompanied minors need a best-interest determination before return; manifests in PDF and XLSX."""

import datetime as dt

import pytest

from parcours.centres.services import best_interest_record, departure_plan, passenger_add, tracing_step_record
from parcours.core.errors import Forbidden, ValidationFailed

TODAY = dt.date.today()
DOC = {"type": "laissez_passer", "number": "GN1", "issued_on": TODAY, "expires_on": TODAY + dt.timedelta(days=60)}


def test_unaccompanied_minor_needs_best_interest_before_return(world, gao, migrant, admit, api_client):
    child = migrant(birth_year=str(TODAY.year - 15))
    stay = admit(child, unaccompanied_minor=True)
    gao_user = world.user("centre.gao")
    with pytest.raises(Forbidden):
        tracing_step_record(by=gao_user, stay_id=stay.pk, data={"step": "requested", "on": TODAY})
    tracing_step_record(by=world.user("admin"), stay_id=stay.pk, data={"step": "family_located", "on": TODAY})
    dep = departure_plan(by=gao_user, data={"planned_on": TODAY, "destination": "GN", "mode": "bus"})
    with pytest.raises(ValidationFailed) as exc:
        passenger_add(by=gao_user, departure_id=dep.pk, person_id=child.pk, consent_to_return=True,
                      travel_document=DOC)
    assert "person" in exc.value.fields
    from parcours.centres.services import return_request_open

    req = return_request_open(by=gao_user, person_id=child.pk, data={"requested_on": TODAY, "destination": "GN"})
    best_interest_record(by=world.user("admin"), request_id=req.pk,
                         data={"decided_on": TODAY, "in_best_interest": True})
    seat = passenger_add(by=gao_user, departure_id=dep.pk, person_id=child.pk, consent_to_return=True,
                         travel_document=DOC)
    client = api_client("centre.gao")
    xlsx = client.get(f"/api/v1/avr/departures/{dep.pk}/manifest.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = client.get(f"/api/v1/avr/departures/{dep.pk}/manifest.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert api_client("caseworker.ajdm").get(f"/api/v1/avr/departures/{dep.pk}/manifest.pdf").status_code == 404
    assert seat.status == "booked"

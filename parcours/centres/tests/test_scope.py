"""Another centre's agency gets 404 on every centre endpoint: the Gao Civil Protection centre's
manager, in the same town as the ministry's Gao centre (GAO-CRG), sees nothing of that centre —
not its page, its residents, its stays, its admissions — over the API and on the pages."""

import datetime as dt

import pytest

from parcours.centres.services import stay_begin

TODAY = dt.date.today()
J = "application/json"


@pytest.fixture
def other_stay(world, centres, make_person):
    """A Guinean migrant at the ministry's Gao centre (MMEIA), admitted by the administrator."""
    person = make_person(by="admin", nationality="GN", given_name="Sekou", family_name="Touré")
    return stay_begin(by=world.user("admin"), centre_code="GAO-CRG", person_id=person.pk,
                      data={"entered_on": TODAY, "services": ["food"], "unaccompanied_minor": False})


def test_given_another_agencys_centre_in_the_same_town_then_its_manager_elsewhere_gets_404_on_the_api(
        api_client, other_stay):
    client = api_client("centre.gao")
    stay = other_stay.pk
    assert client.get("/api/v1/centres/GAO-CRG").status_code == 404
    assert client.get("/api/v1/centres/GAO-CRG/stays").status_code == 404
    assert client.post("/api/v1/centres/GAO-CRG/stays", {"person": str(other_stay.person_id),
                       "entered_on": TODAY.isoformat()}, content_type=J).status_code == 404
    assert client.get(f"/api/v1/centres/stays/{stay}").status_code == 404
    assert client.post(f"/api/v1/centres/stays/{stay}/exit", {"left_on": TODAY.isoformat(), "reason": "onward"},
                       content_type=J).status_code == 404
    assert client.post(f"/api/v1/centres/stays/{stay}/services", {"kind": "food", "given_on": TODAY.isoformat()},
                       content_type=J).status_code == 404
    assert client.post(f"/api/v1/centres/stays/{stay}/tracing", {"step": "requested", "on": TODAY.isoformat()},
                       content_type=J).status_code == 404
    assert "GAO-CRG" not in [c["code"] for c in client.get("/api/v1/centres").json()["results"]]
    other_stay.refresh_from_db()
    assert other_stay.left_on is None and other_stay.services_received.count() == 1  # nothing changed
    # The administrator sees it (the stay exists: the 404 is the scope).
    assert api_client("admin").get(f"/api/v1/centres/stays/{stay}").status_code == 200


def test_given_another_agencys_centre_then_its_pages_are_404(web_client, other_stay):
    client = web_client("centre.gao")
    for path in ("/centres/GAO-CRG/", "/centres/GAO-CRG/admit/", f"/centres/stays/{other_stay.pk}/"):
        assert client.get(path).status_code == 404, path
    r = client.post(f"/centres/stays/{other_stay.pk}/", {"action": "exit", "left_on": TODAY.isoformat(),
                                                         "reason": "onward"})
    assert r.status_code == 404
    r = client.post("/centres/GAO-CRG/admit/", {"person": str(other_stay.person_id), "entered_on": TODAY.isoformat()})
    assert r.status_code == 404
    page = client.get("/centres/").content.decode()
    assert other_stay.centre.name not in page and "GAO-CRG" not in page

"""Each role lands on its day's work; pages travel compressed; static files carry hashed names
cached for long in production; the person page carries one list of countries, not one per form."""

import gzip
from pathlib import Path

import pytest

LANDINGS = {
    "caseworker.kayes": "/cases/",
    "caseworker.ajdm": "/cases/",
    "partner.cfpm": "/referrals/inbox/",
    "focal.sikasso": "/sensitization/",
    "me.iom": "/results/",
}


@pytest.mark.parametrize(("username", "landing"), LANDINGS.items())
def test_each_role_lands_on_its_days_work(web_client, username, landing):
    response = web_client(username).get("/")
    assert response.status_code == 302 and response["Location"] == landing
    assert web_client(username).get(landing).status_code == 200


def test_an_enumerator_lands_on_the_count_form_of_their_point(web_client, world):
    from parcours.accounts.models import Place
    from parcours.flows.services import point_upsert

    place = Place.objects.filter(kind="fmp", code="GAO-FMP").first()
    if place is None:
        pytest.skip("no flow monitoring point in the gazetteer")
    point = point_upsert(place=place, roads="RN16")
    point.enumerators.add(world.user("enumerator.gao"))
    response = web_client("enumerator.gao").get("/")
    assert response["Location"] == f"/flows/{point.code}/count/"


def test_other_roles_land_on_the_first_page_of_their_menu(web_client):
    assert web_client("reception.bamako").get("/")["Location"] == "/people/"


def test_pages_travel_compressed(web_client, make_person):
    for _ in range(3):
        make_person()
    client = web_client("reception.bamako")
    response = client.get("/people/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content)
    assert b"</html>" in html and len(response.content) < len(html) / 2
    assert "Accept-Encoding" in response["Vary"]
    api = client.get("/api/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert api.get("Content-Encoding") == "gzip"


def test_production_serves_static_files_under_hashed_names_compressed():
    text = (Path(__file__).resolve().parents[2] / "settings" / "production.py").read_text()
    assert "whitenoise.storage.CompressedManifestStaticFilesStorage" in text
    from django.conf import settings

    assert "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE


def test_static_files_travel_compressed_without_collectstatic_too(client):
    response = client.get("/static/parcours/parcours.css", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200 and response.get("Content-Encoding") == "gzip"


def test_the_person_page_carries_one_list_of_countries(web_client, make_person):
    from parcours.people.models import MigrationHistory

    person = make_person(by="reception.bamako")
    client = web_client("reception.bamako")
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert html.count('<datalist id="countries">') == 1 and html.count("Libye") == 1
    assert 'name="destination_country"' in html and 'name="issuing_country"' in html
    assert len(html.encode()) < 25_000
    response = client.post(f"/people/{person.pk}/migrations/", {"destination_country": "libye", "route": "Gao"})
    assert response.status_code == 302
    assert MigrationHistory.objects.get(person=person).destination_country == "LY"

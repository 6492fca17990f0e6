"""The gazetteer: P-codes, alternate names, suggestions, and names it does not know."""

import pytest

from parcours.people.models import Person
from parcours.places.models import UnresolvedPlace
from parcours.places.selectors import resolve_place, suggest_places, unresolved_places
from parcours.places.services import gazetteer_load, unresolved_place_confirm

pytestmark = pytest.mark.django_db

NIORO = {"given_name": "Bakary", "family_name": "Sissoko", "sex": "M", "birth_year": 1990, "origin_region": "Kayes"}


def test_places_answer_to_their_common_names_and_p_codes(world):
    nioro = world.places["KAY-NIO"]
    assert nioro.pcode == "ML0106"
    assert resolve_place("Nioro", kind="cercle") == nioro
    assert resolve_place("NIORO DU SAHEL", kind="cercle") == nioro
    assert resolve_place("ML0106") == nioro
    assert resolve_place("District de Bamako", kind="region") == resolve_place("bamako", kind="region")
    assert resolve_place("Timbuktu", kind="region") == world.places["TOM"]


def test_loading_twice_changes_nothing(world):
    from parcours.accounts.models import Place
    from parcours.places.models import PlaceName

    before = (Place.objects.count(), PlaceName.objects.count())
    gazetteer_load()
    assert (Place.objects.count(), PlaceName.objects.count()) == before


def test_a_miss_suggests_the_closest_names(world):
    assert world.places["KAY-NIO"] in suggest_places("Nyoro du Sahel", kind="cercle")
    assert suggest_places("", kind="cercle") == []


def test_registering_from_nioro_works_over_the_api(api_client):
    response = api_client("reception.bamako").post("/api/v1/people", {**NIORO, "origin_cercle": "Nioro"},
                                                   content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin_cercle"] == "Nioro du Sahel" and body["warnings"] == []


@pytest.mark.parametrize(("language", "words"), [("fr", "conservé tel quel"), ("en", "kept as written")])
def test_an_unknown_place_never_blocks_and_is_listed_for_cleaning(api_client, language, words):
    response = api_client("reception.bamako", language=language).post(
        "/api/v1/people", {**NIORO, "origin_cercle": "Nyoro-Sahel"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin_region"] == "Kayes" and body["origin_cercle"] == ""
    assert body["origin_as_written"] == "cercle: Nyoro-Sahel"
    assert len(body["warnings"]) == 1 and words in body["warnings"][0] and "Nioro du Sahel" in body["warnings"][0]
    note = unresolved_places().get()
    assert (note.kind, note.text, note.uses) == ("cercle", "Nyoro-Sahel", 1)


def test_a_cleaner_confirms_a_name_and_the_next_record_resolves(world, api_client):
    client = api_client("reception.bamako")
    client.post("/api/v1/people", {**NIORO, "origin_cercle": "Nyoro-Sahel"}, content_type="application/json")
    note = UnresolvedPlace.objects.get()
    from parcours.core.errors import Forbidden

    with pytest.raises(Forbidden):
        unresolved_place_confirm(by=world.user("reception.bamako"), note_id=note.pk, place=world.places["KAY-NIO"])
    unresolved_place_confirm(by=world.user("me.iom"), note_id=note.pk, place=world.places["KAY-NIO"])
    again = client.post("/api/v1/people", {**NIORO, "given_name": "Sekou", "origin_cercle": "Nyoro-Sahel"},
                        content_type="application/json").json()
    assert again["origin_cercle"] == "Nioro du Sahel" and again["warnings"] == []
    assert Person.objects.count() == 2


def test_the_cleaning_page_is_for_cleaners_only(world, api_client, web_client):
    api_client("reception.bamako").post("/api/v1/people", {**NIORO, "origin_cercle": "Nyoro-Sahel"},
                                        content_type="application/json")
    page = web_client("me.iom").get("/places/to-confirm/")
    assert page.status_code == 200 and "Nyoro-Sahel" in page.content.decode()
    for username in ("reception.bamako", "partner.cfpm", "manager.eu"):
        assert web_client(username).get("/places/to-confirm/").status_code == 404
    note = UnresolvedPlace.objects.get()
    assert web_client("caseworker.kayes").post(f"/places/to-confirm/{note.pk}/confirm",
                                               {"place": world.places["KAY-NIO"].pk}).status_code == 404
    assert web_client("me.iom").post(f"/places/to-confirm/{note.pk}/confirm",
                                     {"place": world.places["KAY-NIO"].pk}).status_code == 302
    note.refresh_from_db()
    assert note.resolved_to == world.places["KAY-NIO"]

"""Light on 3G: the registration and edit pages carry one list of country names shared by their
country fields (typed by name, in the page's language), not two 250-option menus."""

import gzip

from parcours.people.models import Person


def test_the_registration_page_carries_one_country_list(web_client):
    page = web_client("reception.bamako").get("/people/register/", HTTP_ACCEPT_ENCODING="identity")
    html = page.content.decode()
    assert html.count('<datalist id="countries">') == 1 and html.count('list="countries"') == 2
    assert html.count('<option value="Mali">') == 1 and "<select name=\"nationality\"" not in html
    assert 'value="Mali"' in html.split('name="nationality"', 1)[1].split(">", 1)[0]  # Malian unless said
    # 29 229 bytes before (two menus of 250 countries), 14 795 after; 4.9 KB → 4.1 KB compressed.
    assert len(page.content) < 17_000 and len(gzip.compress(page.content)) < 4_600


def test_countries_typed_by_name_or_code_register_the_codes_and_the_edit_form_shows_names(web_client):
    client = web_client("reception.bamako")
    response = client.post("/people/register/", {
        "given_name": "Awa", "family_name": "Diarra", "sex": "F", "birth_year": "1990", "nationality": "mali",
        "returned_from": "Côte d’Ivoire", "consent_collection": "on", "form_token": "w-1"})
    assert response.status_code == 302
    person = Person.objects.get(family_name="Diarra")
    assert (person.nationality, person.returned_from) == ("ML", "CI")
    edit = client.get(f"/people/{person.pk}/edit/").content.decode()
    assert 'value="Côte d&#x27;Ivoire"' in edit.split('name="returned_from"', 1)[1].split(">", 1)[0]
    bad = client.post("/people/register/", {
        "given_name": "Awa", "family_name": "Konaté", "sex": "F", "birth_year": "1990", "returned_from": "Atlantide",
        "consent_collection": "on", "form_token": "w-2"})
    assert "Pays inconnu" in bad.content.decode() and not Person.objects.filter(family_name="Konaté").exists()
    english = web_client("reception.bamako", "en").post("/people/register/", {
        "given_name": "Ali", "family_name": "Sow", "sex": "M", "birth_year": "1991", "returned_from": "Germany",
        "consent_collection": "on", "form_token": "w-3"})
    assert english.status_code == 302 and Person.objects.get(family_name="Sow").returned_from == "DE"

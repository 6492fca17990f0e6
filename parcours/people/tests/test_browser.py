"""The registration journey in a real browser (Debian's headless Chromium, driven by Playwright):
a reception agent logs in, types a returnee already registered under another spelling, sees the
possible duplicate appear as she types, registers, and finds it flagged on the person's page."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("PARCOURS_SCREENSHOTS", Path(__file__).resolve().parents[3] / "var" / "screenshots"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.fixture
def browser_world(transactional_db):
    from parcours.demo.loader import load_agencies, load_places, load_users
    from parcours.people.services import person_create
    from parcours.people.validation import validate_person

    places, agencies = load_places(), load_agencies()
    users = load_users(places, agencies)
    existing = person_create(by=users["reception.bamako"], cleaned=validate_person({
        "given_name": "Mamadou", "family_name": "Keita", "sex": "M", "birth_year": "1994", "phone": "76123456",
        "origin_region": "Kayes"}))
    return existing


@pytest.fixture
def page(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs beside the live server thread
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"},
                                      viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        # Queries the test made while Playwright's loop ran used a connection of their own (another
        # context): closed here, or it keeps the PostgreSQL test database from being dropped.
        from django.db import connections

        connections.close_all()
        browser.close()


def test_reception_agent_registers_a_returnee_and_sees_the_duplicate(live_server, browser_world, page):
    existing = browser_world
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Nom d'utilisateur").fill("reception.bamako")
    page.get_by_label("Mot de passe").fill("parcours-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Enregistrer une personne").click()
    page.get_by_label("Prénom").fill("Mahamadou")
    page.get_by_label("Nom de famille").fill("Keïta")
    page.get_by_label("Année de naissance").fill("1994")
    page.get_by_label("Téléphone").fill("76 12 34 56")
    panel = page.locator("#candidates")
    panel.get_by_role("link", name="Mamadou Keita").wait_for()
    page.screenshot(path=str(SHOTS / "register-as-you-type.png"), full_page=True)
    page.get_by_label("Sexe").select_option("M")
    page.locator("#id_origin_region").fill("Kayes")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Vérifiez les doublons possibles").wait_for()
    warning = page.locator("section.warn")
    assert warning.get_by_role("link", name="Mamadou Keita").get_attribute("href") == f"/people/{existing.pk}/"
    page.screenshot(path=str(SHOTS / "person-flagged.png"), full_page=True)
    # The page reads in English too.
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Possible duplicates").wait_for()


def test_a_bad_field_is_named_in_french_and_nothing_is_saved(live_server, browser_world, page):
    from parcours.people.models import Person

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Nom d'utilisateur").fill("reception.bamako")
    page.get_by_label("Mot de passe").fill("parcours-demo")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/people/register/")
    page.get_by_label("Nom de famille").fill("Coulibaly")
    page.get_by_label("Téléphone").fill("12")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Ce numéro de téléphone n'existe pas").wait_for()
    page.screenshot(path=str(SHOTS / "register-error.png"), full_page=True)
    assert Person.objects.count() == 1

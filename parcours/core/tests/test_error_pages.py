"""Error pages a user can act on: the app's own page (menu when signed in), in the user's language,
with a way back; the same for a crash; a favicon shipped, so browsers ask for nothing missing."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, override_settings
from django.urls import include, path


def _boom(request):
    raise RuntimeError("the database fell over")


urlpatterns = [path("boom/", _boom), path("", include("parcours.urls"))]
handler404 = "parcours.core.views.not_found"
handler500 = "parcours.core.views.server_error"


def test_an_unknown_address_is_the_app_page_with_the_menu_in_french(web_client):
    client = web_client("caseworker.kayes", language="fr")
    response = client.get("/people/nowhere/", HTTP_REFERER="http://testserver/cases/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body and 'lang="fr"' in body
    assert 'aria-label="Menu principal"' in body and "/cases/" in body  # the menu, and the way back
    assert "Retour à ma page d'accueil" in body and "Retour à la page précédente" in body


def test_the_404_speaks_english_and_never_links_outside(web_client):
    client = web_client("partner.cfpm", language="en")
    response = client.get("/no/such/page/", HTTP_REFERER="https://evil.example/phish")
    body = response.content.decode()
    assert response.status_code == 404 and "Page not found" in body
    assert "evil.example" not in body and "Back to my home page" in body


def test_a_record_outside_the_scope_answers_the_same_page(web_client, make_person):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    response = web_client("partner.cfpm").get(f"/people/{person.pk}/")
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_signed_out_the_404_offers_to_log_in():
    body = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/nothing/").content.decode()
    assert "Page introuvable" in body and "Se connecter" in body and "Menu principal" not in body


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_is_the_app_page_in_the_users_language(web_client):
    client = web_client("reception.bamako", language="fr")
    client.raise_request_exception = False
    response = client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Un problème est survenu" in body and 'aria-label="Menu principal"' in body
    assert "the database fell over" not in body


def test_a_crash_while_drawing_the_page_falls_back_to_a_bare_page(rf, monkeypatch):
    from parcours.core import views

    def broken(*args, **kwargs):
        raise RuntimeError("no database")

    monkeypatch.setattr(views, "render", broken)
    response = views.server_error(rf.get("/x/"))
    assert response.status_code == 500 and b"favicon.svg" in response.content


def test_a_favicon_is_shipped_and_every_page_names_it(web_client):
    assert finders.find("parcours/favicon.svg")
    for page in ("/people/", "/nowhere/"):
        assert 'rel="icon"' in web_client("admin").get(page).content.decode()
    assert Client().get("/static/parcours/favicon.svg").status_code == 200

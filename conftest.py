"""Shared test fixtures: the demo world (places, agencies, users) and a person factory that
goes through the same service as the web and the API."""

import pytest


class World:
    def __init__(self, places, agencies, users):
        self.places, self.agencies, self.users = places, agencies, users

    def user(self, username):
        return self.users[username]


@pytest.fixture
def world(db):
    from parcours.demo.loader import load_agencies, load_places, load_users

    places = load_places()
    agencies = load_agencies()
    users = load_users(places, agencies)
    return World(places, agencies, users)


@pytest.fixture
def make_person(world):
    from parcours.people.services import person_create
    from parcours.people.validation import validate_person

    def make(by="reception.bamako", **fields):
        data = {"given_name": "Mamadou", "family_name": "Traoré", "sex": "M", "birth_year": "1994", **fields}
        return person_create(by=world.user(by), cleaned=validate_person(data))

    return make


@pytest.fixture
def api_client(world):
    """A client that logs in over the API as a demo user: `api_client("reception.bamako")`."""
    from django.test import Client

    def make(username, language="fr"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        response = client.post("/api/v1/auth/token", {"username": username, "password": "parcours-demo"},
                               content_type="application/json")
        assert response.status_code == 200, response.content
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {response.json()['token']}"
        return client

    return make


@pytest.fixture
def web_client(world):
    from django.test import Client

    def make(username, language="fr"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(world.user(username))
        return client

    return make

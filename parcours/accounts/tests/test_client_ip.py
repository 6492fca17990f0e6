"""Issue 8: behind a reverse proxy every client has the proxy's address, so the sign-in throttle
must read X-Forwarded-For — but only as far as proxies are trusted (PARCOURS_TRUSTED_PROXIES): with
none, the header is the attacker's to write, and rotating it must not make them a new client at every
attempt. The audit trail reads the same address (it took the header's first entry as is)."""

import pytest
from django.test import Client, RequestFactory

from parcours.core.client import client_ip

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
PROXY = "10.0.0.2"
SPRAYED = ("reception.bamako", "caseworker.kayes", "me.iom", "centre.gao", "enumerator.gao", "focal.sikasso")


def _request(forwarded=None, remote=PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    settings.PARCOURS_TRUSTED_PROXIES = 0
    assert client_ip(_request("203.0.113.7")) == PROXY
    assert client_ip(_request("203.0.113.7, 198.51.100.1")) == PROXY


def test_each_trusted_proxy_accounts_for_one_address_from_the_right(settings):
    settings.PARCOURS_TRUSTED_PROXIES = 1
    assert client_ip(_request("203.0.113.7")) == "203.0.113.7"
    # Whatever the client wrote itself stands to the left of what our proxy appended.
    assert client_ip(_request("6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7:51000")) == "203.0.113.7"
    assert client_ip(_request("[2001:db8::5]:443")) == "2001:db8::5"
    assert client_ip(_request(None)) == PROXY  # not through the proxy: the connection's address
    assert client_ip(_request("not-an-address")) == PROXY
    settings.PARCOURS_TRUSTED_PROXIES = 2
    assert client_ip(_request("6.6.6.6, 203.0.113.7, 10.0.0.3")) == "203.0.113.7"
    assert client_ip(_request("203.0.113.7")) == PROXY  # fewer hops than proxies: not from them


def _spray(rotate_from: int) -> list[int]:
    """One wrong password for each of several accounts, a new X-Forwarded-For every time."""
    statuses = []
    for i, username in enumerate(SPRAYED):
        client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.51.100.{rotate_from + i}",
                        HTTP_ACCEPT_LANGUAGE="en")
        statuses.append(client.post(TOKEN, {"username": username, "password": "wrong-password"},
                                    content_type="application/json").status_code)
    return statuses


def test_an_attacker_cannot_rotate_addresses_when_no_proxy_is_trusted(world, settings):
    settings.PARCOURS_TRUSTED_PROXIES = 0
    assert _spray(1)[-1] == 429  # one client, slowed down as if the header were not there


def test_behind_a_trusted_proxy_clients_are_told_apart(world, settings):
    settings.PARCOURS_TRUSTED_PROXIES = 1
    assert _spray(1) == [401] * len(SPRAYED)  # six clients, one failure each: nobody slowed down
    # ...and one of them failing repeatedly is slowed down alone, not everyone behind the proxy.
    for _ in range(5):
        last = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").post(
            TOKEN, {"username": "auditor", "password": "wrong-password"}, content_type="application/json")
    assert last.status_code == 429
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.200").post(
        TOKEN, {"username": "manager.eu", "password": "parcours-demo"}, content_type="application/json")
    assert owner.status_code == 200


@pytest.mark.parametrize(("trusted", "forwarded", "logged"), [
    (0, "203.0.113.7", "127.0.0.1"), (0, "not-an-address", "127.0.0.1"), (1, "6.6.6.6, 203.0.113.7", "203.0.113.7")])
def test_the_audit_trail_records_the_same_address(world, settings, api_client, trusted, forwarded, logged):
    from auditlog.models import LogEntry

    from parcours.people.models import Person

    settings.PARCOURS_TRUSTED_PROXIES = trusted
    client = api_client("reception.bamako")
    answer = client.post("/api/v1/people", {"given_name": "Awa", "family_name": "Sangaré", "sex": "F",
                                            "birth_year": 1990}, content_type="application/json",
                         HTTP_X_FORWARDED_FOR=forwarded)
    assert answer.status_code == 201, answer.content
    person = Person.objects.get(pk=answer.json()["id"])
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.CREATE).get()
    assert entry.remote_addr == logged

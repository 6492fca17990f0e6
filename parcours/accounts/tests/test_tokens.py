"""Issue 8, finding 5: API tokens expire, can be revoked by their holder and by the administrator,
and end when the account is locked out, deactivated or its password changes."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"


def _login(username="reception.bamako", password="parcours-demo", client=None):  # noqa: S107 (demo login)
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def _bearer(token):
    return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_says_when_it_expires_and_stops_working_then(world, settings):
    settings.API_TOKEN_LIFETIME_HOURS = 3
    before = timezone.now()
    answer = _login()
    assert answer.status_code == 200
    body = answer.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert before + dt.timedelta(hours=3) <= expires <= timezone.now() + dt.timedelta(hours=3)
    client = _bearer(body["token"])
    assert client.get(PEOPLE).status_code == 200

    from parcours.accounts.models import ApiToken

    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = client.get(PEOPLE)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "unauthenticated"


def test_the_openapi_description_documents_expiry_and_sign_out(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    path = spec["paths"]["/api/v1/auth/token"]
    assert "delete" in path and "post" in path
    assert "expires_at" in spec["components"]["schemas"]["TokenOut"]["properties"]


def test_delete_revokes_only_the_token_used(world):
    first, second = _login().json()["token"], _login().json()["token"]
    one, other = _bearer(first), _bearer(second)
    answer = one.delete("/api/v1/auth/token")
    assert answer.status_code == 204 and answer.content == b""
    assert one.get(PEOPLE).status_code == 401
    assert one.delete("/api/v1/auth/token").status_code == 401
    assert other.get(PEOPLE).status_code == 200


def test_a_new_password_ends_every_token(world):
    client = _bearer(_login().json()["token"])
    user = world.user("reception.bamako")
    user.set_password("another-long-secret-9")
    user.save()
    assert client.get(PEOPLE).status_code == 401
    from parcours.accounts.models import ApiToken

    assert set(ApiToken.objects.filter(user=user).values_list("revoked_reason", flat=True)) == {"password"}


def test_deactivation_ends_every_token_and_reactivation_does_not_revive_them(world):
    client = _bearer(_login().json()["token"])
    user = world.user("reception.bamako")
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert client.get(PEOPLE).status_code == 401


def test_saving_a_user_for_anything_else_keeps_the_tokens(world):
    client = _bearer(_login().json()["token"])
    user = world.user("reception.bamako")
    user.first_name = "Awa"
    user.save()
    _login()  # last_login is saved on every login
    assert client.get(PEOPLE).status_code == 200


def test_a_lockout_ends_every_token_of_the_account(world):
    client = _bearer(_login().json()["token"])
    from .test_throttle import _let_time_pass

    for _ in range(10):
        last = _login(password="wrong")
        if last.status_code == 403:
            break
        _let_time_pass()
    assert last.status_code == 403 and last.json()["error"]["code"] == "locked_out"
    assert client.get(PEOPLE).status_code == 401


def test_the_administrator_sees_a_users_tokens_and_revokes_them(world, web_client):
    from parcours.accounts.models import ApiToken

    keep, drop = _login().json()["token"], _login().json()["token"]
    user = world.user("reception.bamako")
    admin = web_client("admin", language="en")
    listing = admin.get("/account/users/")
    assert listing.status_code == 200 and b"reception.bamako" in listing.content
    page = admin.get(f"/account/users/{user.pk}/tokens/")
    assert page.status_code == 200 and b"Revoke all live tokens" in page.content
    french = web_client("admin").get(f"/account/users/{user.pk}/tokens/")
    assert "Révoquer".encode() in french.content

    from parcours.accounts.services import token_for

    drop_row = token_for(drop)
    answer = admin.post(f"/account/users/{user.pk}/tokens/", {"token": drop_row.pk})
    assert answer.status_code == 302
    assert _bearer(drop).get(PEOPLE).status_code == 401
    assert _bearer(keep).get(PEOPLE).status_code == 200
    row = ApiToken.objects.get(pk=drop_row.pk)
    assert row.revoked_reason == "admin" and row.revoked_by.username == "admin"
    admin.post(f"/account/users/{user.pk}/tokens/")
    assert _bearer(keep).get(PEOPLE).status_code == 401


def test_only_the_administrator_reaches_account_pages(world, web_client):
    from parcours.accounts.services import token_for

    raw = _login().json()["token"]
    user = world.user("reception.bamako")
    for username in ("reception.bamako", "auditor", "me.iom", "manager.eu"):
        client = web_client(username)
        assert client.get("/account/users/").status_code == 404
        assert client.get(f"/account/users/{user.pk}/tokens/").status_code == 404
        assert client.post(f"/account/users/{user.pk}/tokens/").status_code == 404
    assert token_for(raw) is not None
    admin = web_client("admin")
    assert admin.get("/account/users/99999999/tokens/").status_code == 404
    other = world.user("me.iom")
    other_token = token_for(_login("me.iom").json()["token"])
    # A token of another account named on this account's page is not found, and stays live.
    assert admin.post(f"/account/users/{user.pk}/tokens/", {"token": other_token.pk}).status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None and other.is_active

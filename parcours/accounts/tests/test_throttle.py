"""Issue 8, finding 7: lockout by username let anyone lock any account for 15 minutes. Sign-in is
now throttled by client AND username, with a progressive delay (parcours/accounts/throttle.py)."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token"
ATTACKER, OWNER = "10.9.9.9", "10.1.1.1"


def _try(username, password, ip, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=ip)
    return client.post(TOKEN, {"username": username, "password": password}, content_type="application/json")


def _let_time_pass(seconds=400):
    """As if the attempts so far were made `seconds` ago (inside the 15-minute window still)."""
    from axes.models import AccessAttempt

    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - dt.timedelta(seconds=seconds))


def _fail_until_locked(username, ip):
    for _ in range(12):
        answer = _try(username, "wrong-password", ip)
        if answer.status_code == 403:
            return answer
        assert answer.status_code in (401, 429), answer.content
        _let_time_pass()
    raise AssertionError("never locked out")


def test_a_stranger_cannot_lock_the_owner_out(world):
    locked = _fail_until_locked("reception.bamako", ATTACKER)
    assert locked.json()["error"]["code"] == "locked_out"
    # The attacker's client is locked out of this account, even with the right password...
    assert _try("reception.bamako", "parcours-demo", ATTACKER).status_code in (403, 429)
    # ...the owner, elsewhere, is at most asked to wait a few seconds, never locked out.
    soon = _try("reception.bamako", "parcours-demo", OWNER)
    assert soon.status_code in (200, 429)
    if soon.status_code == 429:
        assert int(soon["Retry-After"]) <= 30
    _let_time_pass(31)
    assert _try("reception.bamako", "parcours-demo", OWNER).status_code == 200


def test_each_failure_makes_the_next_attempt_wait_longer(world):
    waits = []
    for _ in range(6):
        answer = _try("caseworker.kayes", "wrong-password", ATTACKER)
        early = _try("caseworker.kayes", "wrong-password", ATTACKER)
        waits.append(int(early["Retry-After"]) if early.status_code == 429 else 0)
        if early.status_code == 429:
            body = early.json()["error"]
            assert body["code"] == "too_many_attempts" and "second" in body["message"]
        _let_time_pass()
        if answer.status_code == 403:
            break
    assert waits[0] == 0 and waits[-1] > 0
    assert waits == sorted(waits)


def test_a_refused_early_attempt_does_not_try_the_password(world):
    from axes.models import AccessAttempt

    for _ in range(5):
        _try("me.iom", "wrong-password", ATTACKER)
    before = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    early = _try("me.iom", "parcours-demo", ATTACKER, language="fr")
    assert early.status_code == 429 and "attendez" in early.json()["error"]["message"]
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == before


def test_spraying_many_accounts_from_one_client_is_slowed_down(world):
    for username in ("reception.bamako", "caseworker.kayes", "me.iom", "centre.gao", "enumerator.gao"):
        last = _try(username, "wrong-password", ATTACKER)
    assert last.status_code == 429
    # Another client is not slowed by that one.
    assert _try("auditor", "parcours-demo", OWNER).status_code == 200


def test_the_login_page_is_throttled_too(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        page = client.post("/login/", {"username": "reception.bamako", "password": "wrong-password"})
    assert page.status_code == 429 and b"before trying again" in page.content
    owner = Client(REMOTE_ADDR=OWNER)
    _let_time_pass(31)
    assert owner.post("/login/", {"username": "reception.bamako", "password": "parcours-demo"}).status_code == 302


def test_field_phones_signing_in_with_http_basic_are_throttled_too(world):
    import base64

    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    wrong = "Basic " + base64.b64encode(b"enumerator.gao:wrong-password").decode()
    statuses = [client.get("/openrosa/formList", HTTP_AUTHORIZATION=wrong).status_code for _ in range(6)]
    assert statuses[0] == 401 and statuses[-1] == 429, statuses
    early = client.get("/openrosa/formList", HTTP_AUTHORIZATION=wrong)
    assert early["X-OpenRosa-Version"] == "1.0" and int(early["Retry-After"]) >= 1
    right = "Basic " + base64.b64encode(b"enumerator.gao:parcours-demo").decode()
    assert Client(REMOTE_ADDR=OWNER).get("/openrosa/formList", HTTP_AUTHORIZATION=right).status_code in (200, 429)
    _let_time_pass(31)
    assert Client(REMOTE_ADDR=OWNER).get("/openrosa/formList", HTTP_AUTHORIZATION=right).status_code == 200

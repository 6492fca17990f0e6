"""HTTP Digest on the OpenRosa endpoints (RFC 7616, MD5, qop=auth: how ODK Collect logs in) and a
submission replayed byte for byte as ODK Collect sends it.

`odk_collect_submission.http` holds the request ODK Collect's OkHttp client writes for a form with
a group, a repeat, a GPS point, a multiple choice and a photo: its headers (User-Agent,
X-OpenRosa-Version, Date), the multipart body with `xml_submission_file` then one part per
attachment named after the file, each part with its Content-Type and Content-Length. It was written
from Collect's source (OkHttpConnection, OkHttpOpenRosaServerClientProvider, OkHttp's
MultipartBody), not captured from a phone. The respondent's id is a placeholder of the same length
(a UUID), replaced by the test's person, so every length stays as recorded."""

import hashlib
import re
import time
from pathlib import Path

import pytest
from django.test import Client

from parcours.accounts import digest
from parcours.accounts.models import DigestSecret
from parcours.facts.models import Fact
from parcours.surveys.models import Submission
from parcours.surveys.services import form_publish

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
PLACEHOLDER = b"00000000-0000-0000-0000-000000000000"


def md5(text):
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def authorization(challenge, *, method, uri, username="caseworker.kayes", password="parcours-demo",  # noqa: S107
                  nc=1, cnonce="0a4f113b6c2d9e81"):
    """What okhttp-digest (ODK Collect's authenticator) answers to a challenge."""
    nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
    opaque = re.search(r'opaque="([^"]+)"', challenge).group(1)
    ha1 = md5(f"{username}:Parcours:{password}")
    count = f"{nc:08x}"
    response = md5(f"{ha1}:{nonce}:{count}:{cnonce}:auth:{md5(f'{method}:{uri}')}")
    return (f'Digest username="{username}", realm="Parcours", nonce="{nonce}", uri="{uri}", response="{response}", '
            f'qop=auth, nc={count}, cnonce="{cnonce}", algorithm=MD5, opaque="{opaque}"')


def recorded(person_id):
    raw = (HERE / "odk_collect_submission.http").read_bytes()
    head, body = raw.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    method, target, _version = lines[0].split(" ")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    body = body.replace(PLACEHOLDER, str(person_id).encode())
    assert len(body) == int(headers["Content-Length"])
    return method, target, headers, body


def replay(client, method, target, headers, body, auth):
    meta = {"HTTP_USER_AGENT": headers["User-Agent"], "HTTP_X_OPENROSA_VERSION": headers["X-OpenRosa-Version"],
            "HTTP_DATE": headers["Date"], "HTTP_ACCEPT_ENCODING": headers["Accept-Encoding"],
            "HTTP_AUTHORIZATION": auth}
    return client.generic(method, target, data=body, content_type=headers["Content-Type"], **meta)


@pytest.fixture
def household(world):
    return form_publish(by=world.user("admin"), content=(HERE / "household.md").read_bytes(), filename="household.md",
                        roles=["caseworker", "me_officer"])


def test_a_recorded_odk_collect_submission_over_digest_lands_on_the_timeline(household, make_person, web_client):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    method, target, headers, body = recorded(person.pk)
    client = Client()
    # Collect's pre-check: HEAD without credentials, the challenge, HEAD again with Digest.
    first = client.head(target, HTTP_X_OPENROSA_VERSION="1.0")
    challenge = first["WWW-Authenticate"]
    assert first.status_code == 401 and challenge.startswith('Digest realm="Parcours", qop="auth", algorithm=MD5')
    assert 'Basic realm="Parcours"' in challenge and first["X-OpenRosa-Version"] == "1.0"
    head = client.head(target, HTTP_AUTHORIZATION=authorization(challenge, method="HEAD", uri=target, nc=1))
    assert head.status_code == 204
    # Then the POST, the nonce reused with the next count.
    posted = replay(client, method, target, headers, body, authorization(challenge, method="POST", uri=target, nc=2))
    assert posted.status_code == 201, posted.content
    assert posted["X-OpenRosa-Version"] == "1.0" and b"submit_success" in posted.content
    saved = Submission.objects.get()
    assert saved.instance_id == "uuid:6f1c2b7e-3d4a-4f0e-9b8a-2c5d7e9f1a03" and saved.person == person
    assert saved.data["location/gps"] == "15.2318 -9.5897 262.4 4.8" and saved.submitted_by.username == "caseworker.kayes"
    photo = saved.attachments.get()
    assert photo.name == "1707903704512.jpg" and photo.file.read()[:3] == b"\xff\xd8\xff"
    fact = Fact.objects.get(kind="surveys.answered", person=person)
    assert str(fact.occurred_on) == "2026-02-14"  # collected then, received today
    page = web_client("caseworker.kayes", "en").get(f"/people/{person.pk}/").content.decode()
    assert "Questionnaire answered" in page
    # The same bytes sent again by an eavesdropper: the count was used, refused.
    again = replay(client, method, target, headers, body, authorization(challenge, method="POST", uri=target, nc=2))
    assert again.status_code == 401
    # Collect retrying (it did not hear the answer) with the next count: accepted, nothing new.
    retry = replay(client, method, target, headers, body, authorization(challenge, method="POST", uri=target, nc=3))
    assert retry.status_code == 202 and Submission.objects.count() == 1


def test_digest_refuses_a_wrong_password_another_uri_and_a_stale_nonce(household):
    client = Client()
    challenge = client.head("/openrosa/submission")["WWW-Authenticate"]
    wrong = authorization(challenge, method="GET", uri="/openrosa/formList", password="nope")  # noqa: S106
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=wrong).status_code == 401
    elsewhere = authorization(challenge, method="GET", uri="/openrosa/other", cnonce="b1")
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=elsewhere).status_code == 401
    ok = authorization(challenge, method="GET", uri="/openrosa/formList", cnonce="c1")
    listing = client.get("/openrosa/formList", HTTP_AUTHORIZATION=ok)
    assert listing.status_code == 200 and b"<formID>household</formID>" in listing.content
    old = f'nonce="{digest.nonce_issue(time.time() - digest.NONCE_SECONDS - 10)}"'
    stale = authorization(re.sub(r'nonce="[^"]+"', old, challenge), method="GET", uri="/openrosa/formList", cnonce="d1")
    refused = client.get("/openrosa/formList", HTTP_AUTHORIZATION=stale)
    assert refused.status_code == 401 and "stale=true" in refused["WWW-Authenticate"]
    forged = authorization(re.sub(r'nonce="[^"]+"', 'nonce="MTIzOmFiYw=="', challenge), method="GET",
                           uri="/openrosa/formList", cnonce="e1")
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=forged).status_code == 401


def test_ha1_is_learnt_at_login_and_forgotten_when_the_password_changes(household, world):
    user = world.user("caseworker.kayes")
    secret = DigestSecret.objects.get(user=user)
    assert b"parcours" not in bytes(secret.ha1_encrypted)  # encrypted at rest
    user.set_password("a-new-password-2026")
    user.save()
    assert not DigestSecret.objects.filter(user=user).exists()
    client = Client()
    challenge = client.head("/openrosa/submission")["WWW-Authenticate"]
    auth = authorization(challenge, method="GET", uri="/openrosa/formList", password="a-new-password-2026")  # noqa: S106
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=auth).status_code == 401
    # Signing in once (the web page, a token, Basic over HTTPS) teaches the server the new HA1.
    signed_in = Client().post("/login/", {"username": "caseworker.kayes", "password": "a-new-password-2026"})
    assert signed_in.status_code == 302
    auth = authorization(challenge, method="GET", uri="/openrosa/formList", password="a-new-password-2026",  # noqa: S106
                         cnonce="f1")
    assert client.get("/openrosa/formList", HTTP_AUTHORIZATION=auth).status_code == 200

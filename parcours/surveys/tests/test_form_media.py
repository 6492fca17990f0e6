"""Form media and the OpenRosa manifest: a form's images and pulldata CSV are sent with it, listed in
formList (manifestUrl) and its manifest (md5, downloadUrl), served with the form's own scope; files
the form does not use, or files it uses but were not sent, are refused naming them."""

import base64
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from parcours.accounts.models import Place
from parcours.core.errors import ValidationFailed
from parcours.surveys.models import FormMedia
from parcours.surveys.services import form_publish

pytestmark = pytest.mark.django_db

# A choice with an image, a note with an image, and a price read from a CSV by pulldata().
MARKET = b"""| survey |
| | type | name | label | calculation | image |
| | select_one fruit | fruit | Which fruit? | | |
| | calculate | price | | pulldata('prices', 'price', 'name', ${fruit}) | |
| | note | n1 | Price: ${price} | | logo.png |
| choices |
| | list_name | name | label | image |
| | fruit | mango | Mango | mango.jpg |
| | fruit | baobab | Baobab | |
| settings |
| | form_id | form_title | version |
| | market | Market | 1 |
"""
PLAIN = b"""| survey |
| | type | name | label |
| | text | comment | Comment |
| settings |
| | form_id | form_title | version |
| | plain | Plain | 1 |
"""
FILES = {"mango.jpg": b"\xff\xd8\xffmango", "logo.png": b"\x89PNGlogo", "prices.csv": b"name,price\nmango,250\n"}


def basic(username, password="parcours-demo"):  # noqa: S107 - the documented demo password
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture
def market(world):
    kayes = Place.objects.get(kind="region", name="Kayes")
    form_publish(by=world.user("admin"), content=PLAIN, filename="plain.md", roles=["caseworker"])
    return form_publish(by=world.user("admin"), content=MARKET, filename="market.md", roles=["caseworker"],
                        place=kayes, media=list(FILES.items()))


def test_form_list_links_the_manifest_only_for_the_form_with_media(market):
    body = Client().get("/openrosa/formList", **basic("caseworker.kayes")).content.decode()
    forms = dict(re.findall(r"<formID>(\w+)</formID>(.*?)</xform>", body))
    assert "/openrosa/forms/market/manifest.xml</manifestUrl>" in forms["market"]
    assert "manifestUrl" not in forms["plain"]


def test_the_manifest_lists_each_file_with_its_md5_and_a_url_that_returns_it(market):
    client = Client()
    response = client.get("/openrosa/forms/market/manifest.xml", **basic("caseworker.kayes"))
    assert response.status_code == 200 and response["X-OpenRosa-Version"] == "1.0"
    body = response.content.decode()
    assert body.startswith('<manifest xmlns="http://openrosa.org/xforms/xformsManifest">')
    found = re.findall(r"<filename>(.+?)</filename><hash>md5:(\w+)</hash><downloadUrl>(.+?)</downloadUrl>", body)
    assert sorted(name for name, _h, _u in found) == sorted(FILES)
    for name, md5, url in found:
        assert md5 == hashlib.md5(FILES[name], usedforsecurity=False).hexdigest()
        got = client.get(url, **basic("caseworker.kayes"))
        assert got.status_code == 200 and b"".join(got.streaming_content) == FILES[name]
    assert client.get("/openrosa/forms/market/media/other.png", **basic("caseworker.kayes")).status_code == 404


def test_manifest_and_media_need_a_login_and_the_forms_scope(market, world):
    from parcours.accounts.models import Role, User

    client = Client()
    for url in ("/openrosa/forms/market/manifest.xml", "/openrosa/forms/market/media/mango.jpg"):
        anonymous = client.get(url)
        assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Digest ")
        assert client.get(url, **basic("caseworker.kayes", "wrong")).status_code == 401
        # A role the form is not for, and a case worker placed outside Kayes: as if it did not exist.
        assert client.get(url, **basic("enumerator.gao")).status_code == 404
        elsewhere = Place.objects.filter(kind="region").exclude(name="Kayes").first()
        outsider = User.objects.filter(username="cw.elsewhere").first() or User.objects.create_user(
            "cw.elsewhere", password="parcours-demo", role=Role.CASEWORKER, place=elsewhere)
        assert client.get(url, **basic(outsider.username)).status_code == 404


def test_files_the_form_does_not_use_are_refused_naming_the_field(world):
    with pytest.raises(ValidationFailed) as refused:
        form_publish(by=world.user("admin"), content=MARKET, filename="market.md",
                     media=[*FILES.items(), ("cat.gif", b"GIF89a")])
    assert list(refused.value.fields) == ["media"] and "cat.gif" in str(refused.value.fields["media"][0])
    assert not FormMedia.objects.exists()


def test_a_form_whose_files_were_not_sent_is_refused_naming_them(world):
    with pytest.raises(ValidationFailed) as refused:
        form_publish(by=world.user("admin"), content=MARKET, filename="market.md",
                     media=[("mango.jpg", FILES["mango.jpg"])])
    message = str(refused.value.fields["media"][0])
    assert "logo.png" in message and "prices.csv" in message and "mango.jpg" not in message


def test_the_command_and_the_upload_page_take_media(world, web_client, tmp_path):
    for name, data in {"market.md": MARKET, **FILES}.items():
        (tmp_path / name).write_bytes(data)
    call_command("forms", "import", str(tmp_path / "market.md"), "--roles", "caseworker",
                 "--media", *(str(tmp_path / n) for n in FILES))
    assert FormMedia.objects.filter(version__form__form_id="market").count() == 3
    client = web_client("me.iom")
    assert 'name="media"' in client.get("/questionnaires/").content.decode()
    other = MARKET.replace(b"| market | Market | 1 |", b"| market2 | Market 2 | 1 |")
    refused = client.post("/questionnaires/publish", {
        "file": SimpleUploadedFile("market2.md", other),
        "media": [SimpleUploadedFile("mango.jpg", FILES["mango.jpg"])]}, follow=True).content.decode()
    assert "logo.png" in refused and "prices.csv" in refused and "Fichiers" in refused
    client.post("/questionnaires/publish", {
        "file": SimpleUploadedFile("market2.md", other),
        "media": [SimpleUploadedFile(n, d) for n, d in FILES.items()]})
    assert FormMedia.objects.filter(version__form__form_id="market2").count() == 3

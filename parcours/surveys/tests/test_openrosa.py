"""OpenRosa as ODK Collect speaks it: formList, download, HEAD, multipart submission, retries,
edits, offline collection dates, scope — and the administrator-bias report on known answers."""

import base64
import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from parcours.facts.models import Fact
from parcours.surveys.demo import satisfaction_xml
from parcours.surveys.models import Submission
from parcours.surveys.selectors import bias_report
from parcours.surveys.services import form_publish

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data"


def basic(username, password="parcours-demo"):  # noqa: S107 - the documented demo password
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture
def published(world):
    return form_publish(by=world.user("admin"), content=(DATA / "satisfaction.md").read_bytes(),
                        filename="satisfaction.md", roles=["admin", "caseworker", "me_officer"])


def odk_post(client, xml: bytes, username="caseworker.kayes", extra_files=()):
    """The multipart body ODK Collect sends: xml_submission_file, then one part per attachment."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"xml_submission_file": SimpleUploadedFile("submission.xml", xml, content_type="text/xml")}
    for name, content in extra_files:
        data[name] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post("/openrosa/submission", data, **basic(username))


def test_form_list_and_download_need_a_login_and_carry_the_header(published):
    client = Client()
    anonymous = client.get("/openrosa/formList")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Digest ")
    assert 'Basic realm="Parcours"' in anonymous["WWW-Authenticate"]
    listing = client.get("/openrosa/formList", **basic("caseworker.kayes"))
    assert listing.status_code == 200 and listing["X-OpenRosa-Version"] == "1.0"
    body = listing.content.decode()
    assert "<formID>satisfaction</formID>" in body and f"md5:{published.md5}" in body
    form = client.get("/openrosa/forms/satisfaction/form.xml", **basic("caseworker.kayes"))
    assert form.status_code == 200 and b'id="satisfaction"' in form.content


def test_roles_not_listed_get_no_form(published):
    client = Client()
    assert "<formID>" not in client.get("/openrosa/formList", **basic("enumerator.gao")).content.decode()
    assert client.get("/openrosa/forms/satisfaction/form.xml", **basic("enumerator.gao")).status_code == 404
    assert client.get("/openrosa/formList", **basic("caseworker.kayes", "wrong")).status_code == 401


def test_head_precheck(published):
    response = Client().head("/openrosa/submission", **basic("caseworker.kayes"))
    assert response.status_code == 204 and int(response["X-OpenRosa-Accept-Content-Length"]) > 0


def test_a_submission_collected_offline_weeks_ago_lands_on_the_persons_timeline(published, make_person):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    xml = satisfaction_xml(instance_id="a1", person_id=person.pk, today=dt.date(2026, 10, 1), satisfied=True,
                           on_time=False)
    client = Client()
    first = odk_post(client, xml, extra_files=[("photo.jpg", b"\xff\xd8\xff")])
    assert first.status_code == 201 and b"submit_success" in first.content
    saved = Submission.objects.get()
    assert saved.collected_on == dt.date(2026, 10, 1) and saved.data["satisfied"] == "yes"
    assert saved.attachments.get().name == "photo.jpg"
    fact = Fact.objects.get(kind="surveys.answered")
    assert fact.person == person and fact.occurred_on == dt.date(2026, 10, 1)
    # The phone did not hear the answer and sends again: nothing new.
    again = odk_post(client, xml)
    assert again.status_code == 202 and Submission.objects.count() == 1
    # Other content under the same instanceID is refused.
    other = satisfaction_xml(instance_id="a1", person_id=person.pk, today=dt.date(2026, 10, 1), satisfied=False,
                             on_time=False)
    assert odk_post(client, other).status_code == 409 and Submission.objects.count() == 1


def test_an_edit_names_the_submission_it_replaces(published, make_person):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    client = Client()
    odk_post(client, satisfaction_xml(instance_id="v1", person_id=person.pk, today=dt.date(2026, 10, 1),
                                      satisfied=False, on_time=False))
    edited = satisfaction_xml(instance_id="v2", person_id=person.pk, today=dt.date(2026, 10, 1), satisfied=True,
                              on_time=False).replace(b"<instanceID>uuid:v2</instanceID>",
                                                     b"<instanceID>uuid:v2</instanceID><deprecatedID>uuid:v1</deprecatedID>")
    assert odk_post(client, edited).status_code == 201
    old, new = Submission.objects.get(instance_id="uuid:v1"), Submission.objects.get(instance_id="uuid:v2")
    assert old.replaced_by == new


def test_a_person_outside_the_collectors_scope_is_refused(published, make_person):
    bamako = make_person(by="reception.bamako", origin_region="District de Bamako")
    xml = satisfaction_xml(instance_id="x1", person_id=bamako.pk, today=dt.date(2026, 10, 1), satisfied=True,
                           on_time=True)
    assert odk_post(Client(), xml).status_code == 404
    assert not Submission.objects.exists()


def test_garbage_is_a_clear_400(published):
    assert odk_post(Client(), b"<not-a-form/>").status_code == 400
    assert odk_post(Client(), b"<!DOCTYPE x [<!ENTITY a 'b'>]><data id='satisfaction'/>").status_code == 400


def test_bias_report_on_known_answers(published, world, make_person):
    """8 answers asked by the person's own case worker (7 satisfied) and 8 by the M&E officer
    (4 satisfied): 87.5 % against 50 %, a difference of 38 points."""
    from parcours.cases.services import case_open

    client = Client()
    for n in range(16):
        person = make_person(by="caseworker.kayes", origin_region="Kayes", given_name=f"P{n}")
        case_open(by=world.user("caseworker.kayes"), person_id=person.pk, arrived_on=dt.date(2026, 1, 5))
        own = n < 8
        satisfied = (n < 7) if own else (n < 12)
        xml = satisfaction_xml(instance_id=f"b{n}", person_id=person.pk, today=dt.date(2026, 3, 1),
                               satisfied=satisfied, on_time=True)
        assert odk_post(client, xml, username="caseworker.kayes" if own else "me.iom").status_code == 201
    report = bias_report(world.user("me.iom"), form_id="satisfaction", question="satisfied")
    assert (report.own.n, report.own.positive, report.other.n, report.other.positive) == (8, 7, 8, 4)
    assert report.points[0] == 38 and report.points[1] < report.points[0] < report.points[2]


def test_questionnaires_page_for_answer_readers_only(published, web_client):
    page = web_client("me.iom").get("/questionnaires/")
    assert page.status_code == 200 and "satisfaction" in page.content.decode()
    for username in ("caseworker.kayes", "partner.cfpm", "manager.eu"):
        assert web_client(username).get("/questionnaires/").status_code == 404
    assert web_client("caseworker.kayes").post("/questionnaires/publish").status_code in (302, 404)

"""A real OpenRosa client against the live server: Enketo's form engine (npm `enketo-core`, with
`enketo-transformer`'s web build turning the XForm into Enketo's HTML) in Debian's headless
Chromium fetches the published satisfaction form through formList and its downloadUrl, renders it,
runs its skip logic, and submits what `form.getDataStr()` gives, with the instanceID Enketo made,
as a multipart `xml_submission_file`; the record opened again and corrected comes back as an edit
(Enketo's deprecatedID). The browser logs in by itself: it answers the server's
challenge with HTTP Digest, the strongest scheme offered.

The harness (tests/enketo/: package.json, its lock, client.js) is installed with `npm ci` and
bundled with esbuild at test time, once, into tests/enketo/node_modules and dist (git-ignored).
Without node and npm the test is skipped, unless PARCOURS_REQUIRE_NODE is set (as .ci/run does)."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from parcours.facts.models import Fact
from parcours.surveys.models import Submission
from parcours.surveys.services import form_publish

HARNESS = Path(__file__).parent / "enketo"
DATA = Path(__file__).resolve().parents[1] / "data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NPM = shutil.which("npm")
REQUIRED = bool(os.environ.get("PARCOURS_REQUIRE_NODE"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
    pytest.mark.skipif(NPM is None and not REQUIRED,
                       reason="node and npm are not installed: the Enketo harness cannot be built (.ci/run installs them)"),
]


def _run(*args: str) -> None:
    done = subprocess.run(args, cwd=HARNESS, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed in {HARNESS}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


@pytest.fixture(scope="session")
def enketo_bundle() -> Path:
    """`npm ci` when the lock changed since the last install, then the esbuild bundle."""
    if NPM is None:
        pytest.fail("PARCOURS_REQUIRE_NODE is set but npm is not installed")
    lock = hashlib.sha256((HARNESS / "package-lock.json").read_bytes()).hexdigest()
    stamp = HARNESS / "node_modules" / ".parcours-lock"
    if not stamp.exists() or stamp.read_text() != lock:
        _run(NPM, "ci", "--no-audit", "--no-fund")
        stamp.write_text(lock)
    _run(NPM, "run", "--silent", "build")
    return HARNESS / "dist" / "client.js"


@pytest.fixture
def satisfaction(world):
    return form_publish(by=world.user("admin"), content=(DATA / "satisfaction.md").read_bytes(),
                        filename="satisfaction.md", roles=["admin", "caseworker", "me_officer"])


@pytest.fixture
def enketo_page(live_server, enketo_bundle):
    """A page at the live server's origin (so the OpenRosa calls are same-origin, as from Enketo
    Express) whose HTML and bundle come from the harness, not from Django."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs beside the live server thread
    from playwright.sync_api import sync_playwright

    files = {"/enketo/": (HARNESS / "index.html", "text/html"),
             "/enketo/client.js": (enketo_bundle, "text/javascript")}

    def serve(route):
        path, kind = files[route.request.url.removeprefix(live_server.url)]
        route.fulfill(status=200, content_type=kind, body=path.read_bytes())

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        context = browser.new_context(http_credentials={"username": "caseworker.kayes", "password": "parcours-demo"})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.route(f"{live_server.url}/enketo/**", serve)
        page.goto(f"{live_server.url}/enketo/")
        page.wait_for_function("window.enketoHarness !== undefined")
        yield page
        # The test's queries ran while Playwright's loop was running, in a context where Django
        # opened a connection of its own: closed here, or it keeps the test database from being dropped.
        from django.db import connections

        connections.close_all()
        browser.close()


@pytest.fixture
def digest_logins(monkeypatch):
    """(method, succeeded) of each HTTP Digest login the live server (a thread of this process) checks."""
    from parcours.surveys import openrosa

    seen, real = [], openrosa.digest_user

    def spy(request):
        user, stale = real(request)
        seen.append((request.method, user is not None))
        return user, stale

    monkeypatch.setattr(openrosa, "digest_user", spy)
    return seen


def test_enketo_renders_the_published_form_its_submission_lands_once_and_an_edit_replaces_it(satisfaction, make_person, web_client,
                                                                         digest_logins, enketo_page):
    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    page = enketo_page
    loaded = page.evaluate("enketoHarness.load('satisfaction')")
    assert loaded["loadErrors"] == [] and loaded["instanceID"].startswith("uuid:"), loaded
    # Rendered: the text question, the two choices, the comment hidden until "no" is chosen.
    comment = page.locator(".question.or-branch", has=page.locator("[name='/data/comment']"))
    assert page.locator("label:not(.itemset-template) > input[name='/data/satisfied']").count() == 2
    assert comment.is_hidden()
    page.locator("input[name='/data/person_id']").fill(str(person.pk))
    page.locator("input[name='/data/satisfied'][value='yes']").check()
    assert comment.is_hidden()
    page.locator("input[name='/data/satisfied'][value='no']").check()
    comment.wait_for(state="visible")
    page.locator("[name='/data/comment']").fill("Le kit est arrivé en retard")
    page.locator("input[name='/data/on_time'][value='no']").check()

    sent = page.evaluate("enketoHarness.submit()")
    assert sent["valid"] and sent["precheck"] == 204, sent
    assert sent["status"] == 201 and "submit_success" in sent["text"], sent
    assert sent["instanceID"] == loaded["instanceID"]
    # The browser answered the challenge with Digest, for the listing, the download and the submission.
    assert {("GET", True), ("HEAD", True), ("POST", True)} <= set(digest_logins)

    saved = Submission.objects.get()
    assert saved.instance_id == loaded["instanceID"] and saved.person == person
    assert saved.submitted_by.username == "caseworker.kayes"
    assert (saved.data["satisfied"], saved.data["on_time"]) == ("no", "no")
    assert saved.data["comment"] == "Le kit est arrivé en retard" and saved.data["start"]
    assert Fact.objects.get(kind="surveys.answered", person=person).occurred_on == saved.collected_on
    assert "Questionnaire answered" in web_client("caseworker.kayes", "en").get(f"/people/{person.pk}/").content.decode()

    # Sent again (the client did not hear the answer): accepted, nothing new stored.
    again = page.evaluate("data => enketoHarness.resend(data)", sent["data"])
    assert again["status"] == 202 and Submission.objects.count() == 1
    assert Fact.objects.filter(kind="surveys.answered", person=person).count() == 1

    # Opened again in Enketo to correct it: a new instanceID naming the old one, kept in history.
    edit = page.evaluate("data => enketoHarness.load('satisfaction', data)", sent["data"])
    assert edit["deprecatedID"] == loaded["instanceID"] and edit["instanceID"] not in ("", loaded["instanceID"]), edit
    assert page.locator("[name='/data/comment']").input_value() == "Le kit est arrivé en retard"
    page.locator("input[name='/data/on_time'][value='yes']").check()
    corrected = page.evaluate("enketoHarness.submit()")
    assert corrected["status"] == 201, corrected
    old, new = Submission.objects.get(instance_id=loaded["instanceID"]), Submission.objects.get(instance_id=edit["instanceID"])
    assert old.replaced_by == new and new.data["on_time"] == "yes"
    assert page.errors == []


@pytest.fixture
def household(world):
    return form_publish(by=world.user("admin"), content=(Path(__file__).parent / "household.md").read_bytes(),
                        filename="household.md", roles=["caseworker", "me_officer"])


def test_enketo_fills_groups_repeats_a_gps_point_choices_and_a_photo(household, make_person, tmp_path, enketo_page):
    """The household form (a group with a GPS point, a repeat with a repeat inside, several choices,
    a photo): two members, one with a job, come back as two rows of the member table, the photo
    as the submission's attachment."""
    from parcours.surveys.exports import MAIN, form_tables, submission_rows

    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    page = enketo_page
    loaded = page.evaluate("enketoHarness.load('household')")
    assert loaded["loadErrors"] == [], loaded
    page.locator("input[name='/data/person_id']").fill(str(person.pk))
    page.locator("input[name='/data/location/commune']").fill("Nioro du Sahel")
    gps = page.locator(".question", has=page.locator("[name='/data/location/gps']"))
    gps.locator("input[name=lat]").fill("15.2318")
    gps.locator("input[name=long]").fill("-9.5897")
    gps.locator("input[name=long]").dispatch_event("change")
    members = page.locator(".or-repeat[name='/data/member']")
    members.nth(0).locator("input[name='/data/member/name']").fill("Fanta")
    members.nth(0).locator("input[name='/data/member/age']").fill("34")
    members.nth(0).locator("input[name='/data/member/job/title']").fill("Couturière")
    page.locator(".or-repeat-info[data-name='/data/member'] .add-repeat-btn").click()
    members.nth(1).locator("input[name='/data/member/name']").fill("Issa")
    members.nth(1).locator("input[name='/data/member/age']").fill("9")
    page.locator("input[name='/data/needs'][value=food]").check()
    page.locator("input[name='/data/needs'][value=work]").check()
    photo = tmp_path / "shop.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    page.locator("input[type=file][name='/data/photo']").set_input_files(str(photo))

    sent = page.evaluate("enketoHarness.submit()")
    assert sent["status"] == 201 and len(sent["files"]) == 1, sent
    saved = Submission.objects.get()
    assert saved.person == person and saved.data["needs"] == "food work"
    assert saved.data["location/commune"] == "Nioro du Sahel" and saved.data["location/gps"].startswith("15.2318 -9.5897")
    attachment = saved.attachments.get()
    assert attachment.name == sent["files"][0] == saved.data["photo"] and attachment.file.read()[:3] == b"\xff\xd8\xff"
    tables = form_tables(saved.version.xml)
    rows = list(submission_rows(saved.xml, tables, {"_id": 1, "_uuid": "u", "_submission_time": "t",
                                                    "_submitted_by": "s", "__version__": "1"}, {MAIN: 0}))
    member_rows = [dict(zip(tables["member"].columns, row, strict=False)) for table, row in rows if table == "member"]
    assert [(m["member/name"], m["member/age"]) for m in member_rows] == [("Fanta", "34"), ("Issa", "9")]
    jobs = [row for table, row in rows if table == "member/job"]
    assert [row[0] for row in jobs if row[0]] == ["Couturière"]
    assert page.errors == []

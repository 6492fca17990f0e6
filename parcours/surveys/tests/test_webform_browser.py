"""Skip logic on the desk form in Debian's headless Chromium at phone width: questions appear and
disappear as the conditions read from the XForm turn true or false, the hidden ones are not sent,
and what is recorded is what the server's own rule gives."""

import os
import shutil
from pathlib import Path

import pytest

from parcours.surveys.models import Submission
from parcours.surveys.services import form_publish

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SHOTS = Path(os.environ.get("PARCOURS_SCREENSHOTS", Path(__file__).resolve().parents[3] / "var" / "screenshots"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]


@pytest.fixture
def skip_logic(world):
    return form_publish(by=world.user("admin"), content=(Path(__file__).parent / "skip_logic.md").read_bytes(),
                        filename="skip_logic.md", roles=["caseworker"])


def test_questions_show_and_hide_as_the_answers_change(live_server, skip_logic, make_person):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs beside the live server thread
    from playwright.sync_api import sync_playwright

    person = make_person(by="caseworker.kayes", origin_region="Kayes")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 375, "height": 740}, locale="en")
        page.set_default_timeout(20_000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/login/")
        page.locator("input[name=username]").fill("caseworker.kayes")
        page.locator("input[name=password]").fill("parcours-demo")
        page.locator("main button.primary").click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/questionnaires/fill/skip_logic/?person_id={person.pk}")

        def field(name):
            return page.locator(".field", has=page.locator(f"[name='{name}']"))

        employed, employer, food = field("work/employed"), field("work/employer"), field("food_detail")
        assert employed.is_hidden() and employer.is_hidden() and food.is_hidden()
        assert field("remarks").is_visible()  # a condition outside the subset: always asked
        page.locator("[name=age]").fill("12")
        page.locator("[name=needs][value=food]").check()
        assert employed.is_hidden() and food.is_hidden()  # not(age < 15) is false
        page.locator("[name=age]").fill("34")
        employed.wait_for(state="visible")
        food.wait_for(state="visible")
        assert employer.is_hidden()
        page.locator("[name='work/employed'][value=yes]").check()
        employer.wait_for(state="visible")
        page.locator("[name='work/employer']").fill("Sotelma")
        page.locator("[name=food_detail]").fill("riz")
        page.locator("[name='work/employed'][value=no]").check()
        employer.wait_for(state="hidden")
        assert page.locator("[name='work/employer']").is_disabled()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "questionnaire-skip-logic-375.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.locator("main form#answers button").click()
        page.wait_for_url(f"**/people/{person.pk}/")
        browser.close()
    assert errors == []
    saved = Submission.objects.get()
    assert (saved.data["age"], saved.data["work/employed"], saved.data["work/employer"]) == ("34", "no", "")
    assert (saved.data["needs"], saved.data["food_detail"]) == ("food", "riz")

"""Issue 8, finding 7: /api/v1/docs renders Swagger UI in a real browser under the project's CSP
(Debian's headless Chromium, as parcours/people/tests/test_browser.py): nothing blocked."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"),
]


def test_swagger_ui_renders_the_api_under_the_csp(live_server, transactional_db):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.set_default_timeout(20_000)
        problems, outside = [], []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
        page.goto(f"{live_server.url}/api/v1/docs")
        page.locator(".swagger-ui .info .title").filter(has_text="Parcours API").wait_for()
        page.locator(".opblock-summary-path", has_text="/api/v1/auth/token").first.wait_for()
        browser.close()
    assert problems == [] and outside == []

"""The donor's report: narrative and figures counted by the rules, generated in the background,
stored, readable only by those who read the whole programme's results."""

import datetime as dt
import re

import pytest

from parcours.core.errors import Forbidden, ValidationFailed
from parcours.logframe import reports
from parcours.logframe.models import DonorReport

pytestmark = pytest.mark.django_db

YEAR_2024 = {"from": "2024-01-01", "to": "2024-12-31"}


def _row(html: str, code: str) -> list[str]:
    """The numbers of an indicator's row in the report, as printed (baseline, target, period, to date)."""
    row = re.search(rf"{re.escape(code)}</span>.*?</tr>", html, re.S).group(0)
    return re.findall(r'<td class="num">(?:<strong>)?([^<]*)', row)


def test_hand_counted_figures_in_the_period_and_to_date(world, paid_world):
    html = reports.report_html(world.user("me.iom"), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    # Reintegration supported in 2024: Adama (paid twice under two records, merged: once), Bintou,
    # Hawa; Dramane's kit was reversed; Cheick got only the arrival allowance. To date adds
    # Fousseyni, paid on 20 December 2023.
    baseline, target, in_period, to_date = _row(html, "OS2.reintegration_supported")
    assert (in_period, to_date) == ("3", "4")
    assert target.replace("\u202f", "").replace("\xa0", "").replace(",", "") == "9000"
    assert "original target 1900" in html or "objectif initial 1900" in html or "1\u202f900" in html


def test_generated_through_the_api_in_the_background_and_stored(api_client, paid_world,
                                                               django_capture_on_commit_callbacks):
    me = api_client("me.iom", "en")
    body = {**YEAR_2024, "narrative": {"context": "Security on the Gao road worsened in March.", "risks": ""}}
    with django_capture_on_commit_callbacks(execute=True):
        started = me.post("/api/v1/reports", body, content_type="application/json")
    assert started.status_code == 202, started.content
    job = me.get(f"/api/v1/jobs/{started.json()['job']}").json()
    assert job["status"] == "done", job
    listed = me.get("/api/v1/reports").json()["results"]
    assert len(listed) == 1 and listed[0]["period_start"] == "2024-01-01" and listed[0]["language"] == "en"
    pdf = me.get(listed[0]["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert bytes(pdf.content).startswith(b"%PDF-") and len(pdf.content) > 10_000
    # The narrative is kept for the period (written again, it replaces; the history is in the audit log).
    assert reports.narratives_for(reports.selectors.action(), dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == {
        "context": "Security on the Gao road worsened in March."}


def test_the_narrative_is_printed_before_the_figures(world, paid_world):
    me = world.user("me.iom")
    reports.narratives_save(by=me, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                            texts={"progress": "Kits delivered in Kayes."})
    html = reports.report_html(me, start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert html.index("Kits delivered in Kayes.") < html.index("OS2.reintegration_supported")


@pytest.mark.parametrize("period, field", [
    ({"from": "2024-12-31", "to": "2024-01-01"}, "to"),
    ({"from": "2024-01-01", "to": "2999-01-01"}, "to"),
    ({"from": "01/01/2024", "to": "2024-12-31"}, "from"),
    ({"to": "2024-12-31"}, "from"),
])
def test_a_bad_period_is_refused_naming_the_field_and_nothing_is_made(api_client, paid_world, period, field):
    for language in ("fr", "en"):
        response = api_client("me.iom", language).post("/api/v1/reports", period, content_type="application/json")
        assert response.status_code == 400, response.content
        assert field in response.json()["error"]["fields"]
    assert DonorReport.objects.count() == 0


def test_who_generates_and_who_reads(world, api_client, web_client, paid_world):
    for username in ("manager.eu", "caseworker.kayes", "auditor", "partner.cfpm"):
        response = api_client(username).post("/api/v1/reports", YEAR_2024, content_type="application/json")
        assert response.status_code in (403, 404), (username, response.status_code)
    with pytest.raises(Forbidden):
        reports.report_generate(by=world.user("manager.eu"), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    made = reports.report_generate(by=world.user("me.iom"), start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    # The donor and the auditor read the stored reports; a case worker of Kayes counts only her
    # place, so a programme-wide report is not hers to read; a partner has no results at all.
    for username, status in (("manager.eu", 200), ("auditor", 200), ("caseworker.kayes", 404), ("partner.cfpm", 404)):
        assert api_client(username).get(f"/api/v1/reports/{made.pk}/pdf").status_code == status, username
        assert web_client(username).get(f"/results/reports/{made.pk}/pdf").status_code == status, username
    # The list answers as the reports page does: 404 where the page is 404, never an empty 200.
    for username in ("caseworker.kayes", "partner.cfpm"):
        assert api_client(username).get("/api/v1/reports").status_code == 404, username
        assert web_client(username).get("/results/reports/").status_code == 404, username
    assert [r["id"] for r in api_client("auditor").get("/api/v1/reports").json()["results"]] == [str(made.pk)]
    page = web_client("manager.eu").get("/results/reports/")
    assert page.status_code == 200 and "textarea" not in page.content.decode()
    assert web_client("partner.cfpm").get("/results/reports/").status_code == 404


def test_the_page_saves_the_text_and_starts_the_job(web_client, paid_world, django_capture_on_commit_callbacks):
    client = web_client("me.iom")
    page = client.get("/results/reports/?from=2024-01-01&to=2024-12-31")
    assert page.status_code == 200 and 'name="context"' in page.content.decode()
    saved = client.post("/results/reports/", {**YEAR_2024, "context": "Texte du contexte.", "save": "1"})
    assert saved.status_code == 302 and DonorReport.objects.count() == 0
    assert "Texte du contexte." in client.get("/results/reports/?from=2024-01-01&to=2024-12-31").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/results/reports/", {**YEAR_2024, "context": "Texte du contexte.", "generate": "1"})
    assert started.status_code == 302 and "/jobs/" in started["Location"]
    job_page = client.get(started["Location"]).content.decode()
    report = DonorReport.objects.get()
    assert f"/results/reports/{report.pk}/pdf" in job_page and report.language == "fr"


def test_period_check_names_both_ends():
    with pytest.raises(ValidationFailed) as refused:
        reports.period_check(None, None)
    assert set(refused.value.fields) == {"from", "to"}

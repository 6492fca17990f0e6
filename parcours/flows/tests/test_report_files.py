"""The bi-weekly report as a PDF: rendered in the background with progress, kept (the report sent
is the report kept), listed per point and national, downloadable on the web and the API."""

import pytest

from parcours.flows.models import ReportFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def fortnight(record):
    record(10, date="2024-03-01")
    record(4, date="2024-03-02", sex="F", nationality="ML")
    record(7, date="2024-03-03", direction="out", nationality="ML", transport="truck", destination="DZ")


def test_publishing_renders_the_pdf_in_the_background_and_keeps_it(api_client, fortnight, points,
                                                                  django_capture_on_commit_callbacks):
    me = api_client("me.iom", "en")
    with django_capture_on_commit_callbacks(execute=True):
        created = me.post("/api/v1/flows/reports", {"point": "GAO-FMP", "period_start": "2024-03-01"},
                          content_type="application/json")
    assert created.status_code == 201
    kept = ReportFile.objects.get()
    assert kept.point.code == "GAO-FMP" and kept.total == 21 and kept.report_id is not None
    assert bytes(kept.pdf).startswith(b"%PDF-")
    pdf = me.get(created.json()["pdf_url"])  # the contract's pdf_url: the file kept
    assert pdf.status_code == 200 and pdf.content == bytes(kept.pdf)
    listed = me.get("/api/v1/flows/report-files?point=GAO-FMP").json()["results"]
    assert [r["id"] for r in listed] == [str(kept.pk)] and listed[0]["point"] == "GAO-FMP"
    again = me.get(listed[0]["pdf_url"])
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf" and again.content == pdf.content
    assert ReportFile.objects.count() == 1  # read twice, rendered once


def test_a_published_report_without_its_file_gets_it_once(world, web_client, fortnight, points):
    from parcours.flows.services import report_publish

    report, _created = report_publish(by=world.user("me.iom"), data={"point": "GAO-FMP", "period_start": "2024-03-01"})
    first = web_client("manager.eu").get(f"/flows/reports/{report.pk}/pdf/")
    second = web_client("enumerator.gao").get(f"/flows/reports/{report.pk}/pdf/")
    assert first.status_code == second.status_code == 200 and first.content == second.content
    assert ReportFile.objects.filter(report=report).count() == 1 and ReportFile.objects.get().language == "fr"


def test_national_report_generated_from_the_page_with_a_link(web_client, api_client, fortnight, points,
                                                            django_capture_on_commit_callbacks, kidal_enumerator):
    me = web_client("me.iom")
    with django_capture_on_commit_callbacks(execute=True):
        started = me.post("/flows/reports/generate/", {"point": "", "period_start": "2024-03-01"})
    assert started.status_code == 302 and "/jobs/" in started["Location"]
    national = ReportFile.objects.get()
    assert national.point is None and national.total == 21
    job_page = me.get(started["Location"]).content.decode()
    assert f"/flows/files/{national.pk}/pdf/" in job_page
    assert str(national.pk) in me.get("/flows/national/?period=2024-03-01").content.decode()
    assert me.get(f"/flows/files/{national.pk}/pdf/").status_code == 200
    assert web_client("manager.eu").get(f"/flows/files/{national.pk}/pdf/").status_code == 200
    # An enumerator reads their point's reports, not the country's.
    gao = web_client("enumerator.gao")
    assert gao.get(f"/flows/files/{national.pk}/pdf/").status_code == 404
    assert api_client("enumerator.gao").get(f"/api/v1/flows/report-files/{national.pk}/pdf").status_code == 404
    assert api_client("enumerator.gao").get("/api/v1/flows/report-files").json()["results"] == []
    assert str(national.pk) not in gao.get("/flows/reports/").content.decode()
    assert gao.post("/flows/reports/generate/", {"point": "GAO-FMP", "period_start": "2024-03-01"}).status_code == 403
    assert web_client("enumerator.kidal").post("/flows/reports/generate/", {
        "point": "GAO-FMP", "period_start": "2024-03-01"}).status_code == 404
    assert web_client("caseworker.kayes").get(f"/flows/files/{national.pk}/pdf/").status_code == 404
    assert web_client("caseworker.kayes").get("/flows/reports/").status_code == 404


def test_report_files_api(api_client, fortnight, points, django_capture_on_commit_callbacks, kidal_enumerator):
    me = api_client("me.iom", "en")
    with django_capture_on_commit_callbacks(execute=True):
        started = me.post("/api/v1/flows/report-files", {"point": "GAO-FMP", "period_start": "2024-03-01"},
                          content_type="application/json")
    assert started.status_code == 202
    job = me.get(f"/api/v1/jobs/{started.json()['job']}").json()
    assert job["status"] == "done", job
    made = ReportFile.objects.get()
    assert job["result"]["url"].endswith(f"/flows/files/{made.pk}/pdf/")
    bad = me.post("/api/v1/flows/report-files", {"period_start": "2024-03-02"}, content_type="application/json")
    assert bad.status_code == 400 and "period_start" in bad.json()["error"]["fields"]
    gao = api_client("enumerator.gao")
    assert gao.post("/api/v1/flows/report-files", {"point": "GAO-FMP", "period_start": "2024-03-01"},
                    content_type="application/json").status_code == 403
    assert [r["point"] for r in gao.get("/api/v1/flows/report-files").json()["results"]] == ["GAO-FMP"]
    kidal = api_client("enumerator.kidal")
    assert kidal.get("/api/v1/flows/report-files").json()["results"] == []
    assert kidal.get(f"/api/v1/flows/report-files/{made.pk}/pdf").status_code == 404
    assert api_client("caseworker.kayes").get("/api/v1/flows/report-files").status_code == 404

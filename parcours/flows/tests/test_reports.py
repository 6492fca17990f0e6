"""The bi-weekly report: totals counted by hand, publishing once, and the logframe counting it."""

import datetime as dt

import pytest

from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.flows.events import FlowEvent
from parcours.flows.models import Point
from parcours.flows.periods import next_period, period_of, previous_period
from parcours.flows.selectors import figures
from parcours.flows.services import report_publish

pytestmark = pytest.mark.django_db


def test_periods_are_half_months():
    assert period_of(dt.date(2024, 2, 20)) == (dt.date(2024, 2, 16), dt.date(2024, 2, 29))
    assert period_of(dt.date(2024, 3, 15)) == (dt.date(2024, 3, 1), dt.date(2024, 3, 15))
    assert previous_period(dt.date(2024, 3, 1)) == (dt.date(2024, 2, 16), dt.date(2024, 2, 29))
    assert next_period(dt.date(2024, 12, 16)) == (dt.date(2025, 1, 1), dt.date(2025, 1, 15))


@pytest.fixture
def fortnight(record):
    """Gao, 1–15 March 2024, counted by hand: in 10+4+6 = 20, out 7 (+ a corrected line), and
    one line in February (the previous period: 8) and one on 16 March (the next: 100)."""
    record(10, date="2024-03-01")                                   # in, GN, M, 18-59
    record(4, date="2024-03-01", sex="F", nationality="ML")         # in, ML, F
    record(6, date="2024-03-02", age_group="0-17", destination="DZ")  # in, GN, M, child
    record(5, date="2024-03-03", direction="out", nationality="ML", transport="truck", destination="DZ")
    record(7, date="2024-03-03", direction="out", nationality="ML", transport="truck", destination="DZ",
           correction=True)                                         # replaces the 5
    record(8, date="2024-02-20")
    record(100, date="2024-03-16")


def test_report_totals_match_the_hand_count(fortnight, points):
    numbers = figures(Point.objects.filter(code="GAO-FMP"), dt.date(2024, 3, 1), dt.date(2024, 3, 15))
    assert numbers.total == 27 and numbers.previous_total == 8 and numbers.change_percent == 238
    assert numbers.by["direction"] == {"in": 20, "out": 7}
    assert numbers.by["nationality"] == {"GN": 16, "ML": 11}
    assert numbers.by["sex"] == {"M": 23, "F": 4}
    assert numbers.by["age_group"] == {"18-59": 21, "0-17": 6}
    assert numbers.by["destination"] == {"": 14, "DZ": 13}
    assert numbers.daily[0] == (dt.date(2024, 3, 1), 14, 0) and numbers.daily[2] == (dt.date(2024, 3, 3), 0, 7)
    assert len(numbers.daily) == 15
    assert numbers.missing["GAO-FMP"][0] == dt.date(2024, 3, 4) and len(numbers.missing["GAO-FMP"]) == 12


def test_publishing_records_the_fact_the_logframe_counts(world, fortnight, points):
    me = world.user("me.iom")
    report, created = report_publish(by=me, data={"point": "GAO-FMP", "period_start": "2024-03-01",
                                                  "summary": "Hausse vers l'Algérie."})
    assert created and report.period_end == dt.date(2024, 3, 15) and report.totals["total"] == 27
    fact = Fact.objects.get(kind=FlowEvent.REPORT_PUBLISHED)
    assert fact.occurred_on == dt.date(2024, 3, 15) and fact.place == points["GAO-FMP"].place
    again, created = report_publish(by=me, data={"point": "GAO-FMP", "period_start": "2024-03-01"})
    assert not created and again == report
    assert Fact.objects.filter(kind=FlowEvent.REPORT_PUBLISHED).count() == 1

    from parcours.logframe.selectors import results_for
    from parcours.logframe.services import logframe_load

    logframe_load()
    value = results_for(me, start=dt.date(2024, 3, 1), end=dt.date(2024, 3, 31), code="OS3.fmp_reporting")[0].value
    assert value == 1
    assert results_for(me, start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 30), code="OS3.fmp_reporting")[0].value == 0


def test_publishing_is_refused_when_wrong(world, fortnight, points, kidal_enumerator):
    me = world.user("me.iom")
    with pytest.raises(ValidationFailed) as exc:
        report_publish(by=me, data={"point": "GAO-FMP", "period_start": "2024-03-02"})
    assert "period_start" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        report_publish(by=me, data={"point": "KID-FMP", "period_start": "2024-03-01"})  # nothing counted
    assert "period_start" in exc.value.fields
    future = period_of(dt.date.today() + dt.timedelta(days=40))[0].isoformat()
    with pytest.raises(ValidationFailed):
        report_publish(by=me, data={"point": "GAO-FMP", "period_start": future})
    with pytest.raises(Forbidden):
        report_publish(by=world.user("enumerator.gao"), data={"point": "GAO-FMP", "period_start": "2024-03-01"})
    with pytest.raises(NotFound):
        report_publish(by=kidal_enumerator, data={"point": "GAO-FMP", "period_start": "2024-03-01"})


def test_reports_api_and_pages(api_client, web_client, fortnight, points):
    me = api_client("me.iom", "en")
    created = me.post("/api/v1/flows/reports", {"point": "GAO-FMP", "period_start": "2024-03-01"},
                      content_type="application/json")
    assert created.status_code == 201, created.content
    listed = me.get("/api/v1/flows/reports?point=GAO-FMP&from=2024-03-01&to=2024-03-31").json()["results"]
    assert len(listed) == 1 and listed[0]["total"] == 27
    assert listed[0]["html_url"].endswith("/flows/GAO-FMP/report/?period=2024-03-01")
    assert "/flows/reports/" in listed[0]["pdf_url"]
    page = web_client("enumerator.gao").get("/flows/GAO-FMP/report/?period=2024-03-05")
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "27" in body and "Publier" not in body
    assert "Guinée" in body
    pdf = api_client("manager.eu").get(listed[0]["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    national = web_client("manager.eu").get("/flows/national/?period=2024-03-01")
    assert national.status_code == 200 and "Gao" in national.content.decode()


def test_pages_answer_404_out_of_scope(web_client, points, kidal_enumerator, fortnight):
    client = web_client("enumerator.kidal")
    assert client.get("/flows/GAO-FMP/report/").status_code == 404
    assert client.get("/flows/GAO-FMP/count/").status_code == 404
    assert web_client("me.iom").get("/flows/GAO-FMP/count/").status_code == 403
    assert web_client("caseworker.kayes").get("/flows/").status_code == 404
    assert web_client("caseworker.kayes").get("/flows/national/").status_code == 404


def test_the_phone_form_records_and_keeps_the_choices(web_client, points):
    client = web_client("enumerator.gao")
    page = client.get("/flows/")
    assert page.status_code == 200 and "/flows/GAO-FMP/count/" in page.content.decode()
    form = client.get("/flows/GAO-FMP/count/")
    assert form.status_code == 200 and 'name="viewport"' in form.content.decode()
    data = {"date": "2024-03-04", "direction": "out", "nationality": "CI", "sex": "M", "age_group": "18-59",
            "transport": "bus", "reason": "economic", "count": "14"}
    done = client.post("/flows/GAO-FMP/count/", data)
    assert done.status_code == 302 and "nationality=CI" in done["Location"]
    after = client.get(done["Location"]).content.decode()
    assert "14" in after and 'value="out" checked' in after
    bad = client.post("/flows/GAO-FMP/count/", {**data, "count": "-3"})
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    clash = client.post("/flows/GAO-FMP/count/", {**data, "count": "15"}, follow=True)
    assert "correction" in clash.content.decode()


def test_the_count_boxes_open_the_phone_number_keypad_and_the_server_still_checks(web_client, points):
    """The enumerator's count and tally boxes: digits only (inputmode numeric, pattern, min 0, whole
    steps), and what a browser lets through anyway is still refused naming the field."""
    import re

    client = web_client("enumerator.gao")
    html = client.get("/flows/GAO-FMP/count/").content.decode()
    for name in ("count", "total"):
        box = re.search(rf'<input type="number" name="{name}"[^>]*>', html).group(0)
        assert all(attr in box for attr in ('inputmode="numeric"', 'pattern="[0-9]*"', 'min="0"', 'step="1"'))
    data = {"date": "2024-03-04", "direction": "out", "nationality": "CI", "sex": "M", "age_group": "18-59",
            "transport": "bus", "reason": "economic"}
    for wrong in ("-3", "1.5", "douze", ""):
        bad = client.post("/flows/GAO-FMP/count/", {**data, "count": wrong}).content.decode()
        assert "Nombre de personnes" in bad.split('class="errorlist"', 1)[1].split("</ul>", 1)[0]
    assert client.post("/flows/GAO-FMP/count/", {**data, "count": "12"}).status_code == 302

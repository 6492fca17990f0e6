"""Data quality of the counts: missing days, outliers against the point's own history, tallies the
lines don't add up to, late entries, the M&E check of a day — and who sees which point."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from parcours.core.errors import Conflict, Forbidden, NotFound
from parcours.facts.models import Fact
from parcours.flows.events import FlowEvent
from parcours.flows.models import Count, Point, Tally
from parcours.flows.quality import flags_for, robust_z
from parcours.flows.services import day_check, tally_record

pytestmark = pytest.mark.django_db

MARCH = (dt.date(2024, 3, 1), dt.date(2024, 3, 31))


def test_robust_z_is_not_dragged_by_the_outlier_itself():
    history = [10, 12, 9, 11, 10, 13, 8, 10, 11, 10]
    z, median = robust_z(60, history)
    assert median == 10 and z > 20
    assert abs(robust_z(11, history)[0]) < 1
    assert robust_z(5, [5] * 10) is None  # no spread at all: nothing to compare with
    z, median = robust_z(9, [5] * 8 + [6, 7])  # most days identical: mean absolute deviation instead
    assert median == 5 and z > 3.5


@pytest.fixture
def month(record):
    """Gao in March 2024: 9 to 11 in and 5 to 7 out a day, but the 10th (nobody counted), the 20th
    (a convoy: 90 in) and the 25th (no line out typed: the sheet is half there)."""
    for day in range(1, 32):
        if day == 10:
            continue
        date = f"2024-03-{day:02d}"
        record(90 if day == 20 else 9 + day % 3, date=date)
        if day != 25:
            record(5 + day % 3, date=date, direction="out", destination="DZ")


def kinds(flags, kind):
    return {(f.point.code, f.day, f.direction) for f in flags if f.kind == kind}


def test_flags_missing_days_and_outliers_both_ways(month, points):
    with translation.override("en"):
        flags = flags_for(Point.objects.all(), *MARCH)
    assert kinds(flags, "missing") == {("GAO-FMP", dt.date(2024, 3, 10), "")}  # others never counted: not missing
    assert kinds(flags, "outlier") == {("GAO-FMP", dt.date(2024, 3, 20), "in"), ("GAO-FMP", dt.date(2024, 3, 25), "out")}
    convoy = next(f for f in flags if f.kind == "outlier" and f.direction == "in")
    assert convoy.value == 90 and convoy.expected == 10
    assert "90 incoming" in convoy.message and " 10," in convoy.message and "53.9 typical" in convoy.message
    assert not kinds(flags_for(Point.objects.all(), dt.date(2024, 3, 1), dt.date(2024, 3, 9)), "missing")


def test_tally_lines_that_dont_add_up_and_corrections(world, month, points):
    gao = world.user("enumerator.gao")
    tally_record(by=gao, data={"point": "GAO-FMP", "date": "2024-03-05", "direction": "in", "total": 11})
    tally, created = tally_record(by=gao, data={"point": "GAO-FMP", "date": "2024-03-06", "direction": "in",
                                                "total": 14})
    assert created
    again, created = tally_record(by=gao, data={"point": "GAO-FMP", "date": "2024-03-06", "direction": "in",
                                                "total": 14})
    assert not created and again == tally
    flags = flags_for(Point.objects.all(), *MARCH)
    mismatch = [f for f in flags if f.kind == "mismatch"]
    assert [(f.day, f.value, f.expected) for f in mismatch] == [(dt.date(2024, 3, 6), 9, 14)]
    assert "(-5)" in mismatch[0].message
    with pytest.raises(Conflict):
        tally_record(by=gao, data={"point": "GAO-FMP", "date": "2024-03-06", "direction": "in", "total": 10})
    fixed, _created = tally_record(by=gao, data={"point": "GAO-FMP", "date": "2024-03-06", "direction": "in",
                                                 "total": 9, "correction": True})
    assert fixed.replaces == tally and Tally.objects.filter(live=True).count() == 2
    assert not kinds(flags_for(Point.objects.all(), *MARCH), "mismatch")


def test_late_entries_are_first_lines_typed_days_after(month, points, record):
    Count.objects.filter(day=dt.date(2024, 3, 12)).update(
        recorded_at=timezone.make_aware(dt.datetime(2024, 3, 21, 10)))
    Count.objects.filter(day=dt.date(2024, 3, 13)).update(  # two days later: not late
        recorded_at=timezone.make_aware(dt.datetime(2024, 3, 15, 10)))
    Count.objects.exclude(day__in=[dt.date(2024, 3, 12), dt.date(2024, 3, 13)]).update(
        recorded_at=timezone.make_aware(dt.datetime(2024, 3, 1, 10)))
    late = [f for f in flags_for(Point.objects.all(), *MARCH) if f.kind == "late"]
    assert [(f.day, f.value) for f in late] == [(dt.date(2024, 3, 12), 9 + 5)]
    assert "9" in late[0].message and "21/03/2024" in late[0].message
    record(12, date="2024-03-14", correction=True)  # a correction today is not a late entry
    assert Count.objects.filter(day=dt.date(2024, 3, 14), live=False).count() == 1
    Count.objects.filter(day=dt.date(2024, 3, 14), replaces__isnull=True).update(
        recorded_at=timezone.make_aware(dt.datetime(2024, 3, 14, 19)))
    assert [f.day for f in flags_for(Point.objects.all(), *MARCH) if f.kind == "late"] == [dt.date(2024, 3, 12)]


def test_me_marks_a_day_checked_once_dated_and_recorded(world, month, points, kidal_enumerator):
    me = world.user("me.iom")
    check, created = day_check(by=me, data={"point": "GAO-FMP", "date": "2024-03-20", "note": "Convoi confirmé"})
    assert created and check.checked_by == me and check.checked_at is not None
    again, created = day_check(by=me, data={"point": "GAO-FMP", "date": "2024-03-20"})
    assert not created and again == check
    fact = Fact.objects.get(kind=FlowEvent.DAY_CHECKED)
    assert fact.occurred_on == dt.date(2024, 3, 20) and fact.place == points["GAO-FMP"].place
    convoy = next(f for f in flags_for(Point.objects.all(), *MARCH) if f.kind == "outlier" and f.direction == "in")
    assert convoy.check == check
    with pytest.raises(Forbidden):
        day_check(by=world.user("enumerator.gao"), data={"point": "GAO-FMP", "date": "2024-03-20"})
    with pytest.raises(NotFound):
        day_check(by=kidal_enumerator, data={"point": "GAO-FMP", "date": "2024-03-20"})
    with pytest.raises(NotFound):
        day_check(by=world.user("caseworker.kayes"), data={"point": "GAO-FMP", "date": "2024-03-20"})


@pytest.fixture
def kidal_gap(world, record, kidal_enumerator):
    for day in (1, 2, 4):
        record(5, by="enumerator.kidal", point="KID-FMP", date=f"2024-03-{day:02d}")


def test_quality_api_scope(api_client, month, kidal_gap, points):
    me = api_client("me.iom", "en")
    body = me.get("/api/v1/flows/quality?from=2024-03-01&to=2024-03-31").json()
    assert body["period_start"] == "2024-03-01" and body["period_end"] == "2024-03-31"
    found = {(r["point"], r["date"], r["kind"]) for r in body["results"]}
    assert ("GAO-FMP", "2024-03-10", "missing") in found and ("KID-FMP", "2024-03-03", "missing") in found
    assert ("GAO-FMP", "2024-03-20", "outlier") in found
    only = me.get("/api/v1/flows/quality?from=2024-03-01&to=2024-03-31&kind=outlier&point=GAO-FMP").json()
    assert {r["kind"] for r in only["results"]} == {"outlier"} and {r["point"] for r in only["results"]} == {"GAO-FMP"}

    gao = api_client("enumerator.gao", "fr")
    mine = gao.get("/api/v1/flows/quality?from=2024-03-01&to=2024-03-31").json()["results"]
    assert mine and {r["point"] for r in mine} == {"GAO-FMP"}
    assert "Rien n'a été compté" in next(r["message"] for r in mine if r["kind"] == "missing")
    assert gao.get("/api/v1/flows/quality?point=KID-FMP&from=2024-03-01&to=2024-03-31").status_code == 404
    kidal = api_client("enumerator.kidal").get("/api/v1/flows/quality?from=2024-03-01&to=2024-03-31").json()
    assert {r["point"] for r in kidal["results"]} == {"KID-FMP"}
    for role in ("caseworker.kayes", "reception.bamako", "partner.cfpm"):
        assert api_client(role).get("/api/v1/flows/quality").status_code == 404
    bad = me.get("/api/v1/flows/quality?from=2024-03-31&to=2024-03-01")
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]
    assert me.get("/api/v1/flows/quality?from=2020-01-01&to=2024-03-01").status_code == 400


def test_checks_and_tallies_over_the_api(api_client, month, points, kidal_enumerator):
    me = api_client("me.iom", "en")
    body = {"point": "GAO-FMP", "date": "2024-03-10", "note": "Enquêteur malade"}
    first = me.post("/api/v1/flows/quality/checks", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["checked_by"] == "me.iom"
    assert me.post("/api/v1/flows/quality/checks", body, content_type="application/json").status_code == 200
    flags = me.get("/api/v1/flows/quality?from=2024-03-10&to=2024-03-10").json()["results"]
    assert flags[0]["checked"]["note"] == "Enquêteur malade"
    gao = api_client("enumerator.gao")
    assert gao.post("/api/v1/flows/quality/checks", body, content_type="application/json").status_code == 403
    assert api_client("enumerator.kidal").post("/api/v1/flows/quality/checks", body,
                                               content_type="application/json").status_code == 404

    tally = {"point": "GAO-FMP", "date": "2024-03-11", "direction": "out", "total": 7}
    assert gao.post("/api/v1/flows/tallies", tally, content_type="application/json").status_code == 201
    assert gao.post("/api/v1/flows/tallies", tally, content_type="application/json").status_code == 200
    clash = gao.post("/api/v1/flows/tallies", {**tally, "total": 8}, content_type="application/json")
    assert clash.status_code == 409 and "total" in clash.json()["error"]["fields"]
    fixed = gao.post("/api/v1/flows/tallies", {**tally, "total": 8, "correction": True},
                     content_type="application/json")
    assert fixed.status_code == 201 and fixed.json()["replaces"]
    bad = gao.post("/api/v1/flows/tallies", {**tally, "total": -1}, content_type="application/json")
    assert bad.status_code == 400 and "total" in bad.json()["error"]["fields"]
    assert me.post("/api/v1/flows/tallies", tally, content_type="application/json").status_code == 403
    assert api_client("enumerator.kidal").post("/api/v1/flows/tallies", tally,
                                               content_type="application/json").status_code == 404


def test_quality_page_and_check_form(web_client, month, kidal_gap, points):
    me = web_client("me.iom")
    page = me.get("/flows/quality/?period=2024-03-16")
    body = page.content.decode()
    assert page.status_code == 200 and 'value="KID-FMP"><input type="hidden" name="date" value="2024-03-31"' in body
    assert "90 entrants" in body and "Marquer le jour vérifié" in body
    done = me.post("/flows/quality/check/", {"point": "GAO-FMP", "date": "2024-03-20", "note": "convoi",
                                            "period": "2024-03-16"})
    assert done.status_code == 302 and "period=2024-03-16" in done["Location"]
    assert "convoi" in me.get(done["Location"]).content.decode()
    first_half = me.get("/flows/quality/?period=2024-03-01&point=GAO-FMP").content.decode()
    assert 'value="2024-03-10"' in first_half and 'name="point" value="KID-FMP"' not in first_half
    gao = web_client("enumerator.gao")
    mine = gao.get("/flows/quality/?period=2024-03-01").content.decode()
    assert "Gao" in mine and "KID-FMP" not in mine and "Marquer le jour vérifié" not in mine
    assert gao.post("/flows/quality/check/", {"point": "GAO-FMP", "date": "2024-03-10"}).status_code == 403
    assert gao.get("/flows/quality/?point=KID-FMP").status_code == 404
    assert web_client("caseworker.kayes").get("/flows/quality/").status_code == 404
    assert web_client("caseworker.kayes").post("/flows/quality/check/", {"point": "GAO-FMP"}).status_code == 404


def test_the_phone_page_records_the_tally_beside_the_lines(web_client, month, points):
    client = web_client("enumerator.gao")
    done = client.post("/flows/GAO-FMP/tally/", {"date": "2024-03-05", "direction": "in", "total": "12"})
    assert done.status_code == 302 and "date=2024-03-05" in done["Location"]
    page = client.get(done["Location"]).content.decode()
    assert 'class="mismatch"' in page and ">12<" in page  # the lines say 11
    assert web_client("me.iom").post("/flows/GAO-FMP/tally/", {"date": "2024-03-05"}).status_code == 403

"""Closing a call for proposals and changing a grant: M&E officers and the administrator only;
the report calendar follows the period, activities already held keep fitting."""

import datetime as dt

import pytest

from parcours.core.errors import ValidationFailed
from parcours.outreach.grants import call_close, grant_award, grant_update
from parcours.outreach.models import Call, Grant, GrantReport

pytestmark = pytest.mark.django_db
CALLS, GRANTS = "/api/v1/sensitization/calls", "/api/v1/sensitization/grants"


def test_a_closed_call_takes_no_more_grants_and_a_retry_keeps_the_first_day(world, call, grant):
    me = world.user("me.iom")
    closed = call_close(by=me, call_id=call.pk, on=dt.date(2024, 3, 1))
    again = call_close(by=me, call_id=call.pk, on=dt.date(2024, 4, 1))
    assert (closed.status, again.closed_on) == (Call.Status.CLOSED, dt.date(2024, 3, 1))
    with pytest.raises(ValidationFailed) as refused:
        grant_award(by=me, call=call.reference, grantee="AJDM", reference="G-2", amount_xof=1_000_000,
                    starts_on=dt.date(2024, 5, 1), ends_on=dt.date(2024, 9, 30))
    assert "call" in refused.value.fields
    assert Grant.objects.get(pk=grant.pk).ends_on == dt.date(2024, 12, 31)  # awarded ones run on


@pytest.mark.parametrize(("on", "field"), [("2023-12-31", "on"), ("2999-01-01", "on"), ("1er mars", "on")])
def test_a_bad_closing_day_is_refused_naming_it(world, call, on, field):
    with pytest.raises(ValidationFailed) as refused:
        call_close(by=world.user("me.iom"), call_id=call.pk, on=on)
    assert field in refused.value.fields and Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED


def test_changing_the_period_lays_the_report_calendar_again_keeping_received_reports(world, grant):
    me = world.user("me.iom")
    first = grant.reports.order_by("due_on").first()
    first.received_on = dt.date(2024, 4, 10)
    first.save(update_fields=["received_on"])
    grant_update(by=me, grant_id=grant.pk, ends_on=dt.date(2024, 8, 31), amount_xof=9_000_000, target_people=80)
    grant.refresh_from_db()
    assert (grant.ends_on, grant.amount_xof, grant.target_people, grant.title) == (
        dt.date(2024, 8, 31), 9_000_000, 80, "Causeries")
    reports = list(GrantReport.objects.filter(grant=grant).order_by("due_on").values_list("kind", "period_end"))
    assert reports == [("quarterly", dt.date(2024, 3, 31)), ("quarterly", dt.date(2024, 6, 30)),
                       ("final", dt.date(2024, 8, 31))]
    assert GrantReport.objects.get(grant=grant, period_end=dt.date(2024, 3, 31)).received_on == dt.date(2024, 4, 10)


def test_a_change_must_keep_the_activities_held_and_the_budget(world, grant, record):
    record(by="me.iom", on=dt.date(2024, 10, 5), commune="Nioro", grant=grant.pk)
    me = world.user("me.iom")
    for change, field in (({"ends_on": dt.date(2024, 9, 30)}, "ends_on"), ({"communes": ["Kayes"]}, "communes"),
                          ({"amount_xof": 60_000_000}, "amount_xof"), ({"communes": ["Sikasso"]}, "communes"),
                          ({"reference": "G-9"}, "reference")):
        with pytest.raises(ValidationFailed) as refused:
            grant_update(by=me, grant_id=grant.pk, **change)
        assert field in refused.value.fields, change
    assert Grant.objects.get(pk=grant.pk).ends_on == dt.date(2024, 12, 31)


@pytest.mark.parametrize(("username", "status"), [
    ("me.iom", 200), ("admin", 200),
    ("focal.kayes", 403),      # the grantee's own focal point reads its grant, changes nothing
    ("manager.eu", 403), ("auditor", 403),
    ("focal.sikasso", 404),    # another organisation's grant
    ("caseworker.kayes", 404),
])
def test_who_may_change_a_grant_or_close_a_call_over_the_api(api_client, grant, focal_kayes, username, status):
    client = api_client(username)
    r = client.patch(f"{GRANTS}/{grant.pk}", {"target_people": 150}, content_type="application/json")
    assert r.status_code == status, r.content
    if status == 200:
        assert r.json()["progress"]["target_people"] == 150
    assert Grant.objects.get(pk=grant.pk).target_people == (150 if status == 200 else 100)
    closed = client.post(f"{CALLS}/{grant.call_id}/close", {}, content_type="application/json")
    expected = {200: 200, 403: 403, 404: 404}[status]
    if username in ("focal.kayes", "focal.sikasso"):
        expected = 403  # a published call is read by focal points; only managers close it
    if username == "caseworker.kayes":
        expected = 404
    assert closed.status_code == expected, closed.content
    if expected == 200:
        assert closed.json()["status"] == "closed"


def test_the_pages_close_a_call_and_change_a_grant(web_client, grant):
    client = web_client("me.iom")
    page = client.get(f"/sensitization/grants/{grant.pk}/").content.decode()
    assert 'name="ends_on"' in page and "/edit/" in page
    r = client.post(f"/sensitization/grants/{grant.pk}/edit/", {
        "title": "Causeries", "amount_xof": "12 000 000", "starts_on": "2024-02-15", "ends_on": "2024-11-30",
        "communes": "Kayes, Nioro", "target_people": "120", "target_activities": "4"})
    assert r.status_code == 302 and Grant.objects.get(pk=grant.pk).ends_on == dt.date(2024, 11, 30)
    assert "/close/" in client.get("/sensitization/grants/").content.decode()
    assert client.post(f"/sensitization/grants/calls/{grant.call_id}/close/", {"on": "2024-02-01"}).status_code == 302
    assert Call.objects.get(pk=grant.call_id).status == Call.Status.CLOSED
    other = web_client("focal.sikasso")
    assert other.post(f"/sensitization/grants/{grant.pk}/edit/", {"target_people": "1"}).status_code == 404

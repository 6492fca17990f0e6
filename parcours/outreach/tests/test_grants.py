"""Grants to civil-society organisations: the report calendar, retry-safe awards, overdue reports by
the local date, what the activities under a grant reached, and who sees and does what."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from parcours.accounts.models import Agency
from parcours.core.errors import Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.outreach.events import OutreachEvent
from parcours.outreach.grants import (
    grant_award,
    grant_progress,
    grants_list,
    report_calendar,
    report_receive,
    reports_overdue,
)
from parcours.outreach.models import Grant, GrantReport
from parcours.outreach.policies import grant_for_read, grants_usable_by

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_calendar_of_a_grant_starting_mid_quarter():
    grant = SimpleNamespace(starts_on=D(2024, 2, 15), ends_on=D(2024, 12, 31))
    assert [(r.kind, r.period_start, r.period_end, r.due_on) for r in report_calendar(grant)] == [
        ("quarterly", D(2024, 2, 15), D(2024, 3, 31), D(2024, 4, 15)),
        ("quarterly", D(2024, 4, 1), D(2024, 6, 30), D(2024, 7, 15)),
        ("quarterly", D(2024, 7, 1), D(2024, 9, 30), D(2024, 10, 15)),
        # The last quarter ends with the grant: the final report covers it, 30 days after.
        ("final", D(2024, 2, 15), D(2024, 12, 31), D(2025, 1, 30)),
    ]


def test_the_calendar_of_a_grant_ending_mid_quarter_and_of_a_short_one():
    grant = SimpleNamespace(starts_on=D(2024, 11, 20), ends_on=D(2025, 5, 10))
    assert [(r.kind, r.period_end, r.due_on) for r in report_calendar(grant)] == [
        ("quarterly", D(2024, 12, 31), D(2025, 1, 15)),
        ("quarterly", D(2025, 3, 31), D(2025, 4, 15)),
        ("final", D(2025, 5, 10), D(2025, 6, 9)),
    ]
    short = SimpleNamespace(starts_on=D(2024, 4, 2), ends_on=D(2024, 6, 1))
    assert [(r.kind, r.due_on) for r in report_calendar(short)] == [("final", D(2024, 7, 1))]


def test_an_award_sent_twice_makes_one_grant_with_one_calendar(world, grant):
    again = grant_award(by=world.user("me.iom"), call="AAP-2024-01", grantee="AJDM", reference="G-1",
                        amount_xof=12_000_000, starts_on=D(2024, 2, 15), ends_on=D(2024, 12, 31))
    assert again.pk == grant.pk and again.replayed and not grant.replayed
    assert Grant.objects.count() == 1 and GrantReport.objects.filter(grant=grant).count() == 4
    fact = Fact.objects.get(kind=OutreachEvent.GRANT_AWARDED)
    assert (fact.amount_xof, fact.agency.code, fact.data["reference"]) == (12_000_000, "AJDM", "G-1")
    with pytest.raises(ValidationFailed) as err:  # the same reference for another organisation
        grant_award(by=world.user("me.iom"), call="AAP-2024-01", grantee="ENDA", reference="G-1",
                    amount_xof=1000, starts_on=D(2024, 2, 15), ends_on=D(2024, 12, 31))
    assert "reference" in err.value.fields


@pytest.mark.parametrize(("change", "field"), [
    ({"grantee": "IOM"}, "grantee"),  # not a civil-society organisation
    ({"grantee": "NOPE"}, "grantee"),
    ({"call": "AAP-9"}, "call"),
    ({"ends_on": D(2024, 1, 1)}, "ends_on"),
    ({"communes": ["Sikasso"]}, "communes"),  # outside the call's area (Kayes)
    ({"communes": ["Nyoro"]}, "communes"),
    ({"amount_xof": 60_000_000}, "amount_xof"),  # over the call's budget left
    ({"amount_xof": 0}, "amount_xof"),
])
def test_a_bad_award_names_the_field_and_writes_nothing(world, call, change, field):
    values = {"call": "AAP-2024-01", "grantee": "ENDA", "reference": "G-9", "amount_xof": 1_000_000,
              "starts_on": D(2024, 3, 1), "ends_on": D(2024, 9, 30), **change}
    with pytest.raises(ValidationFailed) as err:
        grant_award(by=world.user("me.iom"), **values)
    assert field in err.value.fields
    assert not Grant.objects.exists() and not GrantReport.objects.exists()


def test_reports_are_overdue_by_the_local_date(world, grant, settings, monkeypatch):
    first = grant.reports.order_by("due_on").first()
    assert first.due_on == D(2024, 4, 15)
    # 23:30 UTC on the due date: still the due date in Bamako, already the next day in Tokyo.
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2024, 4, 15, 23, 30, tzinfo=dt.UTC))
    me = world.user("me.iom")
    assert list(reports_overdue(me)) == []
    settings.TIME_ZONE = "Asia/Tokyo"
    assert list(reports_overdue(me)) == [first]
    assert grants_list(me).get().overdue_reports == 1
    report_receive(by=me, grant_id=grant.pk, report_id=first.pk, note="Reçu par courriel")
    report_receive(by=me, grant_id=grant.pk, report_id=first.pk)  # a retry
    first.refresh_from_db()
    assert (first.received_on, first.received_by, first.note) == (D(2024, 4, 16), me, "Reçu par courriel")
    assert list(reports_overdue(me)) == [] and grants_list(me).get().overdue_reports == 0
    assert Fact.objects.filter(kind=OutreachEvent.GRANT_REPORT_RECEIVED).count() == 1


def test_a_report_received_in_the_future_is_refused(world, grant):
    report = grant.reports.first()
    with pytest.raises(ValidationFailed) as err:
        report_receive(by=world.user("me.iom"), grant_id=grant.pk, report_id=report.pk, on=D(2099, 1, 1))
    assert "on" in err.value.fields


def test_progress_counts_people_met_and_keeps_the_media_audience_apart(world, grant, record, focal_kayes):
    on_grant = {"by": "focal.kayes", "commune": "Kayes", "grant": grant, "on": D(2024, 3, 1)}
    record(**on_grant, participants_male=10, participants_female=15, participants_minors=5)
    record(**on_grant, kind="training", audience="security_agents", participants_male=20, participants_female=1)
    record(**on_grant, kind="media", participants_male=0, participants_female=0, audience_estimate=25_000)
    cancelled = record(**on_grant, participants_male=100, participants_female=100)
    from parcours.outreach.services import activity_cancel

    activity_cancel(by=focal_kayes, activity_id=cancelled.pk, reason="Doublon")
    record(by="focal.kayes", commune="Kayes", on=D(2024, 3, 1), participants_male=7, participants_female=7)  # no grant
    progress = grant_progress(grant)
    # Hand-counted: 10 + 20 + 0 men, 15 + 1 + 0 women; 25 000 listeners never added to people met.
    assert (progress["activities"], progress["participants_male"], progress["participants_female"]) == (3, 30, 16)
    assert (progress["people_reached"], progress["people_sensitized"], progress["agents_trained"]) == (46, 25, 21)
    assert (progress["participants_minors"], progress["media_audience"]) == (5, 25_000)
    assert (progress["people_percent"], progress["activities_percent"]) == (46, 75)  # targets 100 and 4


def test_an_activity_under_a_grant_is_organised_by_its_grantee(world, grant, record, focal_kayes):
    activity = record(by="focal.kayes", commune="Nioro", grant=grant, on=D(2024, 5, 2))
    assert (activity.organiser.code, activity.organiser_kind, activity.grant) == ("AJDM", "cso", grant)
    fact = Fact.objects.get(kind=OutreachEvent.ACTIVITY_HELD)
    assert fact.data["grant"] == "G-1"
    # The M&E officer records under any grant.
    assert record(by="me.iom", commune="Kayes", grant=grant.pk, on=D(2024, 5, 3)).grant == grant


@pytest.mark.parametrize(("by", "fields", "field"), [
    ("focal.kayes", {"on": D(2024, 1, 10)}, "grant"),  # before the grant started
    ("focal.kayes", {"on": D(2025, 1, 10)}, "grant"),  # after it ended
    ("focal.kayes", {"commune": "Diéma"}, "commune"),  # not one of the grant's communes
    ("focal.kayes", {"organiser": "ENDA"}, "organiser"),
    ("focal.sikasso", {"commune": "Sikasso"}, "grant"),  # another agency's grant
])
def test_an_activity_outside_what_its_grant_allows_is_refused(world, grant, record, focal_kayes, by, fields, field):
    values = {"commune": "Kayes", "on": D(2024, 3, 1), "grant": grant, **fields}
    with pytest.raises(ValidationFailed) as err:
        record(by=by, **values)
    assert field in err.value.fields
    assert not Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD).exists()


def test_the_grantee_sees_its_own_grants_and_no_other(world, grant, focal_kayes):
    other = grant_award(by=world.user("me.iom"), call="AAP-2024-01", grantee="ENDA", reference="G-2",
                        amount_xof=5_000_000, starts_on=D(2024, 3, 1), ends_on=D(2024, 8, 31))
    assert grant_for_read(focal_kayes, grant.pk) == grant
    assert list(grants_list(focal_kayes)) == [grant]
    assert list(grants_usable_by(focal_kayes)) == [grant]
    with pytest.raises(NotFound):
        grant_for_read(focal_kayes, other.pk)
    for username in ("focal.sikasso", "caseworker.ajdm", "reception.bamako", "partner.cfpm"):
        with pytest.raises(NotFound):
            grant_for_read(world.user(username), grant.pk)
        assert not grants_list(world.user(username)).exists()
    for username in ("manager.eu", "auditor", "admin"):
        assert grants_list(world.user(username)).count() == 2


def test_a_focal_point_keeps_seeing_a_grant_it_recorded_under(world, grant, record, focal_kayes):
    record(by="focal.kayes", commune="Kayes", grant=grant)
    focal_kayes.agency = Agency.objects.get(code="ENDA")
    focal_kayes.save()
    assert grant_for_read(focal_kayes, grant.pk) == grant
    assert not grants_usable_by(focal_kayes).filter(pk=grant.pk).exists()


@pytest.mark.parametrize("username", ["manager.eu", "auditor", "focal.sikasso", "caseworker.ajdm", "reception.bamako"])
def test_lower_roles_may_not_award_or_mark_received(world, grant, username):
    from parcours.outreach.grants import call_publish

    user = world.user(username)
    with pytest.raises(Forbidden):
        grant_award(by=user, call="AAP-2024-01", grantee="ENDA", reference="G-3", amount_xof=1000,
                    starts_on=D(2024, 3, 1), ends_on=D(2024, 8, 31))
    with pytest.raises(Forbidden):
        call_publish(by=user, reference="AAP-X", title="x", opens_on=D(2024, 1, 1), closes_on=D(2024, 2, 1))
    with pytest.raises((Forbidden, NotFound)):
        report_receive(by=user, grant_id=grant.pk, report_id=grant.reports.first().pk)
    assert not GrantReport.objects.filter(received_on__isnull=False).exists()


def test_the_grantee_may_not_mark_its_own_report_received(world, grant, focal_kayes):
    with pytest.raises(Forbidden):
        report_receive(by=focal_kayes, grant_id=grant.pk, report_id=grant.reports.first().pk)


# -- over the API ----------------------------------------------------------------------------------

API = "/api/v1/sensitization"
CALL = {"reference": "AAP-2025-01", "title": "Libre circulation", "themes": ["free_movement"], "place": "Kayes",
        "opens_on": "2025-01-01", "closes_on": "2025-02-28", "budget_xof": 30_000_000}
GRANT = {"call": "AAP-2025-01", "grantee": "AJDM", "reference": "G-7", "amount_xof": 9_000_000,
         "starts_on": "2025-03-10", "ends_on": "2025-09-30", "communes": ["Kayes"], "target_people": 500}


def test_the_me_officer_publishes_a_call_and_awards_a_grant_retry_safe(api_client):
    client = api_client("me.iom")
    first = client.post(f"{API}/calls", CALL, content_type="application/json")
    again = client.post(f"{API}/calls", CALL, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200), first.content
    assert again.json()["id"] == first.json()["id"] and first.json()["place"] == "Kayes"
    made = client.post(f"{API}/grants", GRANT, content_type="application/json")
    retry = client.post(f"{API}/grants", GRANT, content_type="application/json")
    assert (made.status_code, retry.status_code) == (201, 200), made.content
    body = made.json()
    assert (body["grantee"], body["currency"], body["amount_xof"], body["communes"]) == ("AJDM", "XOF", 9_000_000,
                                                                                        ["Kayes"])
    assert client.get(f"{API}/grants").json()["count"] == 1
    assert client.get(f"{API}/calls").json()["results"][0]["grants"] == 1
    detail = client.get(f"{API}/grants/{body['id']}").json()
    assert [(r["kind"], r["due_on"]) for r in detail["reports"]] == [
        ("quarterly", "2025-04-15"), ("quarterly", "2025-07-15"), ("final", "2025-10-30")]
    assert detail["progress"]["target_people"] == 500 and detail["progress"]["people_reached"] == 0
    report = detail["reports"][0]
    r = client.post(f"{API}/grants/{body['id']}/reports/{report['id']}/received", {"on": "2025-04-20"},
                    content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["reports"][0]["received_on"] == "2025-04-20" and r.json()["reports"][0]["overdue"] is False


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"grantee": "IOM"}, "grantee", "Organisation internationale pour les migrations n'est pas une organisation "
                                    "de la société civile."),
    ({"communes": ["Sikasso"]}, "communes", "Hors de la zone de l'appel (Kayes) : Sikasso."),
    ({"ends_on": "2025-01-01"}, "ends_on", "La subvention ne peut pas finir avant de commencer."),
    ({"amount_xof": "beaucoup"}, "amount_xof", None),
    ({"call": None}, "call", None),
])
def test_a_bad_award_is_a_400_naming_the_field_in_french(api_client, change, field, message):
    client = api_client("me.iom", language="fr")
    client.post(f"{API}/calls", CALL, content_type="application/json")
    r = client.post(f"{API}/grants", {**GRANT, **change}, content_type="application/json")
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert error["code"] == "validation_failed" and field in error["fields"]
    if message:
        assert error["fields"][field] == [message]
    assert client.get(f"{API}/grants").json()["count"] == 0


def test_an_activity_under_a_grant_over_the_api(api_client, grant, focal_kayes):
    client = api_client("focal.kayes", language="fr")
    body = {"kind": "proximity_talk", "held_on": "2024-06-14", "commune": "Nioro", "theme": "free_movement",
            "audience": "community", "participants_male": 8, "participants_female": 12, "grant": str(grant.pk)}
    r = client.post(f"{API}/activities", body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert (r.json()["grant_reference"], r.json()["organiser"]) == ("G-1", "AJDM")
    late = client.post(f"{API}/activities", {**body, "held_on": "2025-02-01"}, content_type="application/json")
    assert late.status_code == 400
    assert late.json()["error"]["fields"]["grant"] == [
        "La subvention G-1 court du 2024-02-15 au 2024-12-31 : l'activité a eu lieu en dehors."]
    assert client.get(f"{API}/grants/{grant.pk}").json()["progress"]["people_reached"] == 20


@pytest.mark.parametrize(("username", "read", "award", "receive"), [
    ("me.iom", 200, 201, 200), ("admin", 200, 201, 200), ("manager.eu", 200, 403, 403), ("auditor", 200, 403, 403),
    ("focal.kayes", 200, 403, 403),  # the grantee's own focal point
    ("focal.sikasso", 404, 403, 404), ("caseworker.ajdm", 404, 403, 404), ("reception.bamako", 404, 403, 404),
    ("partner.cfpm", 404, 403, 404),
])
def test_who_reads_awards_and_marks_received(api_client, grant, focal_kayes, username, read, award, receive):
    client = api_client(username)
    assert client.get(f"{API}/grants/{grant.pk}").status_code == read
    assert client.get(f"{API}/grants").json()["count"] == (1 if read == 200 else 0)
    assert client.post(f"{API}/grants", {**GRANT, "call": "AAP-2024-01", "starts_on": "2024-03-01",
                                         "ends_on": "2024-06-30"},
                       content_type="application/json").status_code == award
    report = grant.reports.first()
    assert client.post(f"{API}/grants/{grant.pk}/reports/{report.pk}/received", {},
                       content_type="application/json").status_code == receive


# -- the pages -------------------------------------------------------------------------------------

def test_the_me_officer_publishes_awards_and_marks_received_from_the_pages(web_client, grant):
    client = web_client("me.iom", language="en")
    page = client.get("/sensitization/grants/").content.decode()
    assert "G-1" in page and 'class="overdue"' in page  # every 2024 report is overdue by now
    assert 'name="grantee"' in page and "Association des jeunes pour le développement de Mali" in page
    r = client.post("/sensitization/grants/calls/new/", {"reference": "AAP-2", "title": "Mopti", "place": "Mopti",
                                                         "opens_on": "2025-01-01", "closes_on": "2025-01-31",
                                                         "themes": ["legal_migration"]})
    assert r.status_code == 302
    r = client.post("/sensitization/grants/new/", {"call": "AAP-2", "grantee": "ENDA", "reference": "G-2",
                                                   "amount_xof": "2 500 000", "starts_on": "2025-02-01",
                                                   "ends_on": "2025-07-31", "communes": "Mopti",
                                                   "target_people": "300"})
    assert r.status_code == 302, r.content
    awarded = Grant.objects.get(reference="G-2")
    assert r["Location"] == f"/sensitization/grants/{awarded.pk}/" and awarded.amount_xof == 2_500_000
    detail = client.get(r["Location"]).content.decode()
    assert "Mark received" in detail and "ENDA Mali" in detail
    report = awarded.reports.order_by("due_on").first()
    client.post(f"/sensitization/grants/{awarded.pk}/reports/{report.pk}/received/", {"on": "2025-04-20"})
    report.refresh_from_db()
    assert report.received_on == D(2025, 4, 20)


def test_a_refused_award_says_why_and_writes_nothing(web_client, grant):
    client = web_client("me.iom", language="fr")
    r = client.post("/sensitization/grants/new/", {"call": "AAP-2024-01", "grantee": "IOM", "reference": "G-5",
                                                   "amount_xof": "10", "starts_on": "2024-03-01",
                                                   "ends_on": "2024-04-01"}, follow=True)
    assert "pas une organisation de la société civile" in r.content.decode()
    assert not Grant.objects.filter(reference="G-5").exists()


def test_the_grantee_reads_its_grant_and_records_under_it(web_client, grant, focal_kayes):
    client = web_client("focal.kayes", language="en")
    listing = client.get("/sensitization/grants/").content.decode()
    assert "G-1" in listing and 'name="grantee"' not in listing
    detail = client.get(f"/sensitization/grants/{grant.pk}/").content.decode()
    assert "Mark received" not in detail and "Record an activity" in detail
    form = client.get(f"/sensitization/new/?grant={grant.pk}").content.decode()
    assert "G-1 · AJDM · Causeries" in form
    r = client.post("/sensitization/new/", {"kind": "home_visit", "held_on": "2024-06-14", "commune": "Kayes",
                                            "theme": "local_opportunities", "audience": "community",
                                            "participants_male": "4", "participants_female": "7",
                                            "grant": str(grant.pk), "form_token": "t-1"})
    assert r.status_code == 302
    assert grant.activities.get().organiser.code == "AJDM"
    assert "G-1" in client.get(r["Location"]).content.decode()
    assert client.post("/sensitization/grants/new/", {"call": "AAP-2024-01"}).status_code == 403
    report = grant.reports.first()
    assert client.post(f"/sensitization/grants/{grant.pk}/reports/{report.pk}/received/").status_code == 403


def test_another_agency_sees_no_grant_page(web_client, grant):
    client = web_client("focal.sikasso", language="en")
    assert "G-1" not in client.get("/sensitization/grants/").content.decode()
    assert client.get(f"/sensitization/grants/{grant.pk}/").status_code == 404
    report = grant.reports.first()
    assert client.post(f"/sensitization/grants/{grant.pk}/reports/{report.pk}/received/").status_code == 404
    assert "Under the grant" not in client.get("/sensitization/new/").content.decode()  # no grant to offer
    for username in ("caseworker.ajdm", "reception.bamako", "partner.cfpm"):
        assert web_client(username).get("/sensitization/grants/").status_code == 404
        assert web_client(username).get(f"/sensitization/grants/{grant.pk}/").status_code == 404


def test_a_draft_call_is_seen_by_the_grant_managers_only_and_takes_no_grant(world, focal_kayes):
    from parcours.outreach.grants import call_publish, calls_list

    call_publish(by=world.user("me.iom"), reference="AAP-D", title="Brouillon", opens_on=D(2024, 1, 1),
                 closes_on=D(2024, 2, 1), status="draft")
    assert [c.reference for c in calls_list(world.user("manager.eu"))] == ["AAP-D"]
    assert not calls_list(focal_kayes).exists() and not calls_list(world.user("caseworker.ajdm")).exists()
    with pytest.raises(ValidationFailed) as err:
        grant_award(by=world.user("me.iom"), call="AAP-D", grantee="ENDA", reference="G-D", amount_xof=1000,
                    starts_on=D(2024, 3, 1), ends_on=D(2024, 8, 31))
    assert "call" in err.value.fields


def test_the_demo_grants_load_twice_without_change(world):
    from parcours.outreach.demo import load_demo_grants
    from parcours.outreach.models import Activity

    first = load_demo_grants()
    counts = (Grant.objects.count(), GrantReport.objects.count(), Activity.objects.count(), Fact.objects.count())
    again = load_demo_grants()
    assert (Grant.objects.count(), GrantReport.objects.count(), Activity.objects.count(), Fact.objects.count()) == counts
    assert counts[:1] == (3,) and first["overdue"] == again["overdue"] == 1

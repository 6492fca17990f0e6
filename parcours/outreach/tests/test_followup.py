"""The follow-up call a month after an activity and the pre/post perception questions: service,
API and pages; bad input names the field; another agency's focal point neither sees nor changes."""

import datetime as dt

import pytest

from parcours.core.errors import NotFound, ValidationFailed
from parcours.outreach import followup
from parcours.outreach.models import Activity

pytestmark = pytest.mark.django_db
URL = "/api/v1/sensitization/activities"


def test_the_call_falls_due_a_month_after_and_follows_a_corrected_day(world, record):
    from parcours.outreach.services import activity_correct

    activity = record(on=dt.date(2024, 1, 31))
    assert activity.followup_due_on == dt.date(2024, 2, 29)
    assert followup.followup_status(activity, dt.date(2024, 2, 28)) == "upcoming"
    assert followup.followup_status(activity, dt.date(2024, 2, 29)) == "due"
    assert followup.followup_status(activity, dt.date(2024, 3, 7)) == "due"
    assert followup.followup_status(activity, dt.date(2024, 3, 8)) == "overdue"
    activity = activity_correct(by=world.user("focal.sikasso"), activity_id=activity.pk, on=dt.date(2024, 3, 10))
    assert activity.followup_due_on == dt.date(2024, 4, 10)


def test_the_list_filter_finds_the_calls_due_and_overdue(world, record):
    from parcours.outreach.selectors import ActivityFilter, activities_list

    user = world.user("focal.sikasso")
    today = dt.date.today()
    old = record(on=today - dt.timedelta(days=90))
    due = record(on=followup.add_months(today, -1))
    recent = record(on=today)
    made = record(on=today - dt.timedelta(days=60))
    followup.followup_record(by=user, activity_id=made.pk, followup_on=today, followup_outcome="not_reached")
    ids = {s: set(activities_list(user, ActivityFilter(followup=s)).values_list("pk", flat=True))
           for s in ("overdue", "due", "upcoming", "done")}
    assert ids == {"overdue": {old.pk}, "due": {due.pk}, "upcoming": {recent.pk}, "done": {made.pk}}
    with pytest.raises(ValidationFailed) as exc:
        activities_list(user, ActivityFilter(followup="later"))
    assert "followup" in exc.value.fields


def test_record_the_call_and_the_perception(world, record):
    user = world.user("focal.sikasso")
    activity = record(on=dt.date(2024, 3, 1))  # 25 participants
    done = followup.followup_record(by=user, activity_id=activity.pk, followup_on="2024-04-02",
                                    followup_outcome="reached", followup_reached=12, followup_note=" Bien reçu ")
    assert (done.followup_on, done.followup_reached, done.followup_note) == (dt.date(2024, 4, 2), 12, "Bien reçu")
    assert followup.followup_status(done) == "done"
    counts = {"knows_risks_before": 5, "knows_risks_after": 20, "knows_free_movement_after": 25}
    done = followup.perception_record(by=user, activity_id=activity.pk, **counts)
    rows = {r["question"]: (r["before"], r["after"]) for r in followup.perception_rows(done)}
    assert rows == {"knows_risks": (5, 20), "knows_legal_way": (None, None), "knows_free_movement": (None, 25)}
    # Fields not sent keep their value.
    done = followup.perception_record(by=user, activity_id=activity.pk, knows_legal_way_before=3)
    assert (done.knows_risks_after, done.knows_legal_way_before) == (20, 3)


@pytest.mark.parametrize(("values", "field"), [
    ({"followup_on": "2024-02-28", "followup_outcome": "reached", "followup_reached": 3}, "followup_on"),
    ({"followup_on": "2999-01-01", "followup_outcome": "reached", "followup_reached": 3}, "followup_on"),
    ({"followup_on": "2024-04-02", "followup_outcome": "maybe"}, "followup_outcome"),
    ({"followup_on": "2024-04-02", "followup_outcome": "reached"}, "followup_reached"),
    ({"followup_on": "2024-04-02", "followup_outcome": "reached", "followup_reached": 26}, "followup_reached"),
    ({"followup_on": "2024-04-02", "followup_outcome": "reached", "followup_reached": "x"}, "followup_reached"),
])
def test_a_bad_call_names_the_field_and_changes_nothing(world, record, values, field):
    activity = record(on=dt.date(2024, 3, 1))
    with pytest.raises(ValidationFailed) as exc:
        followup.followup_record(by=world.user("focal.sikasso"), activity_id=activity.pk, **values)
    assert list(exc.value.fields) == [field]
    activity.refresh_from_db()
    assert activity.followup_on is None


def test_perception_counts_are_at_most_the_participants_named_in_french(world, record, settings):
    from django.utils import translation

    activity = record(on=dt.date(2024, 3, 1))  # 25 participants
    with translation.override("fr"), pytest.raises(ValidationFailed) as exc:
        followup.perception_record(by=world.user("focal.sikasso"), activity_id=activity.pk,
                                   knows_risks_before=4, knows_legal_way_after=26)
    assert list(exc.value.fields) == ["knows_legal_way_after"]
    message = exc.value.fields["knows_legal_way_after"][0]
    assert "migrer" in message and "25" in message
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        followup.perception_record(by=world.user("focal.sikasso"), activity_id=activity.pk, knows_risks_after=-1)
    assert "knows_risks_after" in exc.value.fields
    activity.refresh_from_db()
    assert activity.knows_risks_before is None


def test_a_correction_cannot_drop_below_the_counts_given(world, record):
    from parcours.outreach.services import activity_correct

    user = world.user("focal.sikasso")
    activity = record(on=dt.date(2024, 3, 1))
    followup.perception_record(by=user, activity_id=activity.pk, knows_risks_after=20)
    with pytest.raises(ValidationFailed) as exc:
        activity_correct(by=user, activity_id=activity.pk, participants_female=5)
    assert "participants_male" in exc.value.fields


def test_another_agency_neither_sees_nor_changes(world, record, focal_kayes):
    from parcours.core.errors import Forbidden

    activity = record(on=dt.date(2024, 3, 1))
    with pytest.raises(NotFound):
        followup.followup_record(by=focal_kayes, activity_id=activity.pk, followup_on="2024-04-02",
                                 followup_outcome="not_reached")
    with pytest.raises(NotFound):
        followup.perception_record(by=focal_kayes, activity_id=activity.pk, knows_risks_after=1)
    with pytest.raises(Forbidden):
        followup.perception_record(by=world.user("manager.eu"), activity_id=activity.pk, knows_risks_after=1)
    activity.refresh_from_db()
    assert (activity.followup_on, activity.knows_risks_after) == (None, None)


def test_over_the_api(api_client, record):
    activity = record(on=dt.date(2024, 3, 1))
    client = api_client("focal.sikasso", language="fr")
    r = client.post(f"{URL}/{activity.pk}/followup", {"followup_on": "2024-04-01", "followup_outcome": "reached",
                                                      "followup_reached": 30}, content_type="application/json")
    assert r.status_code == 400 and list(r.json()["error"]["fields"]) == ["followup_reached"]
    r = client.post(f"{URL}/{activity.pk}/followup", {"followup_on": "2024-04-01", "followup_outcome": "reached",
                                                      "followup_reached": 10}, content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["followup_status"], body["followup_reached"], body["followup_due_on"]) == ("done", 10, "2024-04-01")
    r = client.post(f"{URL}/{activity.pk}/perception", {"knows_risks_before": 3, "knows_risks_after": 19},
                    content_type="application/json")
    assert r.status_code == 200
    assert r.json()["perception"][0] == {"question": "knows_risks", "label": "connaît les risques de la migration "
                                         "irrégulière", "before": 3, "after": 19}
    assert client.get(URL, {"followup": "done"}).json()["count"] == 1
    assert client.get(URL, {"followup": "overdue"}).json()["count"] == 0


def test_over_the_api_another_region_gets_404(api_client, record, focal_kayes):
    activity = record(on=dt.date(2024, 3, 1))
    client = api_client("focal.kayes")
    r = client.post(f"{URL}/{activity.pk}/perception", {"knows_risks_before": 3}, content_type="application/json")
    assert r.status_code == 404
    r = client.post(f"{URL}/{activity.pk}/followup", {"followup_on": "2024-04-01", "followup_outcome": "not_reached"},
                    content_type="application/json")
    assert r.status_code == 404
    assert Activity.objects.get().followup_on is None


def test_from_the_page_on_a_phone(web_client, record):
    activity = record(on=followup.add_months(dt.date.today(), -1))
    client = web_client("focal.sikasso")
    listing = client.get("/sensitization/", {"followup": "due"}).content.decode()
    assert 'class="followup due"' in listing
    page = client.get(f"/sensitization/{activity.pk}/").content.decode()
    assert 'name="followup_reached"' in page and 'name="knows_free_movement_after"' in page
    r = client.post(f"/sensitization/{activity.pk}/followup/", {
        "followup_on": dt.date.today().isoformat(), "followup_outcome": "reached", "followup_reached": "99"})
    assert r.status_code == 302
    activity.refresh_from_db()
    assert activity.followup_on is None
    assert "25" in client.get(r["Location"]).content.decode()
    client.post(f"/sensitization/{activity.pk}/followup/", {
        "followup_on": dt.date.today().isoformat(), "followup_outcome": "reached", "followup_reached": "9"})
    client.post(f"/sensitization/{activity.pk}/perception/", {"knows_legal_way_before": "2", "knows_legal_way_after": "8"})
    activity.refresh_from_db()
    assert (activity.followup_reached, activity.knows_legal_way_before, activity.knows_legal_way_after) == (9, 2, 8)
    assert 'class="followup done"' in client.get("/sensitization/").content.decode()


def test_the_pages_refuse_another_region(web_client, record, focal_kayes):
    activity = record(on=dt.date(2024, 3, 1))
    client = web_client("focal.kayes")
    assert client.post(f"/sensitization/{activity.pk}/perception/", {"knows_risks_after": "1"}).status_code == 404
    assert client.post(f"/sensitization/{activity.pk}/followup/", {"followup_outcome": "reached"}).status_code == 404

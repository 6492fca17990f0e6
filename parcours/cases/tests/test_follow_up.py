"""Follow-ups at 1, 3, 6 and 12 months after the plan starts (a schedule kept as data), their
outcomes, and the daily reminders on the case worker's "today" page."""

import datetime as dt

import pytest

from parcours.cases import services, tasks
from parcours.cases.models import Case, FollowUp, FollowUpOffset, Reminder
from parcours.core.errors import NotFound, ValidationFailed
from parcours.facts.models import Fact


@pytest.fixture
def planned(walk, case):
    walk.screen(case)
    walk.orient(case)
    walk.plan(case, start="2020-01-31")
    return Case.objects.get(pk=case.pk)


def test_given_a_plan_then_follow_ups_at_1_3_6_12_months(planned):
    assert list(planned.follow_ups.values_list("months_after_plan", "mode", "due_on")) == [
        (1, "call", dt.date(2020, 2, 29)), (3, "visit", dt.date(2020, 4, 30)), (6, "visit", dt.date(2020, 7, 31)),
        (12, "visit", dt.date(2021, 1, 31))]


def test_given_a_second_component_then_no_second_schedule(walk, planned):
    walk.plan(planned, kind="cash_grant", start="2020-03-01")
    assert planned.follow_ups.count() == 4


def test_given_the_schedule_changed_as_data_then_new_plans_follow_it(walk, case):
    FollowUpOffset.objects.create(months=24, mode="visit")
    walk.screen(case)
    walk.orient(case)
    walk.plan(case, start="2020-01-01")
    assert list(Case.objects.get(pk=case.pk).follow_ups.values_list("months_after_plan", flat=True)) == [
        1, 3, 6, 12, 24]


def test_given_overdue_follow_ups_when_the_daily_task_runs_then_marked_and_reminded_once(planned, worker):
    created = services.follow_up_reminders(today=dt.date(2020, 4, 29))
    assert created == 2  # 1 month overdue; 3 months due tomorrow
    one, three = planned.follow_ups.order_by("months_after_plan")[:2]
    one.refresh_from_db()
    three.refresh_from_db()
    assert one.overdue_since == dt.date(2020, 4, 29) and three.overdue_since is None
    assert set(Reminder.objects.filter(user=worker).values_list("kind", flat=True)) == {"overdue", "due"}
    assert services.follow_up_reminders(today=dt.date(2020, 4, 29)) == 0  # a retry or a second worker
    assert Fact.objects.filter(person=planned.person, kind__in=["case_follow_up_due", "case_follow_up_overdue"]).count() == 2


def test_the_periodic_task_is_a_wrapper_around_the_service(planned):
    tasks.follow_up_reminders_daily.call_local()
    assert Reminder.objects.filter(case=planned).count() == 4  # all four are long past due (2020-2021)


def test_given_reminders_when_the_follow_up_is_recorded_then_they_are_put_away(web_client, planned, worker):
    services.follow_up_reminders(today=dt.date(2020, 3, 5))
    page = web_client("caseworker.kayes").get("/cases/").content.decode()
    assert "suivi en retard" in page and "Seydou Diarra" in page
    first = planned.follow_ups.order_by("due_on").first()
    services.follow_up_record(by=worker, follow_up_id=first.pk, outcome="unreachable", notes="téléphone éteint")
    assert not Reminder.objects.filter(follow_up=first, dismissed_at__isnull=True).exists()
    page = web_client("caseworker.kayes").get("/cases/").content.decode()
    assert "Suivis manqués" in page  # missed follow-ups stay visible


def test_given_a_reminder_then_only_its_owner_dismisses_it(web_client, planned, api_client):
    services.follow_up_reminders(today=dt.date(2020, 3, 5))
    reminder = Reminder.objects.get()
    assert api_client("caseworker.ajdm").post(f"/api/v1/cases/reminders/{reminder.pk}/dismiss").status_code == 404
    assert [r["id"] for r in api_client("caseworker.kayes").get("/api/v1/cases/reminders").json()] == [reminder.pk]
    response = web_client("caseworker.kayes").post(f"/cases/reminders/{reminder.pk}/dismiss/")
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.dismissed_at is not None


def test_given_bad_outcome_or_satisfaction_then_field_named_and_nothing_written(planned, worker):
    follow_up = planned.follow_ups.first()
    with pytest.raises(ValidationFailed) as exc:
        services.follow_up_record(by=worker, follow_up_id=follow_up.pk, outcome="maybe", satisfaction=9)
    assert set(exc.value.fields) == {"outcome", "satisfaction"}
    with pytest.raises(ValidationFailed) as exc:
        services.follow_up_record(by=worker, follow_up_id=follow_up.pk, outcome="missed", satisfaction=3)
    assert "satisfaction" in exc.value.fields
    assert FollowUp.objects.get(pk=follow_up.pk).outcome == ""
    with pytest.raises(NotFound):
        services.follow_up_record(by=worker, follow_up_id="abc", outcome="done")

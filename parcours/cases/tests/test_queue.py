"""The queue: who waits for which step, since when, against a target; oldest first; per case
worker, agency and region; managers see counts, never names; the charts render as plain SVG."""

import re

import pytest

from parcours.cases import services
from parcours.cases.selectors import QueueFilter, backlog, queue, waiting_trend


@pytest.fixture
def three_waiting(make_person, worker, days_ago):
    """Three Kayes returnees waiting for their screening: 40, 10 and 1 days."""
    people = []
    for name, days in (("Aly", 40), ("Binta", 10), ("Cheick", 1)):
        person = make_person(by="caseworker.kayes", given_name=name, family_name="Traoré", origin_region="Kayes")
        services.case_open(by=worker, person_id=person.pk, arrived_on=days_ago(days))
        people.append(person)
    return people


def test_given_waiting_people_then_oldest_first_with_overdue_against_the_target(worker, three_waiting):
    rows = queue(worker)
    assert [r.case.person.given_name for r in rows] == ["Aly", "Binta", "Cheick"]
    assert [(r.days, r.position.target_days, r.overdue) for r in rows] == [(40, 3, True), (10, 3, True),
                                                                           (1, 3, False)]


def test_given_filters_then_the_queue_narrows(world, walk, worker, three_waiting):
    case = three_waiting[0].cases.get()
    walk.screen(case)
    assert [r.case.person.given_name for r in queue(worker, QueueFilter(stage="orientation"))] == ["Aly"]
    assert len(queue(worker, QueueFilter(overdue=True))) == 2
    assert len(queue(worker, QueueFilter(region="Kayes"))) == 3
    assert queue(worker, QueueFilter(region="Gao")) == []
    assert queue(worker, QueueFilter(owner="caseworker.ajdm")) == []


def test_given_the_manager_then_counts_per_stage_agency_region_and_worker(world, three_waiting):
    summary = backlog(world.user("manager.eu"))
    screening = next(s for s in summary["stages"] if s["stage"] == "screening")
    assert (screening["open"], screening["overdue"], screening["target_days"], screening["median_days"]) == (3, 2, 3,
                                                                                                           10)
    assert summary["by_agency"] == [{"key": "IOM", "open": 3, "overdue": 2}]
    assert summary["by_region"] == [{"key": "Kayes", "open": 3, "overdue": 2}]
    assert summary["by_owner"] == [{"key": "caseworker.kayes", "open": 3, "overdue": 2}]


def test_given_the_manager_then_the_api_and_the_page_show_no_names(api_client, web_client, three_waiting):
    response = api_client("manager.eu").get("/api/v1/cases/queue")
    assert response.status_code == 200 and "Traoré" not in response.content.decode()
    assert response.json()["open"] == 3
    page = web_client("manager.eu").get("/cases/queue/").content.decode()
    assert "Traoré" not in page and "<svg" in page
    assert api_client("manager.eu").get("/api/v1/cases").json()["count"] == 0


def test_the_charts_are_plain_svg_without_script_or_style(web_client, walk, three_waiting):
    case = three_waiting[0].cases.get()
    walk.screen(case)
    walk.orient(case)
    walk.plan(case, kind="cash_grant", start="2020-01-01")
    page = web_client("caseworker.kayes").get("/cases/queue/").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) >= 3
    for svg in svgs:
        assert "<script" not in svg and "style=" not in svg and "<style" not in svg
    assert "Aly Traoré" in page  # the case worker sees who waits


def test_waiting_trend_counts_days_from_arrival_to_plan_per_month(world, walk, three_waiting, days_ago):
    case = three_waiting[0].cases.get()
    walk.screen(case)
    walk.orient(case)
    walk.plan(case, kind="cash_grant")
    trend = waiting_trend(world.user("manager.eu"))
    month = days_ago(40).strftime("%Y-%m")
    row = next(r for r in trend if r["month"] == month)
    assert row["cases"] >= 1 and row["median"] is not None and trend[-1]["backlog"] == 3


def test_given_the_queue_list_then_a_fixed_number_of_queries(worker, three_waiting, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        queue(worker)


def test_given_the_admin_then_targets_and_schedule_change_as_data(api_client, web_client, worker, three_waiting):
    admin = api_client("admin")
    changed = admin.put("/api/v1/cases/targets", {"targets": {"screening": 60}, "follow_up_months": "1:call 6 12 24"},
                        content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["targets"]["screening"] == 60 and [f["months"] for f in changed.json()["follow_ups"]] == [
        1, 6, 12, 24]
    assert not any(r.overdue for r in queue(worker))
    assert web_client("admin").get("/cases/targets/").status_code == 200


def test_given_bad_targets_or_a_lower_role_then_refused_and_nothing_changed(api_client, web_client):
    from parcours.cases.stages import follow_up_schedule, targets

    before = (targets(), follow_up_schedule())
    bad = api_client("admin").put("/api/v1/cases/targets", {"targets": {"plan": -4, "astrology": 3},
                                                            "follow_up_months": "1 3 6"},
                                  content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"plan", "astrology", "follow_up_months"}
    assert api_client("caseworker.kayes").put("/api/v1/cases/targets", {"targets": {"plan": 5}},
                                              content_type="application/json").status_code == 403
    assert web_client("caseworker.kayes").get("/cases/targets/").status_code == 404
    assert (targets(), follow_up_schedule()) == before


def test_the_case_list_costs_the_same_queries_for_more_cases(api_client, make_person, worker, three_waiting):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client("caseworker.kayes")

    def cost():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/cases").status_code == 200
        return len(ctx.captured_queries)

    cost()  # warm caches (content types, token)
    before = cost()
    for name in ("Dado", "Eli", "Fode"):
        person = make_person(by="caseworker.kayes", given_name=name, origin_region="Kayes")
        services.case_open(by=worker, person_id=person.pk)
    assert cost() == before

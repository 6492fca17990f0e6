"""The stage is derived from what happened; each step needs what comes before it."""

import datetime as dt

import pytest

from parcours.cases import services
from parcours.cases.models import Case, PlanComponent, StageTarget
from parcours.cases.stages import position
from parcours.core.errors import Conflict, ValidationFailed

from .conftest import stage


def test_given_a_returnee_when_each_step_is_recorded_then_the_stage_follows(walk, case):
    assert stage(case) == "screening"
    walk.screen(case)
    assert stage(case) == "orientation"
    walk.orient(case)
    assert stage(case) == "plan"
    component = walk.plan(case, provider="CFPM", cost_xof=150000)
    assert stage(case) == "delivery"
    walk.deliver(component)
    assert stage(case) == "follow_up"
    walk.follow_all(case)
    assert stage(case) == "completion"
    services.case_close(by=walk.worker, case_id=case.pk, reason="completed")
    assert stage(case) == "closed"


def test_given_no_screening_when_orienting_then_refused_and_nothing_written(walk, case):
    with pytest.raises(ValidationFailed) as exc:
        walk.orient(case)
    assert "case" in exc.value.fields
    assert not hasattr(Case.objects.get(pk=case.pk), "orientation")


def test_given_no_orientation_when_adding_a_plan_component_then_refused(walk, case):
    walk.screen(case)
    with pytest.raises(ValidationFailed) as exc:
        walk.plan(case, kind="cash_grant")
    assert "case" in exc.value.fields
    assert not PlanComponent.objects.exists()


def test_given_a_vulnerable_person_then_protection_comes_first_and_opens_the_plan(world, walk, case):
    walk.screen(case, psychosocial_distress=True)
    assert stage(case) == "protection"
    with pytest.raises(ValidationFailed):
        walk.orient(case)
    with pytest.raises(ValidationFailed):
        walk.plan(case, kind="psychosocial")
    services.protection_record(by=world.user("admin"), case_id=case.pk,
                               notes="Suivi psychologique au CSRéf")
    assert stage(case) == "plan"
    walk.plan(case, kind="psychosocial")
    assert stage(case) == "delivery"


def test_given_debt_alone_then_not_vulnerable_but_with_family_tension_then_vulnerable(walk, make_person, worker):
    other = make_person(by="caseworker.kayes", given_name="Adama", origin_region="Kayes")
    first = services.case_open(by=worker, person_id=other.pk)
    assert not walk.screen(first, journey_debt=True).vulnerable
    case = services.case_open(by=worker, person_id=make_person(by="caseworker.kayes", given_name="Bakary",
                                                               origin_region="Kayes").pk)
    assert walk.screen(case, journey_debt=True, family_tension=True).vulnerable


def test_given_a_screening_when_screening_again_then_conflict(walk, case):
    walk.screen(case)
    with pytest.raises(Conflict):
        walk.screen(case)


def test_given_undelivered_components_when_closing_as_completed_then_refused(walk, case):
    walk.screen(case)
    walk.orient(case)
    walk.plan(case)
    with pytest.raises(ValidationFailed) as exc:
        services.case_close(by=walk.worker, case_id=case.pk, reason="completed")
    assert "reason" in exc.value.fields
    assert services.case_close(by=walk.worker, case_id=case.pk, reason="re_migrated").closure_reason == "re_migrated"


def test_given_a_training_component_waiting_to_start_then_the_training_target_applies(walk, case):
    walk.screen(case)
    walk.orient(case)
    component = walk.plan(case)
    today = dt.date.today()
    pos = position(Case.objects.get(pk=case.pk), today)
    assert (pos.stage, pos.target_key, pos.target_days) == ("delivery", "training_start", 60)
    services.component_update(by=walk.worker, component_id=component.pk, status="ongoing")
    pos = position(Case.objects.get(pk=case.pk), today)
    assert (pos.target_key, pos.target_days) == ("", 90)


def test_given_targets_are_data_when_a_target_changes_then_overdue_changes(case, days_ago):
    Case.objects.filter(pk=case.pk).update(arrived_on=days_ago(5))
    fresh = Case.objects.get(pk=case.pk)
    assert position(fresh, dt.date.today()).overdue(dt.date.today())  # 5 days > 3
    StageTarget.objects.filter(key="screening").update(days=10)
    assert not position(fresh, dt.date.today()).overdue(dt.date.today())


def test_position_is_pure_and_writes_nothing(case, django_assert_num_queries):
    fresh = Case.objects.select_related("screening", "protection", "orientation").prefetch_related(
        "components", "follow_ups").get(pk=case.pk)
    with django_assert_num_queries(0):
        position(fresh, dt.date.today(), {"screening": 3})


def test_given_a_closed_case_then_no_step_is_recorded(walk, case):
    walk.screen(case)
    services.case_close(by=walk.worker, case_id=case.pk, reason="unreachable")
    with pytest.raises(Conflict):
        walk.orient(case)
    with pytest.raises(Conflict):
        services.case_close(by=walk.worker, case_id=case.pk, reason="refused")
    assert not hasattr(Case.objects.get(pk=case.pk), "orientation")


def test_given_a_date_before_the_arrival_then_the_field_is_named(walk, case):
    with pytest.raises(ValidationFailed) as exc:
        services.screening_record(by=walk.worker, case_id=case.pk, answers={}, done_on="2019-01-01")
    assert "done_on" in exc.value.fields and "03/10/2019" in exc.value.fields["done_on"][0]
    assert not hasattr(Case.objects.get(pk=case.pk), "screening")

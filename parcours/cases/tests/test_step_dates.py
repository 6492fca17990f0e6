"""A step recorded later counts on its own day: the fact behind each case step carries the date
the user gave, so an indicator over a period counts it in the right period."""

import datetime as dt

import pytest

from parcours.cases import services
from parcours.core.errors import ValidationFailed
from parcours.facts.models import Fact


def _fact_day(person, kind):
    return Fact.objects.get(person=person, kind=kind).occurred_on


def test_given_steps_recorded_late_when_facts_are_read_then_each_is_dated_by_its_own_day(walk, worker, case):
    screened, oriented, agreed = dt.date(2020, 1, 6), dt.date(2020, 1, 20), dt.date(2020, 2, 3)
    started, delivered, closed = dt.date(2020, 2, 10), dt.date(2020, 4, 30), dt.date(2020, 5, 4)
    services.screening_record(by=worker, case_id=case.pk, answers={}, done_on=screened)
    services.orientation_record(by=worker, case_id=case.pk, data={"wishes": "couture", "choice": "training",
                                                                  "done_on": oriented})
    component = services.component_add(by=worker, case_id=case.pk, on=agreed,
                                       data={"kind": "vocational_training", "planned_start": started})
    services.component_update(by=worker, component_id=component.pk, status="ongoing", on=started)
    services.component_update(by=worker, component_id=component.pk, status="delivered", on=delivered)
    services.case_close(by=worker, case_id=case.pk, reason="unreachable", closed_on=closed)

    person = case.person
    assert _fact_day(person, "case_opened") == dt.date(2019, 10, 3)  # the arrival
    assert _fact_day(person, "case_screened_orientation") == screened
    assert _fact_day(person, "case_oriented_training") == oriented
    assert _fact_day(person, "case_plan_vocational_training") == agreed
    assert _fact_day(person, "case_ongoing_vocational_training") == started
    assert _fact_day(person, "case_delivered_vocational_training") == delivered
    assert _fact_day(person, "case_closed_unreachable") == closed
    component.refresh_from_db()
    assert component.created_on == agreed


def test_given_a_plan_dated_before_the_arrival_then_refused_naming_the_date(walk, worker, case):
    services.screening_record(by=worker, case_id=case.pk, answers={}, done_on=dt.date(2020, 1, 6))
    walk.orient(case)
    with pytest.raises(ValidationFailed) as refused:
        services.component_add(by=worker, case_id=case.pk, on=dt.date(2019, 1, 1),
                               data={"kind": "vocational_training", "planned_start": "2020-02-01"})
    assert "done_on" in refused.value.fields
    assert not case.components.exists()

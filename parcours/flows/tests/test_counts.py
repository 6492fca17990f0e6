"""Daily counts through the service: scope, bad input, retries, corrections and their facts."""

import pytest

from parcours.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from parcours.facts.models import Fact
from parcours.flows.events import FlowEvent
from parcours.flows.models import Count

pytestmark = pytest.mark.django_db


def test_a_count_is_recorded_with_its_fact_on_the_days_own_date(record, points):
    count, created = record(37, nationality="gn")
    assert created and count.nationality == "GN" and count.live
    fact = Fact.objects.get(kind=FlowEvent.COUNTED)
    assert fact.person is None and fact.quantity == 37 and str(fact.occurred_on) == "2024-03-04"
    assert fact.place == points["GAO-FMP"].place and fact.place_path.endswith("/GAO-FMP/")
    assert fact.data == {"point": "GAO-FMP", "direction": "in", "nationality": "GN", "sex": "M", "age_group": "18-59",
                         "transport": "bus", "reason": "economic", "origin": "", "destination": ""}
    assert count.fact == fact


def test_the_same_line_sent_again_writes_nothing(record):
    first, _ = record(12)
    again, created = record(12)
    assert not created and again == first
    assert Count.objects.count() == 1 and Fact.objects.filter(kind=FlowEvent.COUNTED).count() == 1


def test_a_different_figure_is_a_conflict_unless_it_is_a_correction(record):
    first, _ = record(12)
    with pytest.raises(Conflict) as exc:
        record(15)
    assert exc.value.code == "already_counted" and "count" in exc.value.fields
    fixed, created = record(15, correction=True)
    assert created and fixed.replaces == first
    first.refresh_from_db()
    assert not first.live and first.replaced_by == fixed
    old_fact = Fact.objects.get(pk=first.fact_id)
    assert old_fact.voided_by == fixed.fact
    live = Fact.objects.filter(kind=FlowEvent.COUNTED, voided_by__isnull=True)
    assert [f.quantity for f in live] == [15]


def test_another_breakdown_on_the_same_day_is_another_line(record):
    record(12)
    _, created = record(3, sex="F")
    assert created and Count.objects.filter(live=True).count() == 2


def test_an_enumerator_elsewhere_cannot_see_the_point(record, kidal_enumerator):
    with pytest.raises(NotFound):
        record(5, by="enumerator.kidal")
    with pytest.raises(NotFound):
        record(5, by="enumerator.kidal", nationality="??")  # bad input says nothing either
    _, created = record(5, by="enumerator.kidal", point="KID-FMP")
    assert created


@pytest.mark.parametrize("username", ["me.iom", "manager.eu", "auditor"])
def test_readers_do_not_record(record, username):
    with pytest.raises(Forbidden):
        record(5, by=username)


@pytest.mark.parametrize("username", ["caseworker.kayes", "reception.bamako", "centre.gao"])
def test_other_roles_do_not_see_points(record, username):
    with pytest.raises(NotFound):
        record(5, by=username)


@pytest.mark.parametrize(("field", "value"), [
    ("nationality", "XX"), ("direction", "up"), ("age_group", "18-60"), ("count", "-1"), ("count", "many"),
    ("date", "2999-01-01"), ("date", "04/13/2024"), ("transport", "camel"), ("destination", "ZZ"),
])
def test_bad_input_is_named_and_nothing_is_written(record, field, value):
    with pytest.raises(ValidationFailed) as exc:
        record(5, **{field: value})
    assert field in exc.value.fields
    assert Count.objects.count() == 0 and not Fact.objects.filter(kind=FlowEvent.COUNTED).exists()


def test_messages_are_translated(record):
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ValidationFailed) as exc:
        record(5, nationality="XX")
    assert "pays" in str(exc.value.fields["nationality"][0])

"""Many activities at once: the same rules as one, all or nothing, retry-safe per row."""

import datetime as dt

import pytest

from parcours.core.errors import Forbidden, ValidationFailed
from parcours.facts.models import Fact
from parcours.outreach.models import Activity
from parcours.outreach.services import activities_record_many

pytestmark = pytest.mark.django_db
ROW = {"on": dt.date(2024, 3, 1), "commune": "Sikasso", "kind": "proximity_talk", "theme": "free_movement",
       "audience": "community", "participants_male": 10, "participants_female": 12}


def test_rows_are_written_with_their_facts_followup_and_perception_and_retries_replay(world):
    focal = world.user("focal.sikasso")
    rows = [{**ROW, "idempotency_key": "r-1",
             "followup": {"followup_on": dt.date(2024, 4, 1), "followup_outcome": "reached", "followup_reached": 9},
             "perception": {"knows_risks_before": 5, "knows_risks_after": 20}},
            {**ROW, "participants_male": 3, "idempotency_key": "r-2"}]
    first = activities_record_many(by=focal, rows=rows)
    assert [a.replayed for a in first] == [False, False]
    assert Fact.objects.filter(kind="outreach.activity_held").count() == 2
    one = Activity.objects.get(pk=first[0].pk)
    assert (one.followup_reached, one.knows_risks_after, one.followup_due_on) == (9, 20, dt.date(2024, 4, 1))
    again = activities_record_many(by=focal, rows=rows)
    assert [a.replayed for a in again] == [True, True] and Activity.objects.count() == 2


@pytest.mark.parametrize(("change", "field"), [
    ({"commune": "Kayes"}, "commune"),  # outside the focal point's area
    ({"participants_male": -1}, "participants_male"),
    ({"perception": {"knows_risks_after": 99}}, "knows_risks_after"),
    ({"followup": {"followup_on": dt.date(2024, 2, 1), "followup_outcome": "reached", "followup_reached": 1}},
     "followup_on"),
])
def test_one_bad_row_writes_nothing_and_names_the_row_and_field(world, change, field):
    rows = [ROW, {**ROW, **change}]
    with pytest.raises(ValidationFailed) as refused:
        activities_record_many(by=world.user("focal.sikasso"), rows=rows)
    assert field in refused.value.fields and "2" in str(refused.value.message)
    assert Activity.objects.count() == 0 and Fact.objects.count() == 0


def test_who_may_not_record_one_may_not_record_many(world):
    with pytest.raises(Forbidden):
        activities_record_many(by=world.user("caseworker.kayes"), rows=[ROW])

"""`parcours seed --people N`: the benchmarks' bulk registry must load on both databases, every
column of the person table filled (a column added to Person and not here breaks COPY)."""

import pytest

from parcours.demo.bulk import bulk_seed
from parcours.people.models import Person

pytestmark = pytest.mark.django_db


def test_bulk_seed_loads_people_with_their_matching_keys(world):
    before = Person.objects.count()
    report = bulk_seed(120, seed=3)
    assert report["people"] == 120
    assert Person.objects.count() == before + 120
    seeded = Person.objects.exclude(mk_family="").order_by("created_at").last()
    assert seeded.family_name and seeded.registered_by_id and seeded.origin_as_written == ""

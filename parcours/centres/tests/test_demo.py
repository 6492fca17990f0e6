"""The demo stays and returns: written through the services, consistent, idempotent."""

import datetime as dt

from parcours.centres import selectors
from parcours.centres.demo import load_demo_stays
from parcours.centres.models import Departure, Stay
from parcours.facts.models import Fact


def test_demo_stays_are_consistent_and_idempotent(world, centres):
    counts = load_demo_stays()
    assert counts["stays"] > 300 and counts["departed"] > 20, counts
    today = dt.date.today()
    for centre in centres.values():
        nights = selectors.occupancy_by_night(centre, dt.date(2024, 1, 1), today)
        assert max(n for _d, n in nights) <= centre.capacity, centre.code
    assert Fact.objects.filter(kind="centres.stay_begun").count() == Stay.objects.count()
    departed = Fact.objects.filter(kind="avr.departed")
    assert departed.exclude(nationality="ML").count() == departed.count() > 20
    assert {d.year for d in departed.values_list("occurred_on", flat=True)} >= {2024, 2025}
    assert Departure.objects.filter(destination="GN", mode="bus", status__in=["departed", "handed_over"]).exists()
    assert Departure.objects.filter(destination="CI", mode="charter", status__in=["departed", "handed_over"]).exists()
    gao = centres["GAO-PC"]
    assert selectors.stranded(world.user("centre.gao"), gao).exists()
    assert load_demo_stays() == {"stays": 0}
    print(counts)

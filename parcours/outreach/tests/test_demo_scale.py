"""The sensitization demo at the scale of the logframe's targets, as the logframe computes it.

Hand-checkable: the figures are those of `plan()` (the same rows every time): people met in
community and CSO activities, the communes they were held in, the agents of the 4 trainings
(20 each) and the 4 workshops (10 each); media rows carry an audience, never participants."""

import datetime as dt
import time

import pytest

from parcours.facts.models import Fact
from parcours.logframe.selectors import results_for
from parcours.logframe.services import logframe_load
from parcours.outreach.demo_activities import ENDS, load_demo_activities, plan
from parcours.outreach.models import Activity

pytestmark = pytest.mark.django_db
OS4 = ("community", "csos")
OS5 = ("security_agents", "technical_services")


def test_the_demo_reaches_the_targets_scale_and_the_logframe_counts_it(world):
    logframe_load()
    started = time.monotonic()
    first = load_demo_activities()
    seconds = time.monotonic() - started
    rows = plan()
    people = sum(r.people for r in rows if r.audience in OS4)
    results = {r.indicator.code: r for r in results_for(None, start=dt.date(2017, 5, 17), end=ENDS)}
    assert results["OS4.people_sensitized"].value == people == PEOPLE
    assert results["OS4.people_sensitized"].disaggregations["sex"] == {
        "M": sum(r.men for r in rows if r.audience in OS4), "F": sum(r.women for r in rows if r.audience in OS4)}
    assert results["OS4.communities_sensitized"].value == len({r.commune for r in rows if r.audience in OS4}) == 200
    assert results["OS5.agents_trained"].value == sum(r.people for r in rows if r.audience in OS5) == 4 * 20 + 4 * 10
    # Radio, TV, social media: an audience estimate, never people met.
    media = [r for r in rows if r.kind == "media"]
    assert media and all(r.people == 0 and r.media for r in media)
    assert first["activities"] == first["written"] == len(rows) == ACTIVITIES
    assert (first["followups"], first["perceptions"]) == (FOLLOWUPS, PERCEPTIONS)
    # Idempotent: a second run writes nothing.
    counts = (Activity.objects.count(), Fact.objects.count())
    again = load_demo_activities()
    assert (again["written"], again["followups"], again["perceptions"]) == (0, 0, 0)
    assert (Activity.objects.count(), Fact.objects.count()) == counts
    print(f"sensitization demo: {len(rows)} activities in {seconds:.1f} s")  # noqa: T201


PEOPLE, ACTIVITIES, FOLLOWUPS, PERCEPTIONS = 71_395, 2_146, 426, 376

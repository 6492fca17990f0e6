"""Factories for case tests: a Kayes returnee, their case, and helpers that walk it forward
through the same services as the pages and the API."""

import datetime as dt

import pytest
from django.utils import timezone

from parcours.cases import services
from parcours.cases.models import Case
from parcours.cases.stages import position


@pytest.fixture
def kayes_person(make_person):
    return make_person(by="caseworker.kayes", given_name="Seydou", family_name="Diarra", birth_year="1995",
                       origin_region="Kayes", return_date="2019-10-03")


@pytest.fixture
def worker(world):
    return world.user("caseworker.kayes")


@pytest.fixture
def case(worker, kayes_person):
    return services.case_open(by=worker, person_id=kayes_person.pk)


def stage(case, today=None):
    return position(Case.objects.get(pk=case.pk), today or timezone.localdate()).stage


class Walk:
    """Moves a case forward one step at a time, as caseworker.kayes."""

    def __init__(self, world):
        self.world = world
        self.worker = world.user("caseworker.kayes")

    def screen(self, case, **answers):
        return services.screening_record(by=self.worker, case_id=case.pk, answers=answers)

    def orient(self, case, choice="training"):
        return services.orientation_record(by=self.worker, case_id=case.pk,
                                           data={"wishes": "atelier de soudure", "choice": choice})

    def plan(self, case, kind="vocational_training", start="2020-01-01", **data):
        return services.component_add(by=self.worker, case_id=case.pk,
                                      data={"kind": kind, "planned_start": start, **data})

    def deliver(self, component):
        return services.component_update(by=self.worker, component_id=component.pk, status="delivered")

    def follow_all(self, case):
        for follow_up in Case.objects.get(pk=case.pk).follow_ups.all():
            services.follow_up_record(by=self.worker, follow_up_id=follow_up.pk, outcome="done", satisfaction=4)


@pytest.fixture
def walk(world):
    return Walk(world)


@pytest.fixture
def days_ago():
    return lambda n: timezone.localdate() - dt.timedelta(days=n)

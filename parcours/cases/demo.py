"""Demo cases: about eighty demo returnees at every stage of the path, with dates spread over the
programme so the queue and the waiting-time chart show something real. Idempotent."""

import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from parcours.accounts.models import User
from parcours.core.crypto import encrypt_json
from parcours.people.models import Person

from .models import Case, FollowUp, Orientation, PlanComponent, Screening
from .services import FOLLOW_UP_MONTHS, add_months


def load_demo_cases(n: int = 80) -> int:
    if Case.objects.exists():
        return 0
    rng = random.Random(11)
    worker = User.objects.get(username="caseworker.kayes")
    people = list(Person.objects.filter(external_refs__system="demo", merged_into__isnull=True,
                                        return_date__isnull=False).order_by("created_at")[:n])
    created = 0
    with transaction.atomic():
        today = timezone.localdate()
        for person in people:
            depth = rng.choice([0, 1, 2, 3, 3, 4, 4, 4])
            arrived = person.return_date
            if depth < 4:
                # Open cases belong to recent arrivals: the demo queue is today's queue.
                arrived = today - dt.timedelta(days=rng.randint(1, 120 if depth < 3 else 200))
                Person.objects.filter(pk=person.pk).update(return_date=arrived)
            case = Case.objects.create(person=person, agency=worker.agency, owner=worker, place=worker.place,
                                       arrived_on=arrived)
            created += 1
            if depth >= 1:
                vulnerable = rng.random() < 0.1
                Screening.objects.create(case=case, answers_encrypted=encrypt_json({"psychosocial_distress": vulnerable}),
                                         vulnerable=False, done_on=min(arrived + dt.timedelta(days=rng.randint(0, 5)), today),
                                         by=worker)
            if depth >= 2:
                Orientation.objects.create(case=case, wishes=rng.choice(["soudure", "commerce", "élevage", "couture"]),
                                           choice=rng.choice(Orientation.Choice.values), options_explained=True,
                                           done_on=min(arrived + dt.timedelta(days=rng.randint(5, 20)), today), by=worker)
            if depth >= 3:
                # Waits shorten over the programme: 6 months in 2017, a few weeks by 2020.
                lag = max(10, int(200 - (arrived - dt.date(2017, 5, 1)).days * 0.15 + rng.randint(-30, 30)))
                start = min(arrived + dt.timedelta(days=lag), today)
                component = PlanComponent.objects.create(case=case, kind=rng.choice(PlanComponent.Kind.values[:6]),
                                                         cost_xof=rng.choice([150000, 210000, 300000]),
                                                         planned_start=start)
                PlanComponent.objects.filter(pk=component.pk).update(created_on=start)
                for months in FOLLOW_UP_MONTHS:
                    FollowUp.objects.create(case=case, months_after_plan=months, due_on=add_months(start, months))
            if depth >= 4:
                PlanComponent.objects.filter(case=case).update(status="delivered", delivered_on=arrived + dt.timedelta(
                    days=rng.randint(60, 200)))
                FollowUp.objects.filter(case=case).update(done_on=F("due_on"), outcome="done", satisfaction=rng.randint(3, 5))
                Case.objects.filter(pk=case.pk).update(closed_on=arrived + dt.timedelta(days=420), closure_reason="completed")
    return created

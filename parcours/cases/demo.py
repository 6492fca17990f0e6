"""Demo cases: demo returnees at every stage of the path, with dates spread over the programme so
the queue, today's tasks and the waiting-time charts show something real.

Idempotent: the demo cases are those of demo people (ExternalReference system "demo"); once any
exists, nothing is added. Writes backdated records directly (a service refuses dates in the
past only where a person could mistype them; here the dates are the point)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import Agency, User
from parcours.core.crypto import encrypt_json
from parcours.people.models import Person
from parcours.people.policies import people_visible_to
from parcours.people.services import access_grant, consent_record, event_record

from .models import (
    BestInterestDetermination,
    Case,
    FollowUp,
    Orientation,
    PlanComponent,
    ProtectionAssessment,
    Screening,
)
from .services import add_months, follow_up_reminders
from .stages import follow_up_schedule
from .validation import SCREENING_ITEMS, is_vulnerable

WISHES = ["atelier de soudure", "petit commerce", "élevage de moutons", "couture", "maraîchage", "mécanique moto",
          "transport (taxi-moto)", "boulangerie"]
KINDS = [("vocational_training", "CFPM", "training_allowance", 0), ("income_individual", "", "business_kit", 300_000),
         ("income_collective", "", "business_kit", 300_000), ("income_community", "", "", 250_000),
         ("cash_grant", "", "cash_grant", 300_000), ("partner_programme", "APEJ", "", 0)]
# depth: 0 arrival, 1 screened, 2 oriented/protected, 3 plan, 4 delivered, 5 follow-up done, 6 closed
DEPTHS = [0, 1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6]


def _demo_people(user, n):
    return list(people_visible_to(user).filter(external_refs__system="demo", cases__isnull=True,
                                               return_date__isnull=False).order_by("created_at", "id")[:n])


def load_demo_cases(n: int = 90) -> int:
    if Case.objects.filter(person__external_refs__system="demo").exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=[
        "caseworker.kayes", "caseworker.ajdm", "protection.bamako", "reception.bamako"])}
    if "caseworker.kayes" not in users:
        return 0
    rng = random.Random(11)
    today = timezone.localdate()
    created = 0
    with transaction.atomic():
        kayes = users["caseworker.kayes"]
        for person in _demo_people(kayes, n):
            _demo_case(rng, person, kayes, rng.choice(DEPTHS), today, users)
            created += 1
        # The NGO's share: a few Bamako returnees who consented to AJDM, assigned to it.
        ajdm, reception = users.get("caseworker.ajdm"), users.get("reception.bamako")
        agency = Agency.objects.filter(code="AJDM").first()
        if ajdm and reception and agency:
            taken = set(Case.objects.values_list("person_id", flat=True))
            for person in [p for p in _demo_people(reception, 40) if p.pk not in taken][:10]:
                consent_record(by=reception, person=person, scope="sharing", agency=agency, granted=True,
                               given_on=person.return_date)
                access_grant(by=reception, person=person, agency=agency, reason="assigned")
                _demo_case(rng, person, ajdm, rng.choice(DEPTHS[:10]), today, users)
                created += 1
    follow_up_reminders(today)
    return created


def _day(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def _demo_case(rng, person: Person, worker, depth: int, today: dt.date, users: dict) -> Case:
    arrived = person.return_date
    if depth < 5:
        # Open cases belong to recent arrivals: the demo queue is today's queue.
        arrived = today - dt.timedelta(days=rng.randint(1, 40 + depth * 60))
        Person.objects.filter(pk=person.pk).update(return_date=arrived)
    else:
        # Past the year of follow-up: arrived 14 to 33 months ago (the charts cover three years).
        arrived = today - dt.timedelta(days=rng.randint(420, 560) if depth == 5 else rng.randint(430, 1000))
        Person.objects.filter(pk=person.pk).update(return_date=arrived)
    age = person.age_on(today)
    minor = age is not None and age < 18
    case = Case.objects.create(person=person, agency=worker.agency, owner=worker, place=worker.place,
                               arrived_on=arrived, unaccompanied_minor=minor and rng.random() < 0.5)
    event_record(person=person, kind="case_opened", actor=worker, data={"agency": worker.agency.code},
                 occurred_at=_at(arrived))
    if depth < 1:
        return case
    answers = dict.fromkeys(SCREENING_ITEMS, False)
    answers["minor"] = minor
    answers["unaccompanied_or_separated"] = case.unaccompanied_minor
    if rng.random() < 0.2:
        answers[rng.choice(["psychosocial_distress", "health_condition", "trafficking_forced_work",
                            "violence_or_gbv"])] = True
    answers["journey_debt"] = rng.random() < 0.5
    vulnerable = is_vulnerable(answers)
    screened = _day(arrived + dt.timedelta(days=rng.randint(0, 6)), today)
    Screening.objects.create(case=case, answers_encrypted=encrypt_json(answers), vulnerable=vulnerable,
                             done_on=screened, by=worker)
    event_record(person=person, kind="case_screened_protection" if vulnerable else "case_screened_orientation",
                 actor=worker, occurred_at=_at(screened))
    if depth < 2:
        return case
    oriented = _day(screened + dt.timedelta(days=rng.randint(2, 25)), today)
    if vulnerable:
        officer = users.get("protection.bamako", worker)
        ProtectionAssessment.objects.create(case=case, done_on=oriented, by=officer, notes_encrypted=encrypt_json(
            "Entretien confidentiel ; prise en charge psychosociale proposée."))
        event_record(person=person, kind="case_protection", actor=officer, occurred_at=_at(oriented))
    Orientation.objects.create(case=case, wishes=rng.choice(WISHES), declared_skills=rng.choice(["", "soudure",
                               "conduite", "vente"]), skills_verified=rng.choice([None, True, True, False]),
                               verified_by="Expert sectoriel CFPM", options_explained=True,
                               choice=rng.choice(Orientation.Choice.values), done_on=oriented, by=worker)
    if depth < 3:
        return case
    # Waits shorten over the programme: months at the start, a few weeks later on.
    lag = max(15, (today - arrived).days // 4 + rng.randint(-20, 40)) if depth >= 5 else rng.randint(5, 45)
    start = _day(max(oriented, arrived + dt.timedelta(days=lag)), today)
    kind, provider, scheme, cost = rng.choice(KINDS)
    component = PlanComponent.objects.create(
        case=case, kind=kind, provider=Agency.objects.filter(code=provider).first() if provider else None,
        scheme_code=scheme, cost_xof=cost, planned_start=start, by=worker)
    PlanComponent.objects.filter(pk=component.pk).update(created_on=start)
    event_record(person=person, kind=f"case_plan_{kind}", actor=worker, occurred_at=_at(start))
    for months, mode in follow_up_schedule():
        FollowUp.objects.create(case=case, months_after_plan=months, mode=mode, due_on=add_months(start, months))
    for follow_up in case.follow_ups.filter(due_on__lt=today) if depth < 5 else []:
        luck = rng.random()
        if luck < 0.85:  # most follow-ups are recorded on time; a few missed, a few forgotten
            outcome = "done" if luck < 0.75 else rng.choice(["missed", "unreachable"])
            FollowUp.objects.filter(pk=follow_up.pk).update(
                outcome=outcome, done_on=follow_up.due_on, by=worker,
                satisfaction=rng.randint(2, 5) if outcome == "done" else None)
    if depth < 4:
        if kind == "vocational_training" and rng.random() < 0.5:
            PlanComponent.objects.filter(pk=component.pk).update(status="ongoing", started_on=start)
        return case
    delivered = _day(start + dt.timedelta(days=rng.randint(10, 80)), today)
    PlanComponent.objects.filter(pk=component.pk).update(status="delivered", started_on=start,
                                                         delivered_on=delivered)
    event_record(person=person, kind=f"case_delivered_{kind}", actor=worker, occurred_at=_at(delivered))
    for follow_up in case.follow_ups.filter(due_on__lt=today) if depth >= 5 else []:
        FollowUp.objects.filter(pk=follow_up.pk).update(outcome="done", done_on=follow_up.due_on, by=worker,
                                                        satisfaction=rng.randint(2, 5))
    if depth < 6:
        return case
    if case.unaccompanied_minor:
        BestInterestDetermination.objects.create(case=case, decided_on=screened, panel="DNDS, OIM, tuteur",
                                                 decision="Réunification familiale", by=worker)
    closed = _day(start + dt.timedelta(days=400), today)
    reason = rng.choice(["completed", "completed", "completed", "re_migrated", "unreachable", "refused"])
    Case.objects.filter(pk=case.pk).update(closed_on=closed, closure_reason=reason, closed_by=worker)
    event_record(person=person, kind=f"case_closed_{reason}", actor=worker, occurred_at=_at(closed))
    return case


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))

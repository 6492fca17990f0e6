"""Demo cases: demo returnees at every stage of the path, with dates spread over the programme so
the queue, today's tasks and the waiting-time charts show something real.

Idempotent: the demo cases are those of demo people (ExternalReference system "demo"); once any
exists, nothing is added. Every step goes through the service a user's click calls, with the
step's own date, so the demo obeys the rules the app enforces and its facts count by their date."""

import contextlib
import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from parcours.accounts.models import Agency, User
from parcours.core import demographics
from parcours.core.errors import ValidationFailed
from parcours.people.models import Person
from parcours.people.policies import people_visible_to
from parcours.people.services import access_grant, consent_record, person_update

from . import services
from .models import Case, Orientation
from .policies import cases_visible_to
from .services import follow_up_reminders
from .validation import SCREENING_ITEMS

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
        "caseworker.kayes", "caseworker.ajdm", "protection.bamako", "reception.bamako", "admin"])}
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
    if depth < 5:
        # Open cases belong to recent arrivals: the demo queue is today's queue.
        arrived = today - dt.timedelta(days=rng.randint(1, 40 + depth * 60))
    else:
        # Past the year of follow-up: arrived 14 to 33 months ago (the charts cover three years).
        arrived = today - dt.timedelta(days=rng.randint(420, 560) if depth == 5 else rng.randint(430, 1000))
    # The case worker records the day they arrived (through the registry's service, like the page).
    person = person_update(by=worker, person_id=person.pk, data={"return_date": arrived})
    minor = demographics.is_minor(person.age_on(today))
    case = services.case_open(by=worker, person_id=person.pk, arrived_on=arrived,
                              unaccompanied_minor=minor and rng.random() < 0.5)
    if depth < 1:
        return case
    answers = dict.fromkeys(SCREENING_ITEMS, False)
    answers["minor"] = minor
    answers["unaccompanied_or_separated"] = case.unaccompanied_minor
    if rng.random() < 0.2:
        answers[rng.choice(["psychosocial_distress", "health_condition", "trafficking_forced_work",
                            "violence_or_gbv"])] = True
    answers["journey_debt"] = rng.random() < 0.5
    screened = _day(arrived + dt.timedelta(days=rng.randint(0, 6)), today)
    screening = services.screening_record(by=worker, case_id=case.pk, answers=answers, done_on=screened)
    if depth < 2:
        return case
    oriented = _day(screened + dt.timedelta(days=rng.randint(2, 25)), today)
    if screening.vulnerable:
        services.protection_record(by=_protection_officer(users, case, worker), case_id=case.pk, done_on=oriented,
                                   notes="Entretien confidentiel ; prise en charge psychosociale proposée.")
    services.orientation_record(by=worker, case_id=case.pk, data={
        "wishes": rng.choice(WISHES), "declared_skills": rng.choice(["", "soudure", "conduite", "vente"]),
        "skills_verified": rng.choice(["", "true", "true", "false"]), "verified_by": "Expert sectoriel CFPM",
        "options_explained": True, "choice": rng.choice(Orientation.Choice.values), "done_on": oriented})
    if depth < 3:
        return case
    # Waits shorten over the programme: months at the start, a few weeks later on.
    lag = max(15, (today - arrived).days // 4 + rng.randint(-20, 40)) if depth >= 5 else rng.randint(5, 45)
    start = _day(max(oriented, arrived + dt.timedelta(days=lag)), today)
    kind, provider, scheme, cost = rng.choice(KINDS)
    component = services.component_add(by=worker, case_id=case.pk, on=start, data={
        "kind": kind, "provider": provider, "scheme_code": scheme, "cost_xof": cost, "planned_start": start})
    for follow_up in case.follow_ups.filter(due_on__lt=today).order_by("due_on") if depth < 5 else []:
        luck = rng.random()
        if luck < 0.85:  # most follow-ups are recorded on time; a few missed, a few forgotten
            outcome = "done" if luck < 0.75 else rng.choice(["missed", "unreachable"])
            services.follow_up_record(by=worker, follow_up_id=follow_up.pk, outcome=outcome, done_on=follow_up.due_on,
                                      satisfaction=rng.randint(2, 5) if outcome == "done" else None)
    if depth < 4:
        if kind == "vocational_training" and rng.random() < 0.5:
            services.component_update(by=worker, component_id=component.pk, status="ongoing", on=start)
        return case
    delivered = _day(start + dt.timedelta(days=rng.randint(10, 80)), today)
    services.component_update(by=worker, component_id=component.pk, status="ongoing", on=start)
    services.component_update(by=worker, component_id=component.pk, status="delivered", on=delivered)
    for follow_up in case.follow_ups.filter(due_on__lt=today).order_by("due_on") if depth >= 5 else []:
        services.follow_up_record(by=worker, follow_up_id=follow_up.pk, outcome="done", done_on=follow_up.due_on,
                                  satisfaction=rng.randint(2, 5))
    if depth < 6:
        return case
    case.refresh_from_db()
    if case.unaccompanied_minor:
        services.best_interest_record(by=worker, case_id=case.pk, panel="DNDS, OIM, tuteur",
                                      decision="Réunification familiale", decided_on=screened)
    closed = _day(start + dt.timedelta(days=400), today)
    reason = rng.choice(["completed", "completed", "completed", "re_migrated", "unreachable", "refused"])
    with contextlib.suppress(ValidationFailed):  # "completed" before the year of follow-up is over: stays open
        services.case_close(by=worker, case_id=case.pk, reason=reason, closed_on=closed)
    return case


def _protection_officer(users, case, worker):
    """The protection officer when the case is in their area; otherwise the case worker's own
    agency records it (as the administrator would for a case outside any officer's reach)."""
    officer = users.get("protection.bamako")
    if officer is not None and cases_visible_to(officer).filter(pk=case.pk).exists():
        return officer
    return users["admin"]

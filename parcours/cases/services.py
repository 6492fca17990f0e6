"""Writes on cases. Each step checks what it needs (no plan without the orientation interview, or
the protection assessment for a vulnerable person; no closure of an unaccompanied or separated
minor's case without the best-interest determination; "completed" only after the 12 months of
follow-up) and leaves a line on the person's timeline."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.accounts.models import Agency, Role, User
from parcours.accounts.roles import can
from parcours.audit.services import log_access
from parcours.core.crypto import decrypt_json, encrypt_json
from parcours.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from parcours.core.idempotency import remember, replay, scope_for
from parcours.people.models import Person
from parcours.people.policies import people_visible_to, person_for_read
from parcours.people.services import access_grant, event_record, sharing_consented

from . import validation as v
from .events import CaseEvent
from .models import (
    BestInterestDetermination,
    Case,
    FollowUp,
    Orientation,
    PlanComponent,
    ProtectionAssessment,
    Reminder,
    Screening,
)
from .policies import (
    CASE_OWNERS,
    can_edit_targets,
    can_open_cases,
    can_read_protection,
    can_record_protection,
    can_screen_at_entry,
    case_for_write,
)
from .stages import follow_up_complete, follow_up_schedule, position

SCREENING_ITEMS = list(v.SCREENING_ITEMS)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today() -> dt.date:
    return timezone.localdate()


def _open_case(by, case_id) -> Case:
    """The case for a step: in the user's scope (NotFound), a role that works cases (Forbidden),
    and still open (Conflict)."""
    case = case_for_write(by, case_id)
    if case.closed_on:
        raise Conflict(_("The case is closed."))
    return case


def _not_before_arrival(case: Case, day: dt.date | None, field: str) -> None:
    if day and day < case.arrived_on:
        raise ValidationFailed({field: [_("The date is before the arrival (%(day)s).") % {
            "day": case.arrived_on.strftime("%d/%m/%Y")}]})


@transaction.atomic
def case_open(*, by, person_id, arrived_on=None, unaccompanied_minor: bool = False) -> Case:
    """Open the case of a returnee at arrival. One open case per person (a partial unique
    constraint): a retry, or a second opening by a colleague, returns the open case."""
    if not can_open_cases(by):
        raise Forbidden()
    person = person_for_read(by, person_id)
    data = v.clean(v.CaseOpenInput, {"arrived_on": arrived_on, "unaccompanied_minor": unaccompanied_minor})
    existing = Case.objects.filter(person=person, closed_on__isnull=True).first()
    if existing:
        return existing
    agency = by.agency or Agency.objects.filter(joint_registry=True).order_by("code").first()
    try:
        with transaction.atomic():
            case = Case.objects.create(
                person=person, agency=agency, owner=by if by.role in CASE_OWNERS else None, place=by.place,
                arrived_on=data["arrived_on"] or person.return_date or _today(),
                unaccompanied_minor=data["unaccompanied_minor"])
    except IntegrityError:  # opened at the same moment by someone else
        return Case.objects.get(person=person, closed_on__isnull=True)
    event_record(person=person, kind=CaseEvent.OPENED, actor=by, data={"agency": agency.code if agency else "—"},
                 on=case.arrived_on)
    _attach_earlier_screening(case)
    return case


def _attach_earlier_screening(case: Case) -> Screening | None:
    """A person screened before their case existed (at entry to a transit centre) is not asked
    again: that screening becomes the case's, so the case moves on from it and shows it. Only a
    screening that belongs to no case: one asked in another case stays with it (OneToOne)."""
    screening = (Screening.objects.select_for_update().filter(person=case.person, case__isnull=True)
                 .order_by("-done_on", "-pk").first())
    if screening is not None:
        screening.case = case
        screening.save(update_fields=["case"])
        _flag_unaccompanied(case, decrypt_json(screening.answers_encrypted))
    return screening


def _flag_unaccompanied(case: Case, answers: dict) -> None:
    """An unaccompanied or separated minor's case needs the best-interest determination."""
    if answers.get("unaccompanied_or_separated") and answers.get("minor") and not case.unaccompanied_minor:
        case.unaccompanied_minor = True
        case.save(update_fields=["unaccompanied_minor"])


def _known_items(answers: dict) -> None:
    unknown = sorted(set(answers or {}) - set(SCREENING_ITEMS))
    if unknown:
        raise ValidationFailed({"answers": [_("Unknown items: %(items)s.") % {"items": ", ".join(unknown)}]})


def _screen(*, by, person: Person, case: Case | None, answers: dict, day: dt.date) -> tuple[Screening, dict]:
    """The questionnaire itself, the same wherever it is asked (a case, a centre's entry)."""
    clean = {item: bool((answers or {}).get(item)) for item in SCREENING_ITEMS}
    if person.is_minor_on(day):
        clean["minor"] = True  # the date of birth says so, whatever was ticked
    vulnerable = v.is_vulnerable(clean)
    screening = Screening.objects.create(case=case, person=person, answers_encrypted=encrypt_json(clean),
                                         vulnerable=vulnerable, done_on=day, by=by)
    event_record(person=person, kind=CaseEvent.SCREENED_PROTECTION if vulnerable else CaseEvent.SCREENED_ORIENTATION,
                 actor=by, data={}, on=day)
    return screening, clean


@transaction.atomic
def screening_record(*, by, case_id, answers: dict, done_on=None) -> Screening:
    """The vulnerability questionnaire. The answers are encrypted; only the route is in clear:
    vulnerable people go to the protection team, others to the orientation interview."""
    case = _open_case(by, case_id)
    _known_items(answers)
    day = v.clean(v.DatedInput, {"done_on": done_on})["done_on"] or _today()
    _not_before_arrival(case, day, "done_on")
    if Screening.objects.filter(case=case).exists():
        raise Conflict(_("The screening is already recorded."))
    # A case opened before its person was screened at a centre's entry: that screening stands
    # (as at a centre's entry, the answers sent are not a second screening).
    earlier = _attach_earlier_screening(case)
    if earlier is not None:
        return earlier
    screening, clean = _screen(by=by, person=case.person, case=case, answers=answers, day=day)
    _flag_unaccompanied(case, clean)
    return screening


@dataclass
class PersonScreening:
    """What a step outside the case learns of a person's screening: when, and where it routed them
    (in clear for everyone who works with the person); the answers only for protection roles."""

    done_on: dt.date
    vulnerable: bool
    answers: dict | None

    @property
    def route(self) -> str:
        return "protection" if self.vulnerable else "orientation"


def person_screening(*, by, person: Person) -> PersonScreening | None:
    """The person's screening, wherever it was recorded, for a caller who has read `person` through
    its own domain's policy. Answers to protection roles only (that read logged); None when the
    person was never screened."""
    screening = Screening.objects.filter(person=person).order_by("-done_on", "-pk").first()
    if screening is None:
        return None
    answers = screening_answers(by=by, screening=screening) if can_read_protection(by) else None
    return PersonScreening(done_on=screening.done_on, vulnerable=screening.vulnerable, answers=answers)


@transaction.atomic
def screening_record_at_entry(*, by, person_id, answers: dict, done_on) -> Screening:
    """The questionnaire asked when a person without a screening enters a transit centre (no case:
    foreign migrants have none). Same items, same routing, same encryption as in a case. A person
    screened before (in a case, at another centre) is not asked again: Conflict."""
    if not can_screen_at_entry(by):
        raise Forbidden()
    person = person_for_read(by, person_id)
    _known_items(answers)
    day = v.clean(v.DatedInput, {"done_on": done_on})["done_on"] or _today()
    if Screening.objects.filter(person=person).exists():
        raise Conflict(_("The screening is already recorded."))
    return _screen(by=by, person=person, case=None, answers=answers, day=day)[0]


def screening_answers(*, by, screening: Screening) -> dict:
    """The protected answers, for protection roles only; every read is logged. To any other role
    they do not exist (NotFound, as when there is no screening: no hint that one was recorded)."""
    if not can_read_protection(by):
        raise NotFound()
    log_access(user=by, instance=screening, what="screening", fields=SCREENING_ITEMS)
    return decrypt_json(screening.answers_encrypted)


def protection_notes(*, by, assessment: ProtectionAssessment) -> str:
    """The confidential notes of the protection assessment: protection roles only, read logged;
    NotFound for any other role, as when there is no assessment."""
    if not can_read_protection(by):
        raise NotFound()
    log_access(user=by, instance=assessment, what="protection", fields=["notes"])
    return decrypt_json(assessment.notes_encrypted)


@transaction.atomic
def protection_record(*, by, case_id, notes: str, done_on=None) -> ProtectionAssessment:
    if not can_record_protection(by):
        raise Forbidden()
    case = _open_case(by, case_id)
    if not Screening.objects.filter(case=case).exists():
        raise ValidationFailed({"case": [_("Record the vulnerability screening first.")]})
    data = v.clean(v.ProtectionInput, {"notes": notes, "done_on": done_on})
    assessment, _created = ProtectionAssessment.objects.update_or_create(
        case=case, defaults={"notes_encrypted": encrypt_json(data["notes"]), "done_on": data["done_on"] or _today(),
                             "by": by})
    event_record(person=case.person, kind=CaseEvent.PROTECTION, actor=by, data={}, on=assessment.done_on)
    return assessment


@transaction.atomic
def orientation_record(*, by, case_id, data: dict) -> Orientation:
    """The orientation sheet (wishes, skills and their verification, options, choice). Recording it
    again corrects it: a retry changes nothing."""
    case = _open_case(by, case_id)
    if position(case, _today()).stage in ("screening", "protection"):
        raise ValidationFailed({"case": [_("Screen the person (and assess protection needs) first.")]})
    clean = v.clean(v.OrientationInput, data)
    _not_before_arrival(case, clean["done_on"], "done_on")
    orientation, _created = Orientation.objects.update_or_create(case=case, defaults={
        "wishes": clean["wishes"], "declared_skills": clean["declared_skills"],
        "skills_verified": clean["skills_verified"], "verified_by": clean["verified_by"],
        "verified_on": clean["verified_on"], "verification_note": clean["verification_note"],
        "options_explained": bool(clean["options_explained"]), "options_note": clean["options_note"],
        "choice": clean["choice"], "done_on": clean["done_on"] or _today(), "by": by})
    event_record(person=case.person, kind=CaseEvent.oriented(orientation.choice), actor=by, on=orientation.done_on)
    return orientation


def _plan_allowed(case) -> bool:
    """A plan follows the orientation interview — or, for a vulnerable person, the protection
    assessment (medical, psychosocial or mediation components decided by the protection team)."""
    if Orientation.objects.filter(case=case).exists():
        return True
    screening = Screening.objects.filter(case=case).first()
    return bool(screening and screening.vulnerable and ProtectionAssessment.objects.filter(case=case).exists())


def _members(by, raw: str, case) -> list[Person]:
    ids = [part for part in raw.replace(",", " ").split() if part]
    visible = {str(p.pk): p for p in people_visible_to(by).filter(pk__in=[i for i in ids if len(i) == 36])}
    missing = [i for i in ids if i not in visible]
    if missing:
        raise ValidationFailed({"members": [_("Unknown person: %(ids)s.") % {"ids": ", ".join(missing)}]})
    return [p for p in visible.values() if p.pk != case.person_id]


def _referral(by, referral_id, case):
    from parcours.referrals.policies import referral_for_read

    try:
        referral = referral_for_read(by, referral_id)
    except NotFound:
        referral = None
    if referral is None or referral.person_id != case.person_id:
        raise ValidationFailed({"referral": [_("No referral of this person with this identifier.")]})
    return referral


@transaction.atomic
def component_add(*, by, case_id, data: dict, idempotency_key: str = "", on=None) -> PlanComponent:
    """Add a component to the reintegration plan. The first one starts the plan and schedules the
    follow-ups (FollowUpOffset rows: 1, 3, 6 and 12 months by default). A retry with the same
    `idempotency_key` returns the component made the first time. `on`: the day the plan was
    agreed, when it is recorded later (default today)."""
    case = _open_case(by, case_id)
    decided = v.clean(v.DatedInput, {"done_on": on})["done_on"]
    _not_before_arrival(case, decided, "done_on")
    scope = scope_for("cases.component", case)
    if previous := replay(scope, idempotency_key, PlanComponent):
        return previous
    if not _plan_allowed(case):
        raise ValidationFailed({"case": [_("No plan without the orientation interview (or, for a vulnerable "
                                           "person, the protection assessment).")]})
    clean = v.clean(v.ComponentInput, data)
    provider = None
    if clean["provider"]:
        provider = Agency.objects.filter(code=clean["provider"].upper()).first()
        if provider is None:
            raise ValidationFailed({"provider": [_("Unknown agency.")]})
    members = _members(by, clean["members"], case) if clean["members"] else []
    referral = _referral(by, clean["referral"], case) if clean["referral"] else None
    start = clean["planned_start"] or _today()
    first = not case.components.exists()
    try:
        with transaction.atomic():
            component = PlanComponent.objects.create(
                case=case, kind=clean["kind"], provider=provider or (referral.service.provider if referral else None),
                scheme_code=clean["scheme_code"], cost_xof=clean["cost_xof"] or 0, planned_start=start,
                planned_end=clean["planned_end"], referral=referral, note=clean["note"], by=by)
            remember(scope, idempotency_key, component)
    except IntegrityError:  # the same key sent twice at once: the other call's component
        if previous := replay(scope, idempotency_key, PlanComponent):
            return previous
        raise
    component.members.set(members)
    if decided and decided != component.created_on:  # the field is set on creation; a plan recorded late
        PlanComponent.objects.filter(pk=component.pk).update(created_on=decided)
        component.created_on = decided
    if first:
        follow_ups_schedule(case=case, plan_start=start)
    event_record(person=case.person, kind=CaseEvent.plan(component.kind), actor=by, on=component.created_on)
    return component


def follow_ups_schedule(*, case: Case, plan_start: dt.date) -> list[FollowUp]:
    """The follow-up contacts after the plan starts, from the configured schedule (idempotent)."""
    return [FollowUp.objects.get_or_create(case=case, months_after_plan=months,
                                           defaults={"due_on": add_months(plan_start, months), "mode": mode})[0]
            for months, mode in follow_up_schedule()]


def _component_for_write(by, component_id) -> PlanComponent:
    try:
        component = PlanComponent.objects.filter(pk=int(component_id)).first()
    except (TypeError, ValueError):
        component = None
    if component is None:
        raise NotFound()
    _open_case(by, component.case_id)  # NotFound out of scope, Forbidden for read-only roles
    return component


@transaction.atomic
def component_update(*, by, component_id, status: str, on=None) -> PlanComponent:
    """Move a component: ongoing (actual start), delivered (actual end), cancelled."""
    component = _component_for_write(by, component_id)
    clean = v.clean(v.ComponentStatusInput, {"status": status, "on": on})
    day = clean["on"] or _today()
    component.status = clean["status"]
    if clean["status"] in ("ongoing", "delivered") and not component.started_on:
        component.started_on = day
    if clean["status"] == "delivered":
        component.delivered_on = day
    component.save(update_fields=["status", "started_on", "delivered_on"])
    event_record(person=component.case.person, kind=CaseEvent.component(component.status, component.kind), actor=by, on=day)
    return component


@transaction.atomic
def follow_up_record(*, by, follow_up_id, outcome: str, done_on=None, satisfaction=None, notes: str = "") -> FollowUp:
    """The outcome of a follow-up visit or call (done, missed, unreachable). Recording it again
    corrects it; the reminders about it are put away."""
    try:
        follow_up = FollowUp.objects.filter(pk=int(follow_up_id)).first()
    except (TypeError, ValueError):
        follow_up = None
    if follow_up is None:
        raise NotFound()
    _open_case(by, follow_up.case_id)
    clean = v.clean(v.FollowUpInput, {"outcome": outcome, "done_on": done_on, "satisfaction": satisfaction,
                                      "notes": notes})
    if clean["outcome"] != "done" and clean["satisfaction"]:
        raise ValidationFailed({"satisfaction": [_("Satisfaction is asked only when the follow-up took place.")]})
    follow_up.outcome, follow_up.done_on = clean["outcome"], clean["done_on"] or _today()
    follow_up.satisfaction, follow_up.notes, follow_up.by = clean["satisfaction"], clean["notes"], by
    follow_up.save(update_fields=["outcome", "done_on", "satisfaction", "notes", "by"])
    Reminder.objects.filter(follow_up=follow_up, dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    event_record(person=follow_up.case.person, kind=CaseEvent.follow_up(follow_up.outcome), actor=by,
                 data={"months": follow_up.months_after_plan}, on=follow_up.done_on)
    return follow_up


@transaction.atomic
def best_interest_record(*, by, case_id, panel: str, decision: str, decided_on=None) -> BestInterestDetermination:
    case = _open_case(by, case_id)
    clean = v.clean(v.BestInterestInput, {"panel": panel, "decision": decision, "decided_on": decided_on})
    bid, _created = BestInterestDetermination.objects.update_or_create(case=case, defaults={
        "panel": clean["panel"], "decision": clean["decision"], "decided_on": clean["decided_on"] or _today(),
        "by": by})
    event_record(person=case.person, kind=CaseEvent.BEST_INTEREST, actor=by, data={}, on=bid.decided_on)
    return bid


@transaction.atomic
def case_close(*, by, case_id, reason: str, closed_on=None) -> Case:
    """Close the case: completed (after the follow-up), re-migrated, unreachable, deceased, refused."""
    case = case_for_write(by, case_id)
    if case.closed_on:
        raise Conflict(_("The case is already closed."))
    clean = v.clean(v.CloseInput, {"reason": reason, "closed_on": closed_on})
    _not_before_arrival(case, clean["closed_on"], "closed_on")
    if case.unaccompanied_minor and not BestInterestDetermination.objects.filter(case=case).exists():
        raise ValidationFailed({"reason": [_("An unaccompanied or separated minor's case cannot be closed without "
                                             "the best-interest determination.")]})
    if clean["reason"] == Case.Closure.COMPLETED and not (
            position(case, _today()).stage == "completion" and follow_up_complete(case)):
        raise ValidationFailed({"reason": [_("A reintegration is completed only when every component is delivered "
                                             "and the 12 months of follow-up are recorded.")]})
    case.closed_on, case.closure_reason, case.closed_by = clean["closed_on"] or _today(), clean["reason"], by
    case.save(update_fields=["closed_on", "closure_reason", "closed_by"])
    Reminder.objects.filter(case=case, dismissed_at__isnull=True).update(dismissed_at=timezone.now())
    event_record(person=case.person, kind=CaseEvent.closed(case.closure_reason), actor=by, on=case.closed_on)
    return case


@transaction.atomic
def case_transfer(*, by, case_id, to_username: str) -> Case:
    """Assign the case to another case worker or protection officer — of the same agency, or of
    another one. An agency outside the joint registry (an NGO) gets it only with the person's
    consent to share with it, and is then granted access to the person."""
    case = case_for_write(by, case_id)
    to = User.objects.select_related("agency").filter(username=(to_username or "").strip(), is_active=True).first()
    if to is None or not can(to, CASE_OWNERS):
        raise ValidationFailed({"to": [_("Choose an active case worker or protection officer.")]})
    if case.closed_on:
        raise Conflict(_("The case is closed."))
    agency = to.agency or case.agency
    if not agency.joint_registry:
        if not sharing_consented(case.person, agency):
            raise ValidationFailed({"to": [_("The person has not consented to sharing their data with %(agency)s.")
                                           % {"agency": agency.name}]})
        access_grant(by=by, person=case.person, agency=agency, reason="assigned")
    previous = case.agency.code
    case.owner, case.agency = to, agency
    case.save(update_fields=["owner", "agency"])
    Reminder.objects.filter(case=case, dismissed_at__isnull=True).update(user=to)
    event_record(person=case.person, kind=CaseEvent.TRANSFERRED, actor=by,
                 data={"to": to.username, "agency": agency.code, "from": previous})
    return case


REMIND_DAYS_AHEAD = 3


def follow_up_reminders(today: dt.date | None = None) -> int:
    """Daily: mark the follow-ups past due and not recorded as overdue, and put a reminder on the
    case worker's "today" page for each follow-up coming due and each overdue one — once each
    (a unique key: a second worker running the same task creates nothing). Returns the count."""
    today = today or _today()
    open_follow_ups = FollowUp.objects.filter(outcome="", case__closed_on__isnull=True, case__owner__isnull=False,
                                              due_on__lte=today + dt.timedelta(days=REMIND_DAYS_AHEAD))
    FollowUp.objects.filter(pk__in=open_follow_ups.filter(due_on__lt=today, overdue_since__isnull=True).values("pk")
                            ).update(overdue_since=today)
    created = 0
    for follow_up in open_follow_ups.select_related("case__person", "case__owner"):
        kind = Reminder.Kind.OVERDUE if follow_up.due_on < today else Reminder.Kind.DUE
        with transaction.atomic():
            _reminder, made = Reminder.objects.get_or_create(
                follow_up=follow_up, kind=kind,
                defaults={"user": follow_up.case.owner, "case": follow_up.case, "due_on": follow_up.due_on,
                          "created_on": today})
            if made:
                event_record(person=follow_up.case.person, kind=CaseEvent.follow_up(kind), actor=None,
                             data={"months": follow_up.months_after_plan, "due": follow_up.due_on.isoformat()})
                created += 1
    return created


@transaction.atomic
def reminder_dismiss(*, by, reminder_id) -> Reminder:
    """The case worker puts a reminder away (her own only)."""
    try:
        reminder = Reminder.objects.select_for_update().filter(pk=int(reminder_id), user=by).first()
    except (TypeError, ValueError):
        reminder = None
    if reminder is None:
        raise NotFound()
    if reminder.dismissed_at is None:
        reminder.dismissed_at = timezone.now()
        reminder.save(update_fields=["dismissed_at"])
    return reminder


def owners_for(user) -> list[User]:
    """Whom a case may be given to: active case workers and protection officers."""
    return list(User.objects.filter(is_active=True, role__in=[Role.CASEWORKER, Role.PROTECTION])
                .select_related("agency").order_by("agency__code", "username"))


TARGET_KEYS = ["screening", "protection", "orientation", "plan", "training_start", "delivery", "follow_up",
               "completion"]


@transaction.atomic
def targets_update(*, by, targets: dict, follow_up_months: str | None = None) -> dict:
    """Change the waiting-time targets (days per step) and, optionally, the follow-up schedule
    ("1:call 3 6 12": months after the plan starts, with the mode, a visit by default). Programme
    administrators only; the schedule applies to plans started afterwards."""
    from .models import FollowUpOffset, StageTarget

    if not can_edit_targets(by):
        raise Forbidden()
    errors, clean = {}, {}
    for key, raw in (targets or {}).items():
        if key not in TARGET_KEYS:
            errors[key] = [_("Unknown step.")]
            continue
        try:
            days = int(str(raw).strip())
            if not 0 <= days <= 3650:
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = [_("Enter a whole number of days, from 0 to 3650.")]
            continue
        clean[key] = days
    schedule = None
    if follow_up_months is not None:
        schedule = []
        for part in follow_up_months.replace(",", " ").split():
            months, _sep, mode = part.partition(":")
            if not months.isdigit() or not 1 <= int(months) <= 120 or (mode or "visit") not in FollowUp.Mode.values:
                errors["follow_up_months"] = [_("Write the months after the plan starts, e.g. 1:call 3 6 12.")]
                break
            schedule.append((int(months), mode or "visit"))
        if schedule is not None and not errors.get("follow_up_months") and (
                not schedule or max(m for m, _mode in schedule) < 12):
            errors["follow_up_months"] = [_("The follow-up lasts at least 12 months.")]
    if errors:
        raise ValidationFailed(errors)
    for key, days in clean.items():
        StageTarget.objects.update_or_create(key=key, defaults={"days": days})
    if schedule is not None:
        FollowUpOffset.objects.exclude(months__in=[m for m, _mode in schedule]).delete()
        for months, mode in schedule:
            FollowUpOffset.objects.update_or_create(months=months, defaults={"mode": mode})
    from .stages import follow_up_schedule, targets

    return {"targets": targets(), "follow_ups": follow_up_schedule()}

"""Writes on cases. Each step checks what it needs (no plan without orientation; no closure of an
unaccompanied minor's case without a best-interest determination) and leaves a timeline line."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.accounts.models import Agency, User
from parcours.accounts.roles import can
from parcours.audit.services import log_access
from parcours.core.crypto import decrypt_json, encrypt_json
from parcours.core.errors import Conflict, Forbidden, ValidationFailed
from parcours.people.policies import person_for_read
from parcours.people.services import access_grant, event_record, sharing_consented

from .models import (
    BestInterestDetermination,
    Case,
    FollowUp,
    Orientation,
    PlanComponent,
    ProtectionAssessment,
    Screening,
)
from .policies import can_open_cases, can_read_protection, case_for_write
from .stages import FOLLOW_UP_MONTHS, position

SCREENING_ITEMS = [
    "minor", "unaccompanied_or_separated", "trafficking_forced_work", "trafficking_confiscated_documents",
    "trafficking_debt_bondage", "health_condition", "disability", "psychosocial_distress", "violence_or_gbv",
    "pregnancy", "journey_debt", "family_tension",
]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the last day of the month when it has fewer days)."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _day(value, field: str) -> dt.date:
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or timezone.localdate()))
        except ValueError:
            raise ValidationFailed({field: [_("Enter a date as YYYY-MM-DD.")]}) from None
    if day > timezone.localdate():
        raise ValidationFailed({field: [_("The date is in the future.")]})
    return day


@transaction.atomic
def case_open(*, by, person_id, arrived_on=None, unaccompanied_minor: bool = False) -> Case:
    """Open the case of a returnee; a retry or a second opening returns the open case."""
    if not can_open_cases(by):
        raise Forbidden()
    person = person_for_read(by, person_id)
    existing = Case.objects.filter(person=person, closed_on__isnull=True).first()
    if existing:
        return existing
    arrival = _day(arrived_on or person.return_date or timezone.localdate(), "arrived_on")
    try:
        with transaction.atomic():
            case = Case.objects.create(person=person, agency=by.agency or Agency.objects.get(code="IOM"),
                                       owner=by if by.role in ("caseworker", "protection") else None,
                                       place=by.place, arrived_on=arrival, unaccompanied_minor=unaccompanied_minor)
    except IntegrityError:  # opened at the same moment by someone else
        return Case.objects.get(person=person, closed_on__isnull=True)
    event_record(person=person, kind="case_opened", actor=by, data={"agency": case.agency.code})
    return case


@transaction.atomic
def screening_record(*, by, case_id, answers: dict, done_on=None) -> Screening:
    case = case_for_write(by, case_id)
    if hasattr(case, "screening"):
        raise Conflict(_("The screening is already recorded."))
    unknown = sorted(set(answers) - set(SCREENING_ITEMS))
    if unknown:
        raise ValidationFailed({"answers": [_("Unknown items: %(items)s.") % {"items": ", ".join(unknown)}]})
    clean = {item: bool(answers.get(item)) for item in SCREENING_ITEMS}
    vulnerable = any(v for k, v in clean.items() if k != "journey_debt") or clean["journey_debt"] and clean[
        "family_tension"]
    screening = Screening.objects.create(case=case, answers_encrypted=encrypt_json(clean), vulnerable=vulnerable,
                                         done_on=_day(done_on, "done_on"), by=by)
    if clean["unaccompanied_or_separated"] and not case.unaccompanied_minor:
        case.unaccompanied_minor = True
        case.save(update_fields=["unaccompanied_minor"])
    event_record(person=case.person, kind="case_screened", actor=by,
                 data={"route": "protection" if vulnerable else "orientation"})
    return screening


def screening_answers(*, by, screening: Screening) -> dict:
    """The protected answers, for protection roles only; every read is logged."""
    if not can_read_protection(by):
        raise Forbidden()
    log_access(user=by, instance=screening, what="screening", fields=SCREENING_ITEMS)
    return decrypt_json(screening.answers_encrypted)


@transaction.atomic
def protection_record(*, by, case_id, notes: str, done_on=None) -> ProtectionAssessment:
    if not can_read_protection(by):
        raise Forbidden()
    case = case_for_write(by, case_id)
    if not notes.strip():
        raise ValidationFailed({"notes": [_("This field is required.")]})
    assessment, _created = ProtectionAssessment.objects.update_or_create(
        case=case, defaults={"notes_encrypted": encrypt_json(notes.strip()), "done_on": _day(done_on, "done_on"),
                             "by": by})
    event_record(person=case.person, kind="case_protection", actor=by, data={})
    return assessment


@transaction.atomic
def orientation_record(*, by, case_id, data: dict) -> Orientation:
    case = case_for_write(by, case_id)
    stage = position(case, timezone.localdate()).stage
    if stage in ("screening", "protection"):
        raise ValidationFailed({"case": [_("Screen the person (and assess protection needs) first.")]})
    errors = {}
    if not (data.get("wishes") or "").strip():
        errors["wishes"] = [_("This field is required.")]
    if data.get("choice") not in Orientation.Choice.values:
        errors["choice"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Orientation.Choice.values)}]
    if errors:
        raise ValidationFailed(errors)
    verified = data.get("skills_verified")
    orientation, _created = Orientation.objects.update_or_create(case=case, defaults={
        "wishes": data["wishes"].strip(), "declared_skills": (data.get("declared_skills") or "").strip(),
        "skills_verified": None if verified in (None, "") else str(verified).lower() in ("1", "true", "yes", "on"),
        "verified_by": (data.get("verified_by") or "")[:120], "options_explained": bool(data.get("options_explained")),
        "choice": data["choice"], "done_on": _day(data.get("done_on"), "done_on"), "by": by})
    event_record(person=case.person, kind="case_oriented", actor=by, data={"choice": orientation.get_choice_display()})
    return orientation


@transaction.atomic
def component_add(*, by, case_id, data: dict) -> PlanComponent:
    """Add a component to the reintegration plan; the first one starts the plan and schedules the
    follow-ups (1, 3, 6 and 12 months after)."""
    case = case_for_write(by, case_id)
    if not hasattr(case, "orientation"):
        raise ValidationFailed({"case": [_("No plan without the orientation interview.")]})
    errors = {}
    if data.get("kind") not in PlanComponent.Kind.values:
        errors["kind"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(PlanComponent.Kind.values)}]
    try:
        cost = int(data.get("cost_xof") or 0)
        if cost < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["cost_xof"] = [_("Enter a whole amount in XOF, 0 or more.")]
    provider = None
    if data.get("provider"):
        provider = Agency.objects.filter(code=str(data["provider"]).upper()).first()
        if provider is None:
            errors["provider"] = [_("Unknown agency.")]
    try:
        start = dt.date.fromisoformat(str(data.get("planned_start") or timezone.localdate()))
    except ValueError:
        errors["planned_start"] = [_("Enter a date as YYYY-MM-DD.")]
    if errors:
        raise ValidationFailed(errors)
    first = not case.components.exists()
    component = PlanComponent.objects.create(case=case, kind=data["kind"], provider=provider,
                                             scheme_code=(data.get("scheme_code") or "")[:40], cost_xof=cost,
                                             planned_start=start)
    if first:
        for months in FOLLOW_UP_MONTHS:
            FollowUp.objects.get_or_create(case=case, months_after_plan=months,
                                           defaults={"due_on": add_months(start, months)})
    event_record(person=case.person, kind="case_plan", actor=by, data={"component": component.get_kind_display()})
    return component


@transaction.atomic
def component_update(*, by, component_id, status: str, on=None) -> PlanComponent:
    component = PlanComponent.objects.select_related("case").filter(pk=component_id).first()
    if component is None:
        from parcours.core.errors import NotFound

        raise NotFound()
    case_for_write(by, component.case_id)
    if status not in PlanComponent.Status.values:
        raise ValidationFailed({"status": [_("Choose one of: %(values)s.") % {"values": ", ".join(
            PlanComponent.Status.values)}]})
    day = _day(on, "on")
    component.status = status
    fields = ["status"]
    if status == "ongoing" and not component.started_on:
        component.started_on = day
        fields.append("started_on")
    if status == "delivered":
        component.delivered_on = day
        fields.append("delivered_on")
    component.save(update_fields=fields)
    event_record(person=component.case.person, kind="case_component", actor=by,
                 data={"component": component.get_kind_display(), "status": component.get_status_display()})
    return component


@transaction.atomic
def follow_up_record(*, by, follow_up_id, outcome: str, done_on=None, satisfaction=None, notes: str = "") -> FollowUp:
    follow_up = FollowUp.objects.select_related("case").filter(pk=follow_up_id).first()
    if follow_up is None:
        from parcours.core.errors import NotFound

        raise NotFound()
    case_for_write(by, follow_up.case_id)
    errors = {}
    if outcome not in FollowUp.Outcome.values:
        errors["outcome"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(FollowUp.Outcome.values)}]
    if satisfaction not in (None, ""):
        try:
            satisfaction = int(satisfaction)
            if not 1 <= satisfaction <= 5:
                raise ValueError
        except (TypeError, ValueError):
            errors["satisfaction"] = [_("From 1 to 5.")]
    else:
        satisfaction = None
    if errors:
        raise ValidationFailed(errors)
    follow_up.outcome, follow_up.done_on = outcome, _day(done_on, "done_on")
    follow_up.satisfaction, follow_up.notes = satisfaction, notes[:2000]
    follow_up.save(update_fields=["outcome", "done_on", "satisfaction", "notes"])
    event_record(person=follow_up.case.person, kind="case_follow_up", actor=by,
                 data={"months": follow_up.months_after_plan, "outcome": follow_up.get_outcome_display()})
    return follow_up


@transaction.atomic
def best_interest_record(*, by, case_id, panel: str, decision: str, decided_on=None) -> BestInterestDetermination:
    case = case_for_write(by, case_id)
    if not (panel.strip() and decision.strip()):
        raise ValidationFailed({k: [_("This field is required.")] for k, v in (("panel", panel), ("decision", decision))
                                if not v.strip()})
    bid, _created = BestInterestDetermination.objects.update_or_create(case=case, defaults={
        "panel": panel.strip()[:200], "decision": decision.strip(), "decided_on": _day(decided_on, "decided_on"),
        "by": by})
    event_record(person=case.person, kind="case_best_interest", actor=by, data={})
    return bid


@transaction.atomic
def case_close(*, by, case_id, reason: str, closed_on=None) -> Case:
    case = case_for_write(by, case_id)
    if case.closed_on:
        raise Conflict(_("The case is already closed."))
    if reason not in Case.Closure.values:
        raise ValidationFailed({"reason": [_("Choose one of: %(values)s.") % {"values": ", ".join(Case.Closure.values)}]})
    if case.unaccompanied_minor and not hasattr(case, "best_interest"):
        raise ValidationFailed({"reason": [_("An unaccompanied or separated minor's case cannot be closed without "
                                             "the best-interest determination.")]})
    case.closed_on, case.closure_reason = _day(closed_on, "closed_on"), reason
    case.save(update_fields=["closed_on", "closure_reason"])
    event_record(person=case.person, kind="case_closed", actor=by, data={"reason": case.get_closure_reason_display()})
    return case


@transaction.atomic
def case_transfer(*, by, case_id, to_username: str) -> Case:
    """Give the case to another case worker, possibly of another agency — with the person's
    consent to share with that agency when it is outside the joint registry."""
    case = case_for_write(by, case_id)
    to = User.objects.select_related("agency").filter(username=to_username, is_active=True).first()
    if to is None or not can(to, {"caseworker", "protection"}):
        raise ValidationFailed({"to": [_("Choose an active case worker or protection officer.")]})
    agency = to.agency
    if agency and not agency.joint_registry:
        if not sharing_consented(case.person, agency):
            raise ValidationFailed({"to": [_("The person has not consented to sharing their data with %(agency)s.")
                                           % {"agency": agency.name}]})
        access_grant(by=by, person=case.person, agency=agency, reason="assigned")
    case.owner, case.agency = to, agency or case.agency
    case.save(update_fields=["owner", "agency"])
    event_record(person=case.person, kind="case_transferred", actor=by, data={"to": to.username})
    return case


REMIND_DAYS_AHEAD = 3


def follow_up_reminders(today: dt.date | None = None) -> int:
    """Announce each follow-up coming due (or overdue) once, on the person's timeline and in the
    case worker's "today" list. Run daily by the task worker."""
    today = today or timezone.localdate()
    due = FollowUp.objects.filter(done_on__isnull=True, reminded_on__isnull=True, case__closed_on__isnull=True,
                                  due_on__lte=today + dt.timedelta(days=REMIND_DAYS_AHEAD)).select_related(
        "case__person", "case__owner")
    count = 0
    for follow_up in due:
        with transaction.atomic():
            updated = FollowUp.objects.filter(pk=follow_up.pk, reminded_on__isnull=True).update(reminded_on=today)
            if updated:  # a second worker running the same task finds it already announced
                event_record(person=follow_up.case.person, kind="case_follow_up_due", actor=follow_up.case.owner,
                             data={"months": follow_up.months_after_plan, "due": follow_up.due_on.isoformat()})
                count += 1
    return count

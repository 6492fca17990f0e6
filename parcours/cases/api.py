"""Cases over the API: the same policies and services as the pages. Every lookup goes through
`case_for_read` (404 out of scope); every write through a service (403 for read-only roles)."""

import datetime as dt
import uuid

from django.utils import timezone
from ninja import Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import Forbidden, NotFound
from parcours.core.inputs import Date, choice, required_choice

from . import selectors, services
from .models import Case, FollowUp, PlanComponent, Reminder
from .policies import can_read_protection, can_read_queue, case_for_read, cases_visible_to
from .stages import STAGES, position, targets

router = Router(tags=["cases"])
Scalar = str | int | bool | None


class CaseIn(Schema):
    person: str
    arrived_on: Date = None
    unaccompanied_minor: bool = False


class CaseOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    person_name: str
    agency: str
    owner: str
    arrived_on: dt.date
    stage: str
    waiting_since: dt.date
    days_waiting: int
    target_days: int
    overdue: bool
    minor: bool
    unaccompanied_minor: bool
    closed_on: dt.date | None
    closure_reason: str


class CasePage(Schema):
    count: int
    count_is_exact: bool
    results: list[CaseOut]
    next: str | None


def case_out(case: Case, target_days: dict | None = None) -> dict:
    today = timezone.localdate()
    pos = position(case, today, target_days)
    return {"id": case.pk, "person": case.person_id, "person_name": case.person.full_name,
            "agency": case.agency.code, "owner": case.owner.username if case.owner_id else "",
            "arrived_on": case.arrived_on, "stage": pos.stage, "waiting_since": pos.waiting_since,
            "days_waiting": pos.days_waiting(today), "target_days": pos.target_days, "overdue": pos.overdue(today),
            "minor": case.is_minor(today), "unaccompanied_minor": case.unaccompanied_minor,
            "closed_on": case.closed_on, "closure_reason": case.closure_reason}


class ListFilter(Schema):
    open: bool = True
    stage: choice(list(STAGES)) = ""
    owner: str = ""
    agency: str = ""
    region: str = ""
    overdue: bool = False


@router.get("", response={200: CasePage, 400: ErrorOut})
def list_cases(request, filters: Query[ListFilter]):
    """Cases the caller may see, longest wait first when filtered by stage or overdue. Filters:
    `open` (default true), `stage`, `owner` (username), `agency` (code), `region` (of origin), `overdue`."""
    flt = selectors.QueueFilter(stage=filters.stage, owner=filters.owner, agency=filters.agency,
                                region=filters.region, overdue=filters.overdue)
    qs = cases_visible_to(request.user).order_by("arrived_on", "id")
    if filters.open:
        qs = qs.filter(closed_on__isnull=True)
    if flt.stage or flt.overdue:
        qs = qs.filter(pk__in=[w.case.pk for w in selectors.queue(request.user, flt)])
    else:
        qs = selectors._filtered(qs, flt)
    t = targets()
    return paginate(request, selectors.with_steps(qs), lambda c: case_out(c, t))


@router.post("", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def open_case(request, payload: CaseIn):
    """Open the case of a returnee. Opening again returns the open case (safe to retry)."""
    case = services.case_open(by=request.user, person_id=payload.person, arrived_on=payload.arrived_on,
                              unaccompanied_minor=payload.unaccompanied_minor)
    return Status(201, case_out(case))


class QueueFilterIn(Schema):
    stage: choice(list(STAGES)) = ""
    owner: str = ""
    agency: str = ""
    region: str = ""


@router.get("/queue", response={200: dict, 403: ErrorOut})
def queue_summary(request, filters: Query[QueueFilterIn]):
    """The backlog in counts (no names): per stage (open, over target, target, median and 90th
    percentile of days waiting), per agency, region of origin and case worker; and per month of
    arrival, the median and 90th percentile of days from arrival to the plan and the open backlog."""
    if not can_read_queue(request.user):
        raise Forbidden()
    flt = selectors.QueueFilter(**filters.dict())
    summary = selectors.backlog(request.user, flt)
    for stage in summary["stages"]:
        stage["label"] = str(stage["label"])
    return {**summary, "trend": selectors.waiting_trend(request.user, flt)}


class TargetsIn(Schema):
    targets: dict[str, int] = {}
    follow_up_months: str | None = None


@router.get("/targets", response={200: dict, 403: ErrorOut})
def targets_read(request):
    """The waiting-time targets (days per step) and the follow-up schedule in force."""
    if not can_read_queue(request.user):
        raise Forbidden()
    from .stages import follow_up_schedule

    return {"targets": targets(), "follow_ups": [{"months": m, "mode": mode} for m, mode in follow_up_schedule()]}


@router.put("/targets", response={200: dict, 400: ErrorOut, 403: ErrorOut})
def targets_write(request, payload: TargetsIn):
    """Change targets and schedule (administrators): `{"targets": {"plan": 21}, "follow_up_months": "1:call 3 6 12"}`."""
    changed = services.targets_update(by=request.user, targets=payload.targets,
                                      follow_up_months=payload.follow_up_months)
    return {"targets": changed["targets"], "follow_ups": [{"months": m, "mode": mode}
                                                          for m, mode in changed["follow_ups"]]}


class ReminderOut(Schema):
    id: int
    case: uuid.UUID
    person_name: str
    kind: str
    due_on: dt.date
    months_after_plan: int


@router.get("/reminders", response={200: list[ReminderOut]})
def reminders(request):
    """The caller's open reminders (follow-ups due soon or overdue), as on the "today" page."""
    return [{"id": r.id, "case": r.case_id, "person_name": r.case.person.full_name, "kind": r.kind,
             "due_on": r.due_on, "months_after_plan": r.follow_up.months_after_plan}
            for r in selectors.tasks_today(request.user)["reminders"]]


@router.post("/reminders/{reminder_id}/dismiss", response={200: dict, 404: ErrorOut})
def reminder_dismiss(request, reminder_id: int):
    reminder: Reminder = services.reminder_dismiss(by=request.user, reminder_id=reminder_id)
    return {"id": reminder.pk, "dismissed": True}


class ComponentOut(Schema):
    id: int
    kind: str
    provider: str
    scheme_code: str
    cost_xof: int
    planned_start: dt.date
    planned_end: dt.date | None
    started_on: dt.date | None
    delivered_on: dt.date | None
    status: str
    referral: uuid.UUID | None
    members: list[uuid.UUID]
    delivered_xof: int


class FollowUpOut(Schema):
    id: int
    months_after_plan: int
    mode: str
    due_on: dt.date
    done_on: dt.date | None
    outcome: str
    satisfaction: int | None
    overdue: bool


class CaseDetailOut(CaseOut):
    route: str
    orientation: dict | None
    components: list[ComponentOut]
    follow_ups: list[FollowUpOut]
    best_interest: dict | None
    protection_recorded: bool


def _detail(request, case_id) -> dict:
    case = selectors.with_steps(cases_visible_to(request.user)).filter(pk=case_for_read(request.user, case_id).pk
                                                                       ).first()
    today = timezone.localdate()
    screening = getattr(case, "screening", None) if hasattr(case, "screening") else None
    orientation = getattr(case, "orientation", None) if hasattr(case, "orientation") else None
    bid = getattr(case, "best_interest", None) if hasattr(case, "best_interest") else None
    paid = selectors.deliveries(request.user, case)
    members = selectors.visible_members(request.user, case.components.all())
    return {
        **case_out(case),
        "route": "" if screening is None else ("protection" if screening.vulnerable else "orientation"),
        "protection_recorded": hasattr(case, "protection"),
        "orientation": None if orientation is None else {
            "done_on": orientation.done_on, "wishes": orientation.wishes, "declared_skills": orientation.declared_skills,
            "skills_verified": orientation.skills_verified, "verified_by": orientation.verified_by,
            "verified_on": orientation.verified_on, "verification_note": orientation.verification_note,
            "options_explained": orientation.options_explained, "options_note": orientation.options_note,
            "choice": orientation.choice},
        "components": [{
            "id": c.pk, "kind": c.kind, "provider": c.provider.code if c.provider_id else "",
            "scheme_code": c.scheme_code, "cost_xof": c.cost_xof, "planned_start": c.planned_start,
            "planned_end": c.planned_end, "started_on": c.started_on, "delivered_on": c.delivered_on,
            "status": c.status, "referral": c.referral_id, "members": [m.pk for m in members[c.pk]],
            "delivered_xof": sum(e.amount_xof for e in paid.get(c.scheme_code, []))} for c in case.components.all()],
        "follow_ups": [{"id": f.pk, "months_after_plan": f.months_after_plan, "mode": f.mode, "due_on": f.due_on,
                        "done_on": f.done_on, "outcome": f.outcome, "satisfaction": f.satisfaction,
                        "overdue": not f.outcome and f.due_on < today} for f in case.follow_ups.all()],
        "best_interest": None if bid is None else {"decided_on": bid.decided_on, "panel": bid.panel,
                                                   "decision": bid.decision},
    }


@router.get("/{case_id}", response={200: CaseDetailOut, 404: ErrorOut})
def get_case(request, case_id: str):
    """The case with its steps. The screening shows only its route; the answers and the
    protection notes have their own endpoints (protection roles, reads logged)."""
    return _detail(request, case_id)


class ScreeningIn(Schema):
    answers: dict[str, bool]
    done_on: Date = None


@router.post("/{case_id}/screening", response={201: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                409: ErrorOut})
def screening(request, case_id: str, payload: ScreeningIn):
    """Record the vulnerability questionnaire (items: `parcours.cases.validation.SCREENING_ITEMS`).
    Answers only the route: `protection` (vulnerable) or `orientation`."""
    s = services.screening_record(by=request.user, case_id=case_id, answers=payload.answers, done_on=payload.done_on)
    return Status(201, {"vulnerable": s.vulnerable, "route": "protection" if s.vulnerable else "orientation"})


@router.get("/{case_id}/screening", response={200: dict, 404: ErrorOut})
def screening_read(request, case_id: str):
    """The protected answers: protection roles only, every read logged. Any other role gets 404,
    whether or not a screening was recorded."""
    case = case_for_read(request.user, case_id)
    if not can_read_protection(request.user) or not hasattr(case, "screening"):
        raise NotFound()
    return {"answers": services.screening_answers(by=request.user, screening=case.screening),
            "vulnerable": case.screening.vulnerable, "done_on": case.screening.done_on}


class StepIn(Schema):
    data: dict[str, Scalar | list[str]] = {}


@router.post("/{case_id}/orientation", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def orientation(request, case_id: str, payload: StepIn):
    """The orientation sheet: `wishes`, `declared_skills`, `skills_verified` (yes/no), `verified_by`,
    `verified_on`, `verification_note`, `options_explained`, `options_note`, `choice`, `done_on`."""
    services.orientation_record(by=request.user, case_id=case_id, data=payload.data)
    return Status(201, case_out(case_for_read(request.user, case_id)))


@router.post("/{case_id}/components", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                409: ErrorOut})
def component(request, case_id: str, payload: StepIn):
    """Add a plan component: `kind`, `provider` (agency code), `scheme_code`, `cost_xof`, `planned_start`,
    `planned_end`, `referral` (id), `members` (people ids, collective projects), `note`.
    Send `Idempotency-Key` to make a retry return the first component instead of adding another."""
    data = dict(payload.data)
    if isinstance(data.get("members"), list):
        data["members"] = " ".join(data["members"])
    services.component_add(by=request.user, case_id=case_id, data=data,
                           idempotency_key=request.headers.get("Idempotency-Key", ""))
    return Status(201, case_out(case_for_read(request.user, case_id)))


class CloseIn(Schema):
    reason: required_choice(Case.Closure)
    closed_on: Date = None


@router.post("/{case_id}/close", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def close(request, case_id: str, payload: CloseIn):
    return case_out(services.case_close(by=request.user, case_id=case_id, reason=payload.reason,
                                        closed_on=payload.closed_on))


class ComponentStatusIn(Schema):
    status: required_choice(PlanComponent.Status)
    on: Date = None


@router.post("/components/{component_id}/status", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut,
                                                             404: ErrorOut})
def component_status(request, component_id: int, payload: ComponentStatusIn):
    component = services.component_update(by=request.user, component_id=component_id, status=payload.status,
                                          on=payload.on)
    return case_out(case_for_read(request.user, component.case_id))


class FollowUpIn(Schema):
    outcome: required_choice(FollowUp.Outcome)
    done_on: Date = None
    satisfaction: int | None = None
    notes: str = ""


@router.post("/follow-ups/{follow_up_id}", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def follow_up(request, follow_up_id: int, payload: FollowUpIn):
    """Record a follow-up's outcome (`done`, `missed`, `unreachable`); recording again corrects it."""
    done = services.follow_up_record(by=request.user, follow_up_id=follow_up_id, outcome=payload.outcome,
                                     done_on=payload.done_on, satisfaction=payload.satisfaction, notes=payload.notes)
    return case_out(case_for_read(request.user, done.case_id))


@router.get("/{case_id}/follow-ups", response={200: list[FollowUpOut], 404: ErrorOut})
def follow_ups(request, case_id: str):
    return _detail(request, case_id)["follow_ups"]


class BestInterestIn(Schema):
    panel: str
    decision: str
    decided_on: Date = None


@router.post("/{case_id}/best-interest", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def best_interest(request, case_id: str, payload: BestInterestIn):
    services.best_interest_record(by=request.user, case_id=case_id, panel=payload.panel, decision=payload.decision,
                                  decided_on=payload.decided_on)
    return Status(201, case_out(case_for_read(request.user, case_id)))


class ProtectionIn(Schema):
    notes: str
    done_on: Date = None


@router.post("/{case_id}/protection", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def protection(request, case_id: str, payload: ProtectionIn):
    """The protection assessment's confidential notes (protection roles only; encrypted at rest)."""
    services.protection_record(by=request.user, case_id=case_id, notes=payload.notes, done_on=payload.done_on)
    return Status(201, case_out(case_for_read(request.user, case_id)))


@router.get("/{case_id}/protection", response={200: dict, 404: ErrorOut})
def protection_read(request, case_id: str):
    """The confidential notes: protection roles only, every read logged. Any other role gets 404,
    whether or not an assessment was recorded."""
    case = case_for_read(request.user, case_id)
    if not can_read_protection(request.user) or not hasattr(case, "protection"):
        raise NotFound()
    return {"notes": services.protection_notes(by=request.user, assessment=case.protection),
            "done_on": case.protection.done_on}


class TransferIn(Schema):
    to: str


@router.post("/{case_id}/transfer", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                              409: ErrorOut})
def transfer(request, case_id: str, payload: TransferIn):
    """Assign the case to a case worker or protection officer (username). To an agency outside the
    joint registry only with the person's consent to share with it."""
    return case_out(services.case_transfer(by=request.user, case_id=case_id, to_username=payload.to))

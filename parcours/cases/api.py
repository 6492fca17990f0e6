"""Cases over the API: the same services as the pages."""

import datetime as dt
import uuid

from ninja import Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.errors import Forbidden

from . import selectors, services
from .models import Case
from .policies import QUEUE_READERS, case_for_read, cases_visible_to
from .stages import position

router = Router(tags=["cases"])
Scalar = str | int | bool | None


class CaseIn(Schema):
    person: str
    arrived_on: str | None = None
    unaccompanied_minor: bool = False


class CaseOut(Schema):
    id: uuid.UUID
    person: uuid.UUID
    agency: str
    owner: str
    arrived_on: dt.date
    stage: str
    waiting_since: dt.date
    days_waiting: int
    target_days: int
    overdue: bool
    unaccompanied_minor: bool
    closed_on: dt.date | None
    closure_reason: str


class CasePage(Schema):
    count: int
    count_is_exact: bool
    results: list[CaseOut]
    next: str | None


def case_out(case: Case) -> dict:
    today = dt.date.today()
    pos = position(case, today)
    return {"id": case.pk, "person": case.person_id, "agency": case.agency.code,
            "owner": case.owner.username if case.owner_id else "", "arrived_on": case.arrived_on, "stage": pos.stage,
            "waiting_since": pos.waiting_since, "days_waiting": pos.days_waiting(today), "target_days": pos.target_days,
            "overdue": pos.overdue(today), "unaccompanied_minor": case.unaccompanied_minor, "closed_on": case.closed_on,
            "closure_reason": case.closure_reason}


@router.get("", response={200: CasePage, 400: ErrorOut})
def list_cases(request, open: bool = True):  # noqa: A002 - the query parameter's public name
    qs = cases_visible_to(request.user).select_related("agency", "owner").order_by("arrived_on")
    if open:
        qs = qs.filter(closed_on__isnull=True)
    return paginate(request, selectors._with_steps(qs), case_out)


@router.post("", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def open_case(request, payload: CaseIn):
    """Open the case of a returnee. Opening again returns the open case (safe to retry)."""
    case = services.case_open(by=request.user, person_id=payload.person, arrived_on=payload.arrived_on,
                              unaccompanied_minor=payload.unaccompanied_minor)
    return Status(201, case_out(case))


@router.get("/queue", response={200: dict, 403: ErrorOut})
def queue_summary(request):
    """Backlog per stage (open, over target, median wait) and over-target counts; no names."""
    from parcours.accounts.roles import can

    if not can(request.user, QUEUE_READERS):
        raise Forbidden()
    return {**selectors.backlog(request.user), "days_to_plan_by_month": selectors.days_to_plan_by_month(request.user)}


@router.get("/{case_id}", response={200: CaseOut, 404: ErrorOut})
def get_case(request, case_id: str):
    return case_out(case_for_read(request.user, case_id))


class ScreeningIn(Schema):
    answers: dict[str, bool]
    done_on: str | None = None


@router.post("/{case_id}/screening", response={201: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                409: ErrorOut})
def screening(request, case_id: str, payload: ScreeningIn):
    """Record the vulnerability questionnaire; items: see `parcours.cases.services.SCREENING_ITEMS`."""
    s = services.screening_record(by=request.user, case_id=case_id, answers=payload.answers, done_on=payload.done_on)
    return Status(201, {"vulnerable": s.vulnerable, "route": "protection" if s.vulnerable else "orientation"})


@router.get("/{case_id}/screening", response={200: dict, 403: ErrorOut, 404: ErrorOut})
def screening_read(request, case_id: str):
    """The protected answers: protection roles only, every read logged."""
    case = case_for_read(request.user, case_id)
    if not hasattr(case, "screening"):
        from parcours.core.errors import NotFound

        raise NotFound()
    return {"answers": services.screening_answers(by=request.user, screening=case.screening),
            "vulnerable": case.screening.vulnerable}


class StepIn(Schema):
    data: dict[str, Scalar] = {}


@router.post("/{case_id}/orientation", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def orientation(request, case_id: str, payload: StepIn):
    services.orientation_record(by=request.user, case_id=case_id, data=payload.data)
    return Status(201, case_out(case_for_read(request.user, case_id)))


@router.post("/{case_id}/components", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def component(request, case_id: str, payload: StepIn):
    services.component_add(by=request.user, case_id=case_id, data=payload.data)
    return Status(201, case_out(case_for_read(request.user, case_id)))


class CloseIn(Schema):
    reason: str


@router.post("/{case_id}/close", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def close(request, case_id: str, payload: CloseIn):
    return case_out(services.case_close(by=request.user, case_id=case_id, reason=payload.reason))


class ComponentStatusIn(Schema):
    status: str
    on: str | None = None


@router.post("/components/{component_id}/status", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut,
                                                             404: ErrorOut})
def component_status(request, component_id: int, payload: ComponentStatusIn):
    component = services.component_update(by=request.user, component_id=component_id, status=payload.status,
                                          on=payload.on)
    return case_out(case_for_read(request.user, component.case_id))


class FollowUpIn(Schema):
    outcome: str
    done_on: str | None = None
    satisfaction: int | None = None
    notes: str = ""


@router.post("/follow-ups/{follow_up_id}", response={200: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def follow_up(request, follow_up_id: int, payload: FollowUpIn):
    done = services.follow_up_record(by=request.user, follow_up_id=follow_up_id, outcome=payload.outcome,
                                     done_on=payload.done_on, satisfaction=payload.satisfaction, notes=payload.notes)
    return case_out(case_for_read(request.user, done.case_id))


class FollowUpOut(Schema):
    id: int
    months_after_plan: int
    due_on: dt.date
    done_on: dt.date | None
    outcome: str


@router.get("/{case_id}/follow-ups", response={200: list[FollowUpOut], 404: ErrorOut})
def follow_ups(request, case_id: str):
    return list(case_for_read(request.user, case_id).follow_ups.all())


class BestInterestIn(Schema):
    panel: str
    decision: str
    decided_on: str | None = None


@router.post("/{case_id}/best-interest", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def best_interest(request, case_id: str, payload: BestInterestIn):
    services.best_interest_record(by=request.user, case_id=case_id, panel=payload.panel, decision=payload.decision,
                                  decided_on=payload.decided_on)
    return Status(201, case_out(case_for_read(request.user, case_id)))


class ProtectionIn(Schema):
    notes: str


@router.post("/{case_id}/protection", response={201: CaseOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def protection(request, case_id: str, payload: ProtectionIn):
    services.protection_record(by=request.user, case_id=case_id, notes=payload.notes)
    return Status(201, case_out(case_for_read(request.user, case_id)))


class TransferIn(Schema):
    to: str


@router.post("/{case_id}/transfer", response={200: dict, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def transfer(request, case_id: str, payload: TransferIn):
    case = services.case_transfer(by=request.user, case_id=case_id, to_username=payload.to)
    return {"id": str(case.pk), "owner": case.owner.username, "agency": case.agency.code}

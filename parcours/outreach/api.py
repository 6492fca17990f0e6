"""Sensitization endpoints (/api/v1/sensitization). Thin: parse, call the service or selector, shape."""

import datetime as dt
import uuid
from typing import Literal

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate
from parcours.core.inputs import (
    Date,
    Integer,
    RequiredDate,
    RequiredInteger,
    RequiredText,
    Text,
    Uuid,
    choice,
    required_choice,
)
from parcours.people.models import Sex

from . import followup, grants, participants, selectors, services
from .models import PERCEPTION_QUESTIONS, Activity, Call, Grant, GrantReport
from .policies import activity_for_read, grant_for_read

router = Router(tags=["sensitization"])

Kind = Literal[tuple(Activity.Kind.values)]  # type: ignore[valid-type]
Theme = Literal[tuple(Activity.Theme.values)]  # type: ignore[valid-type]
Audience = Literal[tuple(Activity.Audience.values)]  # type: ignore[valid-type]
OrganiserKind = Literal[tuple(Activity.OrganiserKind.values)]  # type: ignore[valid-type]
FollowupOutcome = Literal[tuple(Activity.FollowupOutcome.values)]  # type: ignore[valid-type]
FollowupStatus = Literal[followup.FollowupStatus.VALUES]  # type: ignore[valid-type]
Question = Literal[tuple(q for q, _label in PERCEPTION_QUESTIONS)]  # type: ignore[valid-type]


class ActivityIn(Schema):
    kind: Kind
    held_on: dt.date
    commune: str = Field(description="The commune's name (alternates, accents and case ignored), code or P-code")
    theme: Theme
    audience: Audience
    participants_male: int = Field(ge=0, le=100_000)
    participants_female: int = Field(ge=0, le=100_000)
    participants_minors: int = Field(0, ge=0, le=100_000, description="Of the participants, how many under 18")
    communities_reached: int = Field(1, ge=0, le=1000)
    audience_estimate: int | None = Field(None, ge=0, description="Radio, TV, social media: listeners or "
                                          "viewers, never added to people met")
    organiser: str | None = Field(None, description="The organising agency's code (default: the caller's)")
    organiser_kind: OrganiserKind | None = None
    notes: str = Field("", max_length=2000)
    grant: Uuid = Field(None, description="The grant it was held under (GET /sensitization/grants): "
                                    "active on the day held, awarded to the caller's organisation")


class ActivityPatch(Schema):
    kind: Kind | None = None
    held_on: dt.date | None = None
    commune: str | None = None
    theme: Theme | None = None
    audience: Audience | None = None
    participants_male: int | None = Field(None, ge=0, le=100_000)
    participants_female: int | None = Field(None, ge=0, le=100_000)
    participants_minors: int | None = Field(None, ge=0, le=100_000)
    communities_reached: int | None = Field(None, ge=0, le=1000)
    audience_estimate: int | None = Field(None, ge=0)
    organiser: str | None = None
    organiser_kind: OrganiserKind | None = None
    notes: str | None = Field(None, max_length=2000)
    grant: Uuid = None


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ActivityOut(Schema):
    id: uuid.UUID
    kind: Kind
    kind_label: str
    held_on: dt.date
    commune: str
    commune_path: str
    theme: Theme
    theme_label: str
    audience: Audience
    audience_label: str
    organiser: str
    organiser_kind: OrganiserKind
    participants_male: int
    participants_female: int
    participants_minors: int
    participants: int
    communities_reached: int
    audience_estimate: int | None
    notes: str
    cancelled: bool
    cancel_reason: str
    recorded_by: str
    recorded_at: dt.datetime
    grant: uuid.UUID | None
    grant_reference: str | None
    followup_due_on: dt.date | None = Field(description="The follow-up call falls due a month after the day held")
    followup_status: FollowupStatus = Field(description="done; upcoming (before the due day); due (from the due "
                                            "day for a week); overdue (after); none (cancelled)")
    followup_on: dt.date | None
    followup_outcome: FollowupOutcome | None
    followup_reached: int | None
    followup_note: str
    perception: list["PerceptionOut"]


class PerceptionOut(Schema):
    question: Question
    label: str
    before: int | None = Field(description="Participants answering yes before the activity (null: not asked)")
    after: int | None = Field(description="Participants answering yes after the activity (null: not asked)")


class FollowupIn(Schema):
    followup_on: RequiredDate = Field(description="The day of the call: not before the activity, not in the future")
    followup_outcome: required_choice(Activity.FollowupOutcome)
    followup_reached: Integer = Field(None, description="Participants the call reached (required when reached; "
                                      "at most the participants)")
    followup_note: Text = None


class PerceptionIn(Schema):
    """Participants answering yes before and after, per question; each at most the participants.
    Fields not sent keep their value; null clears one."""

    knows_risks_before: Integer = None
    knows_risks_after: Integer = None
    knows_legal_way_before: Integer = None
    knows_legal_way_after: Integer = None
    knows_free_movement_before: Integer = None
    knows_free_movement_after: Integer = None


ActivityOut.model_rebuild()


class ActivityPage(Schema):
    count: int
    results: list[ActivityOut]
    next: str | None


class SummaryOut(Schema):
    activities: int
    participants_male: int
    participants_female: int
    people_sensitized: int
    agents_trained: int
    communes: int
    media_audience: int


def activity_out(a: Activity) -> dict:
    return {
        "id": a.id, "kind": a.kind, "kind_label": str(a.get_kind_display()), "held_on": a.held_on,
        "commune": a.commune.name, "commune_path": a.commune.path, "theme": a.theme,
        "theme_label": str(a.get_theme_display()), "audience": a.audience,
        "audience_label": str(a.get_audience_display()), "organiser": a.organiser.code,
        "organiser_kind": a.organiser_kind, "participants_male": a.participants_male,
        "participants_female": a.participants_female, "participants_minors": a.participants_minors,
        "participants": a.participants, "communities_reached": a.communities_reached,
        "audience_estimate": a.audience_estimate, "notes": a.notes, "cancelled": a.cancelled,
        "cancel_reason": a.cancel_reason, "recorded_by": a.recorded_by.username, "recorded_at": a.recorded_at,
        "grant": a.grant_id, "grant_reference": a.grant.reference if a.grant_id else None,
        "followup_due_on": a.followup_due_on, "followup_status": followup.followup_status(a),
        "followup_on": a.followup_on, "followup_outcome": a.followup_outcome or None,
        "followup_reached": a.followup_reached, "followup_note": a.followup_note,
        "perception": followup.perception_rows(a),
    }


class ActivityQuery(Schema):
    kind: Kind | None = None
    theme: Theme | None = None
    audience: Audience | None = None
    place: str = Field("", description="A place's name or path (/ML/SIK/): activities held inside it")
    from_: dt.date | None = Field(None, alias="from", description="First day held (inclusive)")
    to: dt.date | None = Field(None, description="Last day held (inclusive)")
    cancelled: bool = Field(False, description="Include cancelled activities")
    followup: Literal["done", "upcoming", "due", "overdue"] | None = Field(
        None, description="Only the activities whose follow-up call is in this state")


def _filter(q: ActivityQuery, *, cancelled: bool | None = None) -> selectors.ActivityFilter:
    return selectors.ActivityFilter(kind=q.kind or "", theme=q.theme or "", audience=q.audience or "",
                                    place=q.place, start=q.from_, end=q.to, followup=q.followup or "",
                                    include_cancelled=q.cancelled if cancelled is None else cancelled)


@router.get("/activities", response={200: ActivityPage, 400: ErrorOut})
def list_activities(request, q: Query[ActivityQuery]):
    """Activities held in the caller's area, newest first."""
    qs = selectors.activities_list(request.user, _filter(q))
    return paginate(request, qs.select_related("recorded_by"), activity_out)


@router.get("/activities/summary", response={200: SummaryOut, 400: ErrorOut})
def summary(request, q: Query[ActivityQuery]):
    """People met by sex, people sensitized (community and CSOs), agents trained, communes reached
    and media audience over the filtered activities (cancelled ones never count)."""
    return selectors.activities_summary(selectors.activities_list(request.user, _filter(q, cancelled=False)))


@router.post("/activities", response={201: ActivityOut, 200: ActivityOut, 400: ErrorOut, 403: ErrorOut})
def create_activity(request, payload: ActivityIn):
    """Record an activity held. Retry-safe: the same `Idempotency-Key` header answers 200 with the
    activity recorded the first time."""
    data = payload.dict()
    activity = services.activity_record(
        by=request.user, on=data.pop("held_on"), idempotency_key=request.headers.get("Idempotency-Key", ""), **data)
    replayed = activity.replayed
    return Status(200 if replayed else 201, activity_out(activity_for_read(request.user, activity.pk)))


@router.get("/activities/{activity_id}", response={200: ActivityOut, 404: ErrorOut})
def get_activity(request, activity_id: str):
    return activity_out(activity_for_read(request.user, activity_id))


@router.patch("/activities/{activity_id}", response={200: ActivityOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def correct_activity(request, activity_id: str, payload: ActivityPatch):
    """Correct an activity: the fields sent replace the recorded ones; the results count the
    corrected figures on the (corrected) day held."""
    changes = payload.dict(exclude_unset=True)
    if "held_on" in changes:
        changes["on"] = changes.pop("held_on")
    activity = services.activity_correct(by=request.user, activity_id=activity_id, **changes)
    return activity_out(activity_for_read(request.user, activity.pk))


@router.post("/activities/{activity_id}/cancel", response={200: ActivityOut, 400: ErrorOut, 403: ErrorOut,
                                                          404: ErrorOut})
def cancel_activity(request, activity_id: str, payload: CancelIn):
    """The activity did not happen (or was recorded twice): it stops counting."""
    activity = services.activity_cancel(by=request.user, activity_id=activity_id, reason=payload.reason)
    return activity_out(activity_for_read(request.user, activity.pk))


@router.post("/activities/{activity_id}/followup", response={200: ActivityOut, 400: ErrorOut, 403: ErrorOut,
                                                            404: ErrorOut})
def record_followup(request, activity_id: str, payload: FollowupIn):
    """Record (or correct) the follow-up call made a month after the activity."""
    followup.followup_record(by=request.user, activity_id=activity_id, **payload.dict())
    return activity_out(activity_for_read(request.user, activity_id))


@router.post("/activities/{activity_id}/perception", response={200: ActivityOut, 400: ErrorOut, 403: ErrorOut,
                                                              404: ErrorOut})
def record_perception(request, activity_id: str, payload: PerceptionIn):
    """Record the pre/post perception counts: participants answering yes before and after, per question."""
    followup.perception_record(by=request.user, activity_id=activity_id, **payload.dict(exclude_unset=True))
    return activity_out(activity_for_read(request.user, activity_id))


# -- named participants ------------------------------------------------------------------------

class ParticipantIn(Schema):
    """A participant who consents to be named: `person` (one of the people the caller already sees,
    e.g. offered as a possible duplicate) or the identity of a new person of the registry."""

    consent: bool = Field(description="The participant agrees to be named and found in the registry: without "
                          "true, nothing is written (the field named)")
    consent_on: Date = Field(None, description="The day consent was given (default today; not before the activity)")
    person: Uuid = Field(None, description="An existing person the caller sees, instead of registering a new one")
    given_name: Text = None
    family_name: Text = None
    sex: choice(Sex, "Required for a new person: the counts are by sex") = None
    birth_year: Integer = None
    birth_date: Date = None
    phone: Text = None


class ParticipantCandidateOut(Schema):
    id: uuid.UUID
    score: float
    reasons: list[str]
    given_name: str
    family_name: str
    birth: str


class ParticipantOut(Schema):
    id: int
    person: uuid.UUID
    given_name: str
    family_name: str
    sex: str
    birth_year: int | None
    consent_on: dt.date
    added_at: dt.datetime


class NamingOut(ParticipantOut):
    registered: bool = Field(description="A new person of the registry (false: an existing one named)")
    possible_duplicates: list[ParticipantCandidateOut] = Field(
        description="People the caller sees who may be the same person (queued for review)")


class ParticipantPage(Schema):
    named: int = Field(description="All the activity's named participants (some may be outside the caller's view)")
    results: list[ParticipantOut] = Field(description="Those whose person the caller may see")


def participant_out(p) -> dict:
    person = p.person
    return {"id": p.pk, "person": person.pk, "given_name": person.given_name, "family_name": person.family_name,
            "sex": person.sex, "birth_year": person.birth_year or (person.birth_date.year if person.birth_date else None),
            "consent_on": p.consent_on, "added_at": p.added_at}


def _candidates_out(candidates) -> list[dict]:
    return [{"id": c.person_id, "score": c.score, "reasons": c.reasons, "given_name": c.given_name,
             "family_name": c.family_name, "birth": c.birth} for c in candidates]


@router.get("/activities/{activity_id}/participants", response={200: ParticipantPage, 404: ErrorOut})
def list_participants(request, activity_id: str):
    """The named participants: how many, and those whose person the caller may see."""
    activity, visible = participants.participants_for_read(request.user, activity_id)
    return {"named": activity.named_participants.count(), "results": [participant_out(p) for p in visible]}


@router.get("/activities/{activity_id}/participants/candidates",
            response={200: list[ParticipantCandidateOut], 403: ErrorOut, 404: ErrorOut})
def participant_candidates(request, activity_id: str, given_name: str = "", family_name: str = "",
                           sex: choice(Sex) = "", birth_year: Integer = "", birth_date: Date = "", phone: str = ""):
    """Who among the people the caller sees may already be this participant (nothing is written)."""
    data = {"given_name": given_name, "family_name": family_name, "sex": sex, "birth_year": birth_year,
            "birth_date": birth_date, "phone": phone}
    return _candidates_out(participants.participant_candidates(by=request.user, activity_id=activity_id, data=data,
                                                               language=get_language() or "fr"))


@router.post("/activities/{activity_id}/participants",
             response={201: NamingOut, 200: NamingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def add_participant(request, activity_id: str, payload: ParticipantIn):
    """Name a participant who consents: registered in the registry (possible duplicates answered and
    queued for review) or an existing person; never more named than counted, sex by sex.
    Retry-safe: the same `Idempotency-Key` answers 200 with the first."""
    data = payload.dict()
    consent = data.pop("consent") is True
    naming = participants.participant_add(
        by=request.user, activity_id=activity_id, consent=consent, consent_on=data.pop("consent_on"),
        person_id=data.pop("person"), data=data, idempotency_key=request.headers.get("Idempotency-Key", ""),
        language=get_language() or "fr")
    body = {**participant_out(naming.participant), "registered": naming.registered,
            "possible_duplicates": _candidates_out(naming.candidates)}
    return Status(200 if naming.replayed else 201, body)


# -- grants to civil-society organisations ---------------------------------------------------------

CallStatus = Literal[tuple(Call.Status.values)]  # type: ignore[valid-type]
ReportKind = Literal[tuple(GrantReport.Kind.values)]  # type: ignore[valid-type]


class GrantCallIn(Schema):
    reference: RequiredText = Field(description="Unique; the same reference again answers with the first call")
    title: RequiredText
    themes: list[Theme] = Field([], description="Themes the proposals address")
    place: Text = Field(None, description="The area covered: a region, cercle or commune (name or code); "
                        "none: the whole country")
    opens_on: RequiredDate
    closes_on: RequiredDate
    budget_xof: Integer = None
    status: choice([Call.Status.PUBLISHED, Call.Status.DRAFT], "Default: published") = None


class GrantCallOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    themes: list[Theme]
    place: str | None
    place_path: str | None
    opens_on: dt.date
    closes_on: dt.date
    budget_xof: int | None
    status: CallStatus
    status_label: str
    closed_on: dt.date | None
    grants: int


class GrantCallPage(Schema):
    count: int
    results: list[GrantCallOut]
    next: str | None


class GrantIn(Schema):
    call: RequiredText = Field(description="The call for proposals' reference (or id)")
    grantee: RequiredText = Field(description="The civil-society organisation's agency code")
    reference: RequiredText = Field(description="Unique; the same call, grantee and reference again answer with "
                                    "the first grant")
    title: Text = None
    amount_xof: RequiredInteger
    starts_on: RequiredDate
    ends_on: RequiredDate
    communes: list[str] = Field([], description="Communes (names or codes) the activities may be held in; "
                                "none: anywhere in the call's area")
    target_people: Integer = None
    target_activities: Integer = None


class GrantOut(Schema):
    id: uuid.UUID
    reference: str
    title: str
    call: str
    call_id: uuid.UUID
    grantee: str
    grantee_name: str
    amount_xof: int
    currency: Literal["XOF"]
    starts_on: dt.date
    ends_on: dt.date
    active: bool
    communes: list[str]
    target_people: int | None
    target_activities: int | None
    overdue_reports: int


class GrantPage(Schema):
    count: int
    results: list[GrantOut]
    next: str | None


class GrantReportOut(Schema):
    id: int
    kind: ReportKind
    kind_label: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    received_on: dt.date | None
    received_by: str | None
    note: str
    overdue: bool


class GrantProgressOut(Schema):
    activities: int
    participants_male: int
    participants_female: int
    participants_minors: int
    people_reached: int = Field(description="People met in person (men and women); media audience not added")
    people_sensitized: int
    agents_trained: int
    communes: int
    media_audience: int
    target_people: int | None
    target_activities: int | None
    people_percent: int | None
    activities_percent: int | None


class GrantDetailOut(GrantOut):
    reports: list[GrantReportOut]
    progress: GrantProgressOut


class CallCloseIn(Schema):
    on: Date = Field(None, description="The day it closes (default: today; not before it opened, not in the future)")


class GrantPatch(Schema):
    """The fields sent replace the grant's; call, grantee and reference do not change."""

    title: Text = None
    amount_xof: Integer = Field(None, description="Within what the call's budget leaves")
    starts_on: Date = None
    ends_on: Date = Field(None, description="The report calendar follows; reports received stay")
    communes: list[str] | None = Field(None, description="Communes (names or codes); must keep those of the "
                                       "activities already held under it")
    target_people: Integer = None
    target_activities: Integer = None


class GrantReportReceivedIn(Schema):
    on: Date = Field(None, description="The day it was received (default: today)")
    note: Text = None


class GrantQuery(Schema):
    call: str = Field("", description="Only the grants of this call (its reference)")
    overdue: bool = Field(False, description="Only the grants with a report overdue")


def call_out(c: Call) -> dict:
    return {
        "id": c.id, "reference": c.reference, "title": c.title, "themes": c.themes,
        "place": c.place.name if c.place_id else None, "place_path": c.place.path if c.place_id else None,
        "opens_on": c.opens_on, "closes_on": c.closes_on, "budget_xof": c.budget_xof, "status": c.status,
        "status_label": str(c.get_status_display()), "closed_on": c.closed_on,
        "grants": c.grant_count if hasattr(c, "grant_count") else c.grants.count(),
    }


def grant_out(g: Grant, today: dt.date) -> dict:
    overdue = getattr(g, "overdue_reports", None)
    if overdue is None:
        overdue = sum(1 for r in g.reports.all() if r.is_overdue(today))
    return {
        "id": g.id, "reference": g.reference, "title": g.title, "call": g.call.reference, "call_id": g.call_id,
        "grantee": g.grantee.code, "grantee_name": g.grantee.name, "amount_xof": g.amount_xof,
        "currency": Grant.CURRENCY, "starts_on": g.starts_on, "ends_on": g.ends_on, "active": g.active_on(today),
        "communes": [c.name for c in g.communes.all()], "target_people": g.target_people,
        "target_activities": g.target_activities, "overdue_reports": overdue,
    }


def report_out(r: GrantReport, today: dt.date) -> dict:
    return {
        "id": r.pk, "kind": r.kind, "kind_label": str(r.get_kind_display()), "period_start": r.period_start,
        "period_end": r.period_end, "due_on": r.due_on, "received_on": r.received_on,
        "received_by": r.received_by.username if r.received_by_id else None, "note": r.note,
        "overdue": r.is_overdue(today),
    }


def grant_detail_out(g: Grant) -> dict:
    today = timezone.localdate()
    reports = list(g.reports.select_related("received_by").order_by("due_on", "pk"))
    g.overdue_reports = sum(1 for r in reports if r.is_overdue(today))
    return {**grant_out(g, today), "reports": [report_out(r, today) for r in reports],
            "progress": grants.grant_progress(g)}


@router.get("/calls", response={200: GrantCallPage, 400: ErrorOut})
def list_calls(request):
    """Calls for proposals to civil-society organisations, newest first (drafts only to the grant managers)."""
    return paginate(request, grants.calls_list(request.user), call_out)


@router.post("/calls", response={201: GrantCallOut, 200: GrantCallOut, 400: ErrorOut, 403: ErrorOut})
def create_call(request, payload: GrantCallIn):
    """Publish a call for proposals (M&E officers, the administrator). Retry-safe: the same reference,
    title and dates answer 200 with the call published the first time."""
    call = grants.call_publish(by=request.user, **payload.dict())
    return Status(200 if call.replayed else 201, call_out(grants.calls_list(request.user).get(pk=call.pk)))


@router.post("/calls/{call_id}/close", response={200: GrantCallOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def close_call(request, call_id: str, payload: CallCloseIn):
    """Close a call for proposals (M&E officers, the administrator): no grant is awarded under it any
    more; those awarded run on. Retry-safe: a closed call keeps its first closing day."""
    call = grants.call_close(by=request.user, call_id=call_id, on=payload.on)
    return call_out(grants.calls_list(request.user).get(pk=call.pk))


@router.get("/grants", response={200: GrantPage, 400: ErrorOut})
def list_grants(request, q: Query[GrantQuery]):
    """The grants the caller sees (the grantee's own staff: their organisation's), with their reports overdue."""
    qs = grants.grants_list(request.user).prefetch_related("communes")
    if q.call:
        qs = qs.filter(call__reference__iexact=q.call)
    if q.overdue:
        qs = qs.filter(overdue_reports__gt=0)
    today = timezone.localdate()
    return paginate(request, qs, lambda g: grant_out(g, today))


@router.post("/grants", response={201: GrantOut, 200: GrantOut, 400: ErrorOut, 403: ErrorOut})
def create_grant(request, payload: GrantIn):
    """Award a grant under a call to a civil-society organisation and lay out its reports (quarterly,
    due 15 days after each quarter's end; final, 30 days after the grant's end). Retry-safe: the same
    call, grantee and reference answer 200 with the first grant."""
    grant = grants.grant_award(by=request.user, **payload.dict())
    return Status(200 if grant.replayed else 201, grant_out(grant_for_read(request.user, grant.pk),
                                                           timezone.localdate()))


@router.get("/grants/{grant_id}", response={200: GrantDetailOut, 404: ErrorOut})
def get_grant(request, grant_id: str):
    """A grant with its report calendar and what the activities under it reached against its targets."""
    return grant_detail_out(grant_for_read(request.user, grant_id))


@router.patch("/grants/{grant_id}", response={200: GrantDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def update_grant(request, grant_id: str, payload: GrantPatch):
    """Change a grant's project, amount, period, communes or targets (M&E officers, the administrator)."""
    grants.grant_update(by=request.user, grant_id=grant_id, **payload.dict(exclude_unset=True))
    return grant_detail_out(grant_for_read(request.user, grant_id))


@router.post("/grants/{grant_id}/reports/{report_id}/received",
             response={200: GrantDetailOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def receive_report(request, grant_id: str, report_id: int, payload: GrantReportReceivedIn):
    """The grantee's report arrived (M&E officers, the administrator). Retry-safe: a report already
    received keeps its first date."""
    grants.report_receive(by=request.user, grant_id=grant_id, report_id=report_id, on=payload.on,
                          note=payload.note or "")
    return grant_detail_out(grant_for_read(request.user, grant_id))

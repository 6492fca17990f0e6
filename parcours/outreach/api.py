"""Sensitization endpoints (/api/v1/sensitization). Thin: parse, call the service or selector, shape."""

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from parcours.core.api import ErrorOut, paginate

from . import selectors, services
from .models import Activity
from .policies import activity_for_read

router = Router(tags=["sensitization"])

Kind = Literal[tuple(Activity.Kind.values)]  # type: ignore[valid-type]
Theme = Literal[tuple(Activity.Theme.values)]  # type: ignore[valid-type]
Audience = Literal[tuple(Activity.Audience.values)]  # type: ignore[valid-type]
OrganiserKind = Literal[tuple(Activity.OrganiserKind.values)]  # type: ignore[valid-type]


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
    }


class ActivityQuery(Schema):
    kind: Kind | None = None
    theme: Theme | None = None
    audience: Audience | None = None
    place: str = Field("", description="A place's name or path (/ML/SIK/): activities held inside it")
    from_: dt.date | None = Field(None, alias="from", description="First day held (inclusive)")
    to: dt.date | None = Field(None, description="Last day held (inclusive)")
    cancelled: bool = Field(False, description="Include cancelled activities")


def _filter(q: ActivityQuery, *, cancelled: bool | None = None) -> selectors.ActivityFilter:
    return selectors.ActivityFilter(kind=q.kind or "", theme=q.theme or "", audience=q.audience or "",
                                    place=q.place, start=q.from_, end=q.to,
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

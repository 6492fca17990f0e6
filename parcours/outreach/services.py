"""Writes of sensitization. Each service checks the user's right through the policy, validates,
writes the activity and records its fact, in one transaction.

The results count the fact `outreach.activity_held` on the day the activity was held, in its
commune. A correction records a new fact that voids the previous one; a cancellation records
`outreach.activity_cancelled`, which voids it too: nothing is edited in place."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parcours.accounts.models import Place
from parcours.core.errors import Forbidden, ValidationFailed, form_errors
from parcours.core.idempotency import remember, remember_many, replay, replay_many, scope_for
from parcours.facts.models import Fact
from parcours.facts.services import fact_build, fact_record, facts_record_many

from .events import OutreachEvent
from .followup import followup_due
from .grants import grant_check_for_activity
from .models import Activity, Grant
from .participants import named_by_sex
from .policies import activity_for_write, can_record_activity, in_scope
from .validation import ActivityInput, perception_fields

FIELDS = ("kind", "held_on", "commune", "theme", "audience", "participants_male", "participants_female",
          "participants_minors", "communities_reached", "audience_estimate", "organiser", "organiser_kind", "notes",
          "grant")


def _as_form_value(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "code"):  # an Agency, or a Place (found again by its code)
        return value.code
    if isinstance(value, Grant):
        return str(value.pk)
    return str(value)


def _clean(by, values: dict) -> dict:
    commune = values.get("commune")
    form = ActivityInput(data={k: _as_form_value(values.get(k)) for k in FIELDS},
                         commune=commune if isinstance(commune, Place) else None)
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    data = form.cleaned_data
    if not in_scope(by, data["commune"]):
        raise ValidationFailed({"commune": [_("%(commune)s is outside the area you work in.")
                                            % {"commune": data["commune"].name}]})
    grant = data["grant"]
    if grant is not None:
        errors = grant_check_for_activity(by, grant, held_on=data["held_on"], commune=data["commune"])
        if errors:
            raise ValidationFailed(errors)
        if data["organiser"] is None:
            data["organiser"] = grant.grantee
            data["organiser_kind"] = data["organiser_kind"] or Activity.OrganiserKind.CSO
        elif data["organiser"] != grant.grantee:
            raise ValidationFailed({"organiser": [_("An activity under grant %(grant)s is organised by its grantee, "
                                                    "%(agency)s.") % {"grant": grant.reference,
                                                                      "agency": grant.grantee.name}]})
    if data["organiser"] is None:
        if by.agency_id is None:
            raise ValidationFailed({"organiser": [_("Name the organising agency.")]})
        data["organiser"] = by.agency
    data["organiser_kind"] = data["organiser_kind"] or Activity.OrganiserKind.FOCAL_POINT
    data["participants_minors"] = data["participants_minors"] or 0
    if data["communities_reached"] is None:
        data["communities_reached"] = 1
    data["notes"] = data["notes"].strip()
    return data


def _apply(activity: Activity, data: dict) -> None:
    for field in FIELDS:
        setattr(activity, field, data[field])
    activity.followup_due_on = followup_due(activity.held_on)


def _held_fact(by, activity: Activity, voids: Fact | None = None) -> Fact:
    return fact_record(**_held(by, activity), voids=voids)


def _held(by, activity: Activity) -> dict:
    return {
        "kind": OutreachEvent.ACTIVITY_HELD, "on": activity.held_on, "place": activity.commune, "actor": by,
        "agency": activity.organiser, "subject": activity, "quantity": activity.participants,
        "data": {"audience": activity.audience, "participants_male": activity.participants_male,
                 "participants_female": activity.participants_female,
                 "participants_minors": activity.participants_minors, "participants": activity.participants,
                 "kind": activity.kind, "theme": activity.theme, "commune": activity.commune.name,
                 "communities_reached": activity.communities_reached,
                 "audience_estimate": activity.audience_estimate,
                 "grant": activity.grant.reference if activity.grant_id else None},
    }


def live_fact(activity: Activity) -> Fact | None:
    return (Fact.objects.filter(kind=OutreachEvent.ACTIVITY_HELD, subject_type=activity._meta.label_lower,
                                subject_id=str(activity.pk), voided_by__isnull=True).first())


def _previous(by, key: str) -> Activity | None:
    found = replay(scope_for(_RECORD, by), key, Activity)
    if found is not None:
        found.replayed = True
    return found


_RECORD = "outreach.activity"


def activity_record(*, by, on, commune, kind, theme, audience, participants_male, participants_female,
                    participants_minors=0, communities_reached=1, audience_estimate=None, organiser=None,
                    organiser_kind="", notes="", grant=None, idempotency_key: str = "") -> Activity:
    """Record an activity held `on` that day in `commune` (a name, code or P-code, or a Place).

    Retry-safe: the same `idempotency_key` from the same user answers with the activity recorded
    the first time, `replayed = True`."""
    if not can_record_activity(by):
        raise Forbidden()
    key = idempotency_key
    previous = _previous(by, key)
    if previous is not None:
        return previous
    data = _clean(by, {
        "kind": kind, "held_on": on, "commune": commune, "theme": theme, "audience": audience,
        "participants_male": participants_male, "participants_female": participants_female,
        "participants_minors": participants_minors, "communities_reached": communities_reached,
        "audience_estimate": audience_estimate, "organiser": organiser, "organiser_kind": organiser_kind,
        "notes": notes, "grant": grant,
    })
    try:
        with transaction.atomic():
            activity = Activity(recorded_by=by, recorded_agency=by.agency)
            _apply(activity, data)
            activity.save()
            remember(scope_for(_RECORD, by), key, activity)
            _held_fact(by, activity)
    except IntegrityError:
        # A concurrent retry won the race: answer with its record.
        previous = _previous(by, key)
        if previous is None:
            raise
        return previous
    activity.replayed = False
    return activity


def activities_record_many(*, by, rows: list[dict]) -> list[Activity]:
    """Record many activities at once (years of them for the demo, a partner's spreadsheet): each
    row takes `activity_record`'s arguments (`commune` may be a Place) and, optionally, `followup`
    and `perception` as `followup_record` and `perception_record` take them; every row is checked by
    the same forms and rules, then all are written in one transaction with their facts, or none.
    A row whose `idempotency_key` was seen answers with the first record (`replayed`). Bulk
    inserts keep no per-row change history: each activity's fact says who recorded it and when."""
    from .followup import followup_values, perception_values

    if not can_record_activity(by):
        raise Forbidden()
    scope = scope_for(_RECORD, by)
    earlier = replay_many(scope, [row.get("idempotency_key") for row in rows], Activity)
    out, new = [], []
    for number, row in enumerate(rows, start=1):
        key = row.get("idempotency_key") or ""
        if key in earlier:
            earlier[key].replayed = True
            out.append(earlier[key])
            continue
        values = {field: row.get(field) for field in FIELDS} | {"held_on": row["on"]}
        try:
            data = _clean(by, {**values, "participants_minors": values["participants_minors"] or 0,
                               "communities_reached": 1 if values["communities_reached"] is None
                               else values["communities_reached"], "notes": values["notes"] or "",
                               "organiser_kind": values["organiser_kind"] or ""})
            activity = Activity(recorded_by=by, recorded_agency=by.agency)
            _apply(activity, data)
            if row.get("followup"):
                for field, value in followup_values(activity, row["followup"]).items():
                    setattr(activity, field, value)
                activity.followup_by = by
            if row.get("perception"):
                for field, value in perception_values(activity, row["perception"]).items():
                    setattr(activity, field, value)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.fields, _("Row %(n)d: %(message)s") % {"n": number, "message": exc.message},
                                   labels=exc.labels) from None
        activity.replayed = False
        new.append((key, activity))
        out.append(activity)
    with transaction.atomic():
        Activity.objects.bulk_create([a for _key, a in new], batch_size=500)
        remember_many(scope, new)
        facts_record_many([fact_build(**_held(by, a)) for _key, a in new])
    return out


@transaction.atomic
def activity_correct(*, by, activity_id, **changes) -> Activity:
    """Correct an activity: the fields given replace the recorded ones (same names as
    `activity_record`, `on` for the date). The earlier fact is voided by a new one."""
    activity = activity_for_write(by, activity_id)
    activity = Activity.objects.select_for_update().select_related("commune", "organiser").get(pk=activity.pk)
    if activity.cancelled:
        raise ValidationFailed({"activity": [_("This activity was cancelled; record it again instead.")]})
    unknown = set(changes) - set(FIELDS) - {"on"}
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    if "on" in changes:
        changes["held_on"] = changes.pop("on")
    current = {field: getattr(activity, field) for field in FIELDS}
    data = _clean(by, {**current, **changes})
    if all(data[f] == current[f] for f in FIELDS):
        return activity  # a retry of the same correction: nothing to record again
    most = max([getattr(activity, name) or 0 for name in perception_fields()] + [activity.followup_reached or 0])
    if data["participants_male"] + data["participants_female"] < most:
        raise ValidationFailed({"participants_male": [
            _("The follow-up call or the perception questions count %(n)d participants: give at least as many.")
            % {"n": most}]})
    named = named_by_sex(activity)
    for name in ("participants_male", "participants_female"):
        if data[name] < named[name]:
            raise ValidationFailed({name: [_("%(n)d of them are named participants: give at least as many.")
                                           % {"n": named[name]}]})
    _apply(activity, data)
    activity.save()
    _held_fact(by, activity, voids=live_fact(activity))
    return activity


@transaction.atomic
def activity_cancel(*, by, activity_id, reason: str, on=None) -> Activity:
    """The activity did not happen (or was recorded twice): it stops counting."""
    activity = activity_for_write(by, activity_id)
    activity = Activity.objects.select_for_update().select_related("commune").get(pk=activity.pk)
    if activity.cancelled:
        return activity  # a retry
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give the reason.")]})
    if len(reason) > 300:
        raise ValidationFailed({"reason": [_("Keep the reason under 300 characters.")]})
    activity.cancelled, activity.cancel_reason = True, reason
    activity.save(update_fields=["cancelled", "cancel_reason", "updated_at"])
    fact_record(kind=OutreachEvent.ACTIVITY_CANCELLED, on=on or activity.held_on, place=activity.commune, actor=by,
                agency=activity.organiser, subject=activity, quantity=0, voids=live_fact(activity),
                data={"reason": reason, "commune": activity.commune.name})
    return activity

"""Writes of complaints and feedback: filing (staff, public), acknowledgement, resolution, appeal,
closure, reclassification. Each is atomic, checks the user through the policy, keeps what the
complainant said encrypted, and records its fact on the event's own date."""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from parcours.audit.services import log_access
from parcours.core.crypto import decrypt_json, encrypt_json
from parcours.core.errors import Forbidden, ValidationFailed, form_errors
from parcours.core.idempotency import remember, replay, scope_for
from parcours.facts.models import Fact
from parcours.facts.services import fact_record
from parcours.people.policies import person_for_read

from .events import FeedbackEvent
from .models import Complaint
from .policies import can_file, complaint_for_handling
from .validation import ComplaintInput, ResolveInput, deadline_days

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def _reference() -> str:
    return "PL-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def _value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "on" if v else ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _clean(values: dict) -> dict:
    form = ComplaintInput(data={k: _value(v) for k, v in values.items()})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    return form.cleaned_data


def complaint_content(*, by, complaint: Complaint) -> dict:
    """What the complainant said and the answers given, for a reader the policy let see the
    complaint. Reading a sensitive one is logged, like any protection data."""
    if complaint.sensitive:
        log_access(user=by, instance=complaint, what="complaint", fields=["description", "contact"])
    return decrypt_json(complaint.content_encrypted)


def _content_update(complaint: Complaint, **changes) -> None:
    content = decrypt_json(complaint.content_encrypted)
    content.update(changes)
    complaint.content_encrypted = encrypt_json(content)


def _fact(kind, complaint: Complaint, by, on, voids: Fact | None = None, **data) -> Fact:
    # The person is named on the fact (their timeline) only with their consent, never for a
    # sensitive complaint.
    person = complaint.person if complaint.consent_to_identify and not complaint.sensitive else None
    return fact_record(kind=kind, on=on, person=person, place=complaint.place, actor=by, subject=complaint, voids=voids,
                       data={"channel": complaint.channel, "category": complaint.category,
                             "gravity": complaint.gravity, "sensitive": complaint.sensitive, **data})


def _live(complaint: Complaint, kind) -> Fact | None:
    return Fact.objects.filter(kind=kind, subject_type=complaint._meta.label_lower, subject_id=str(complaint.pk),
                               voided_by__isnull=True).first()


def _scope(by) -> str:
    """Staff keys are theirs; the public page's tokens share one space."""
    return scope_for("feedback.complaint", by)


def _previous(by, key: str) -> Complaint | None:
    found = replay(_scope(by), key, Complaint)
    if found is not None:
        found.replayed = True
    return found


def _create(*, by, data: dict, person, key: str) -> Complaint:
    previous = _previous(by, key)
    if previous is not None:
        return previous
    sensitive = data["category"] in Complaint.SENSITIVE
    content = {"description": data["description"], "contact_name": data.get("contact_name", ""),
               "contact_phone": data.get("contact_phone", ""), "resolution": "", "appeal_reason": ""}
    try:
        with transaction.atomic():
            complaint = Complaint(
                channel=data["channel"], category=data["category"], gravity=data["gravity"], sensitive=sensitive,
                received_on=data["received_on"],
                due_on=data["received_on"] + dt.timedelta(days=deadline_days(data["gravity"])),
                place=data.get("place"), person=person, anonymous=bool(data.get("anonymous")),
                consent_to_identify=bool(data.get("consent_to_identify")) and not data.get("anonymous"),
                content_encrypted=encrypt_json(content), received_by=by,
                received_agency=getattr(by, "agency", None),
            )
            for _attempt in range(5):
                complaint.reference = _reference()
                if not Complaint.objects.filter(reference=complaint.reference).exists():
                    break
            complaint.save()
            remember(_scope(by), key, complaint)
            _fact(FeedbackEvent.RECEIVED, complaint, by, complaint.received_on)
    except IntegrityError:
        previous = _previous(by, key)
        if previous is None:
            raise
        return previous
    complaint.replayed = False
    return complaint


def complaint_file(*, by, channel, category, gravity, description, on=None, person=None, anonymous=False,
                   consent_to_identify=False, contact_name="", contact_phone="", place=None,
                   idempotency_key: str = "") -> Complaint:
    """File a complaint received `on` that day (default today) through `channel`.

    `person` (optional) links a registered person the filer may see; an anonymous complaint
    names nobody. Retry-safe with `idempotency_key`."""
    if not can_file(by):
        raise Forbidden()
    data = _clean({"channel": channel, "category": category, "gravity": gravity, "description": description,
                   "received_on": on, "anonymous": anonymous, "consent_to_identify": consent_to_identify,
                   "contact_name": contact_name, "contact_phone": contact_phone,
                   "place": getattr(place, "code", place)})
    if person is not None:
        if data["anonymous"]:
            raise ValidationFailed({"person": [_("An anonymous complaint names nobody: leave the person empty.")]})
        person = person_for_read(by, person.pk)
    return _create(by=by, data=data, person=person, key=(idempotency_key or "")[:80])


def complaint_submit_public(*, category, description, place="", contact_phone="", anonymous=True,
                            token: str = "") -> Complaint:
    """A complaint sent from the public page, without an account. The gravity starts high for a
    sensitive category and medium otherwise; a handler grades it again."""
    sensitive = category in Complaint.SENSITIVE
    data = _clean({"channel": Complaint.Channel.WEB, "category": category,
                   "gravity": Complaint.Gravity.HIGH if sensitive else Complaint.Gravity.MEDIUM,
                   "description": description, "place": place, "anonymous": anonymous and not contact_phone,
                   "consent_to_identify": bool(contact_phone), "contact_phone": contact_phone})
    return _create(by=None, data=data, person=None, key=(token or "")[:80])


def _day(on, complaint: Complaint, field: str = "on") -> dt.date:
    form = ResolveInput(data={"on": _value(on), "text": "-"})
    if not form.is_valid():
        raise ValidationFailed(form_errors(form))
    day = form.cleaned_data["on"]
    if day < complaint.received_on:
        raise ValidationFailed({field: [_("The date is before the complaint was received.")]})
    return day


def _locked(by, complaint_id) -> Complaint:
    complaint = complaint_for_handling(by, complaint_id)
    return Complaint.objects.select_for_update(of=("self",)).select_related("place", "person").get(pk=complaint.pk)


@transaction.atomic
def complaint_acknowledge(*, by, complaint_id, on=None) -> Complaint:
    """Tell the complainant it was received and is being handled."""
    complaint = _locked(by, complaint_id)
    if complaint.acknowledged_on is not None:
        return complaint  # a retry, or already answered
    day = _day(on, complaint)
    complaint.status, complaint.acknowledged_on, complaint.handled_by = Complaint.Status.ACKNOWLEDGED, day, by
    complaint.save(update_fields=["status", "acknowledged_on", "handled_by"])
    _fact(FeedbackEvent.ACKNOWLEDGED, complaint, by, day,
          days=(day - complaint.received_on).days)
    return complaint


@transaction.atomic
def complaint_resolve(*, by, complaint_id, resolution: str, on=None) -> Complaint:
    """Record the answer given and the day: the time to resolve runs from the day received."""
    complaint = _locked(by, complaint_id)
    if complaint.status == Complaint.Status.RESOLVED:
        return complaint  # a retry
    if not complaint.is_open:
        raise ValidationFailed({"status": [_("This complaint is closed.")]})
    form = ResolveInput(data={"on": _value(on), "text": resolution or ""})
    if not form.is_valid():
        errors = form_errors(form)
        if "text" in errors:
            errors["resolution"] = errors.pop("text")
        raise ValidationFailed(errors)
    day = _day(on, complaint)
    if complaint.appealed_on and day < complaint.appealed_on:
        raise ValidationFailed({"on": [_("The date is before the appeal.")]})
    fields = ["status", "resolved_on", "handled_by", "content_encrypted"]
    if complaint.acknowledged_on is None:
        complaint.acknowledged_on = day
        fields.append("acknowledged_on")
    complaint.status, complaint.resolved_on, complaint.handled_by = Complaint.Status.RESOLVED, day, by
    _content_update(complaint, resolution=form.cleaned_data["text"].strip())
    complaint.save(update_fields=fields)
    days = (day - complaint.received_on).days
    _fact(FeedbackEvent.RESOLVED, complaint, by, day, days=days, on_time=day <= complaint.due_on)
    return complaint


@transaction.atomic
def complaint_appeal(*, by, complaint_id, reason: str, on=None) -> Complaint:
    """The complainant contests the answer: it opens again, with a new deadline, and its
    resolution stops counting until it is resolved again."""
    complaint = _locked(by, complaint_id)
    if complaint.status == Complaint.Status.APPEALED:
        return complaint
    if complaint.status != Complaint.Status.RESOLVED:
        raise ValidationFailed({"status": [_("Only a resolved complaint can be appealed.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give the reason.")]})
    if len(reason) > 2000:
        raise ValidationFailed({"reason": [_("Keep the reason under 2000 characters.")]})
    day = _day(on, complaint)
    if day < complaint.resolved_on:
        raise ValidationFailed({"on": [_("The date is before the resolution.")]})
    complaint.status, complaint.appealed_on, complaint.handled_by = Complaint.Status.APPEALED, day, by
    complaint.due_on = day + dt.timedelta(days=deadline_days(complaint.gravity))
    _content_update(complaint, appeal_reason=reason)
    complaint.save(update_fields=["status", "appealed_on", "due_on", "handled_by", "content_encrypted"])
    _fact(FeedbackEvent.APPEALED, complaint, by, day, voids=_live(complaint, FeedbackEvent.RESOLVED))
    return complaint


@transaction.atomic
def complaint_close(*, by, complaint_id, on=None) -> Complaint:
    complaint = _locked(by, complaint_id)
    if complaint.status == Complaint.Status.CLOSED:
        return complaint
    if complaint.status != Complaint.Status.RESOLVED:
        raise ValidationFailed({"status": [_("Resolve the complaint before closing it.")]})
    day = _day(on, complaint)
    complaint.status, complaint.closed_on, complaint.handled_by = Complaint.Status.CLOSED, day, by
    complaint.save(update_fields=["status", "closed_on", "handled_by"])
    _fact(FeedbackEvent.CLOSED, complaint, by, day)
    return complaint


@transaction.atomic
def complaint_reclassify(*, by, complaint_id, category=None, gravity=None) -> Complaint:
    """Grade a complaint again (the public form guesses its gravity; a caller may say
    "assistance" for what is an abuse). A sensitive category takes it out of everyone's view but
    the restricted handlers'. The received fact is replaced, the deadline recomputed."""
    complaint = _locked(by, complaint_id)
    category, gravity = category or complaint.category, gravity or complaint.gravity
    errors = {}
    if category not in Complaint.Category.values:
        errors["category"] = [_("Unknown value “%(value)s”.") % {"value": category}]
    if gravity not in Complaint.Gravity.values:
        errors["gravity"] = [_("Unknown value “%(value)s”.") % {"value": gravity}]
    if errors:
        raise ValidationFailed(errors)
    if (category, gravity) == (complaint.category, complaint.gravity):
        return complaint
    if not complaint.is_open:
        raise ValidationFailed({"status": [_("This complaint is closed.")]})
    # Anyone who handles it may make it sensitive; it then leaves their view.
    sensitive = category in Complaint.SENSITIVE
    start = complaint.appealed_on or complaint.received_on
    complaint.category, complaint.gravity, complaint.sensitive = category, gravity, sensitive
    complaint.due_on = start + dt.timedelta(days=deadline_days(gravity))
    complaint.handled_by = by
    complaint.save(update_fields=["category", "gravity", "sensitive", "due_on", "handled_by"])
    _fact(FeedbackEvent.RECEIVED, complaint, by, complaint.received_on, voids=_live(complaint, FeedbackEvent.RECEIVED))
    return complaint


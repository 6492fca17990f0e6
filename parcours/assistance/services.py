"""Writes on assistance: scheme versions, payments, reversals, verification visits, attendance.

Every write is atomic, validated (field-named, translated messages), checked against the policy,
recorded on the person's timeline; auditlog keeps the change history. A payment is evaluated
against the scheme version in force on its date, and the database backs up the one-payment-per-slot
rule (see models.LedgerEntry)."""

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from parcours.core.errors import Conflict, ValidationFailed
from parcours.core.idempotency import remember, replay, scope_for
from parcours.dedup.policies import can_review
from parcours.dedup.selectors import open_duplicates
from parcours.dedup.services import pair_review
from parcours.facts.services import fact_record, fact_void_subject
from parcours.people.services import event_record

from . import engine
from .enrolments import enrolled_days, enrolment_spans
from .events import AssistanceEvent
from .facts import period_of, same_person
from .models import (
    AttendanceRecord,
    Channel,
    LedgerEntry,
    Period,
    Scheme,
    SchemeCategory,
    SchemeVersion,
    VerificationVisit,
)
from .policies import (
    entry_for_reversal,
    person_for_attendance,
    person_for_payment,
    scheme_for_edit,
)
from .validation import AttendanceInput, PaymentInput, ReversalInput, SchemeVersionInput, VisitInput, validate

DATA = Path(__file__).parent / "data"


@dataclass
class Recorded:
    entry: object
    replayed: bool = False  # True when an idempotent retry returned the first result


def version_in_force(scheme: Scheme, on: dt.date) -> SchemeVersion | None:
    return (SchemeVersion.objects.filter(scheme=scheme, valid_from__lte=on)
            .exclude(valid_to__lt=on).select_related("scheme__category").order_by("-valid_from", "-number").first())


def versions_in_force(on: dt.date) -> list[SchemeVersion]:
    """One version per scheme: the one in force on `on`."""
    rows = (SchemeVersion.objects.filter(valid_from__lte=on).exclude(valid_to__lt=on)
            .select_related("scheme__category").order_by("scheme__code", "-valid_from", "-number"))
    seen, out = set(), []
    for v in rows:
        if v.scheme_id not in seen:
            seen.add(v.scheme_id)
            out.append(v)
    return out


def _scheme(code: str, field: str = "scheme") -> Scheme:
    scheme = Scheme.objects.select_related("category").filter(code=code).first()
    if scheme is None:
        raise ValidationFailed({field: [_("Unknown scheme: “%(code)s”.") % {"code": code}]})
    return scheme


def _day(value: dt.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _scope(model, by) -> str:
    return scope_for(f"assistance.{model._meta.model_name}", by)


def _replay(model, by, idempotency_key: str):
    return replay(_scope(model, by), idempotency_key, model)


def _check_possible_duplicates(by, person, scheme: Scheme, version: SchemeVersion, *, confirmed: bool) -> None:
    """Refuse to pay a person whose possible duplicate (to review, or confirmed and not merged)
    already received this scheme, naming the other record. A duplicate reviewer who knows they are
    two people says so (`distinct_people_confirmed`): the pair is rejected and the payment goes on."""
    for pair, other in open_duplicates(person):
        paid = (LedgerEntry.objects.filter(same_person(other), kind=LedgerEntry.Kind.PAYMENT, scheme=scheme,
                                           reversed_by__isnull=True).order_by("paid_on").first())
        if paid is None:
            continue
        if confirmed and can_review(by):
            pair_review(by=by, pair_id=pair.pk, decision="reject",
                        note=_("Two people: confirmed when paying “%(scheme)s”.") % {"scheme": scheme.code})
            continue
        raise ValidationFailed(
            {"scheme": [_("%(other)s (registered on %(registered)s, born %(born)s), a possible duplicate of this "
                          "person, already received “%(scheme)s” on %(date)s. A duplicate reviewer must decide "
                          "whether they are one person before anything more is paid.") % {
                "other": other.full_name, "registered": _day(other.created_at.date()),
                "born": other.birth_date.strftime("%d/%m/%Y") if other.birth_date else (other.birth_year or "?"),
                "scheme": version.name, "date": _day(paid.paid_on)}]},
            message=_("Possible double payment: a possible duplicate of this person was already paid."))


def payment_record(*, by, person_id, data: dict, proof_file=None, idempotency_key: str = "") -> Recorded:
    """Record a payment or in-kind delivery after checking the scheme on the payment date.

    Refuses: an ineligible person, an amount other than the computed one, a tranche whose release
    condition is not met or whose previous tranche is unpaid, a slot already paid (a reversal frees
    it). A retry with the same `idempotency_key` returns the entry made the first time."""
    person = person_for_payment(by, person_id)
    previous = _replay(LedgerEntry, by, idempotency_key)
    if previous is not None:
        return Recorded(previous, replayed=True)
    cleaned = validate(PaymentInput, data)
    scheme = _scheme(cleaned["scheme"])
    paid_on = cleaned["paid_on"]
    version = version_in_force(scheme, paid_on)
    if version is None:
        latest = scheme.versions.order_by("-valid_from").first()
        raise ValidationFailed({"paid_on": [_("The scheme “%(scheme)s” is not in force on %(date)s.")
                                            % {"scheme": latest.name if latest else scheme.code,
                                               "date": _day(paid_on)}]})
    if version.channels and cleaned["channel"] not in version.channels:
        accepted = ", ".join(str(Channel(c).label) for c in version.channels if c in Channel.values)
        raise ValidationFailed({"channel": [
            _("%(scheme)s is not paid in %(channel)s; it is paid by: %(accepted)s.") % {
                "scheme": version.name, "channel": Channel(cleaned["channel"]).label, "accepted": accepted}]})
    period = ""
    if version.period == Period.MONTHLY:
        period = cleaned["period"] or period_of(paid_on)
        if period > period_of(paid_on):
            raise ValidationFailed({"period": [_("A month cannot be paid before it starts.")]})
    if not (cleaned["proof_reference"] or proof_file):
        raise ValidationFailed({"proof_reference": [_("Give a proof reference or attach a proof file.")]})
    evaluation = engine.evaluate(version, person, paid_on, period=period)
    if not evaluation.eligible:
        raise ValidationFailed(
            {"scheme": [_("%(name)s is not eligible for “%(scheme)s” on %(date)s: %(why)s") % {
                "name": person.full_name, "scheme": version.name, "date": _day(paid_on),
                "why": "; ".join(evaluation.unmet)}]},
            message=_("The person is not eligible for this scheme."))
    tranche_no = cleaned["tranche"]
    if tranche_no > len(evaluation.tranches):
        raise ValidationFailed({"tranche": [_("This scheme has %(n)d tranche(s).") % {"n": len(evaluation.tranches)}]})
    tranche = evaluation.tranches[tranche_no - 1]
    _check_possible_duplicates(by, person, scheme, version, confirmed=cleaned["distinct_people_confirmed"])
    holder = LedgerEntry.objects.filter(same_person(person), kind=LedgerEntry.Kind.PAYMENT, scheme=scheme,
                                        tranche=tranche_no, period=period, reversed_by__isnull=True).first()
    if holder is not None:
        raise ValidationFailed({"tranche": [_("Tranche %(n)d was already paid on %(date)s.") % {
            "n": tranche_no, "date": _day(holder.paid_on)}]},
            message=_("Already paid: reverse the first payment to correct it."))
    if tranche_no > 1 and evaluation.tranches[tranche_no - 2].paid_entry is None:
        raise ValidationFailed({"tranche": [_("Tranche %(n)d has not been paid yet.") % {"n": tranche_no - 1}]})
    if not tranche.condition_met:
        raise ValidationFailed({"tranche": [_("Tranche %(n)d is released only after %(condition)s.") % {
            "n": tranche_no, "condition": tranche.label or _("its condition is met")}]})
    if cleaned["amount_xof"] is not None and cleaned["amount_xof"] != tranche.amount_xof:
        raise ValidationFailed({"amount_xof": [_("The scheme gives %(amount)s XOF for this tranche.") % {
            "amount": engine.xof(tranche.amount_xof)}]})
    replaces = (LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REVERSAL, reversal_of__person=person,
                                           reversal_of__scheme=scheme, reversal_of__tranche=tranche_no,
                                           reversal_of__period=period, replaced_by__isnull=True)
                .order_by("-created_at").first())
    entry = LedgerEntry(
        person=person, scheme=scheme, version=version, tranche=tranche_no, period=period,
        amount_xof=tranche.amount_xof, paid_on=paid_on, channel=cleaned["channel"],
        id_document_type=cleaned["id_document_type"], id_document_number=cleaned["id_document_number"],
        proof_reference=cleaned["proof_reference"], note=cleaned["note"], replaces=replaces,
        recorded_by=by,
    )
    if proof_file is not None:
        entry.proof_file = proof_file
    try:
        with transaction.atomic():
            entry.save()
            remember(_scope(LedgerEntry, by), idempotency_key, entry)
            fact_record(kind=AssistanceEvent.PAID, on=entry.paid_on, person=person, actor=by, subject=entry,
                        amount_xof=entry.amount_xof, data={
                            "scheme": version.name_fr, "scheme_en": version.name_en, "code": scheme.code,
                            "tranche": tranche_no, "amount": entry.amount_xof, "entry": str(entry.pk)})
    except IntegrityError:
        # A concurrent request won the slot (or the same client key): never pay twice.
        previous = _replay(LedgerEntry, by, idempotency_key)
        if previous is not None:
            return Recorded(previous, replayed=True)
        raise Conflict(_("This tranche was just paid by another request."), code="already_paid",
                       fields={"tranche": [_("Already paid.")]}) from None
    return Recorded(entry)


def payment_reverse(*, by, entry_id, data: dict, idempotency_key: str = "") -> Recorded:
    """Undo a payment with a new, negative entry pointing at it; this frees the payment's slot."""
    original = entry_for_reversal(by, entry_id)
    previous = _replay(LedgerEntry, by, idempotency_key)
    if previous is not None:
        return Recorded(previous, replayed=True)
    cleaned = validate(ReversalInput, data)
    if original.kind != LedgerEntry.Kind.PAYMENT:
        raise ValidationFailed({"entry": [_("A reversal cannot itself be reversed.")]})
    if LedgerEntry.objects.filter(reversal_of=original).exists():
        raise ValidationFailed({"entry": [_("This payment was already reversed.")]})
    later = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT, person=original.person_id,
                                       scheme=original.scheme_id, period=original.period,
                                       tranche__gt=original.tranche, reversed_by__isnull=True)
    if later.exists():
        raise ValidationFailed({"entry": [_("Reverse the later tranches of this scheme first.")]})
    reversal = LedgerEntry(
        kind=LedgerEntry.Kind.REVERSAL, person=original.person, scheme=original.scheme, version=original.version,
        tranche=original.tranche, period=original.period, amount_xof=-original.amount_xof,
        paid_on=max(original.paid_on, timezone.localdate()), channel=original.channel,
        id_document_type=original.id_document_type, id_document_number=original.id_document_number,
        proof_reference=original.proof_reference, note=cleaned["reason"], reversal_of=original,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            reversal.save()
            remember(_scope(LedgerEntry, by), idempotency_key, reversal)
            # The payment's fact is voided: every count treats a reversed payment as not paid.
            reversed_fact = fact_record(
                kind=AssistanceEvent.REVERSED, on=reversal.paid_on, person=original.person, actor=by, subject=reversal,
                amount_xof=reversal.amount_xof, data={
                    "code": original.scheme.code, "tranche": original.tranche, "amount": original.amount_xof,
                    "reason": cleaned["reason"], "entry": str(reversal.pk)})
            fact_void_subject(subject=original, by_fact=reversed_fact)
    except IntegrityError:
        previous = _replay(LedgerEntry, by, idempotency_key)
        if previous is not None:
            return Recorded(previous, replayed=True)
        raise Conflict(_("This payment was just reversed by another request."), code="already_reversed",
                       fields={"entry": [_("Already reversed.")]}) from None
    return Recorded(reversal)


def visit_record(*, by, person_id, data: dict, idempotency_key: str = "") -> Recorded:
    """A field visit verifying the use of a paid tranche (it releases the next one when verified)."""
    person = person_for_payment(by, person_id)
    previous = _replay(VerificationVisit, by, idempotency_key)
    if previous is not None:
        return Recorded(previous, replayed=True)
    cleaned = validate(VisitInput, data)
    scheme = _scheme(cleaned["scheme"])
    paid = LedgerEntry.objects.filter(same_person(person), kind=LedgerEntry.Kind.PAYMENT, scheme=scheme,
                                      tranche=cleaned["tranche"], reversed_by__isnull=True).order_by("-paid_on").first()
    if paid is None:
        raise ValidationFailed({"tranche": [_("Tranche %(n)d of this scheme has not been paid to this person.")
                                            % {"n": cleaned["tranche"]}]})
    if cleaned["visited_on"] < paid.paid_on:
        raise ValidationFailed({"visited_on": [_("The visit is before the payment (%(date)s).")
                                               % {"date": _day(paid.paid_on)}]})
    visit = VerificationVisit(person=person, scheme=scheme, tranche=cleaned["tranche"],
                              visited_on=cleaned["visited_on"], visitor=cleaned["visitor"],
                              outcome=cleaned["outcome"], notes=cleaned["notes"], recorded_by=by)
    try:
        with transaction.atomic():
            visit.save()
            remember(_scope(VerificationVisit, by), idempotency_key, visit)
            event_record(person=person, kind=AssistanceEvent.VISIT, actor=by, data={
                "code": scheme.code, "tranche": visit.tranche, "outcome": visit.outcome})
    except IntegrityError:
        previous = _replay(VerificationVisit, by, idempotency_key)
        if previous is None:
            raise
        return Recorded(previous, replayed=True)
    return Recorded(visit)


@transaction.atomic
def attendance_record(*, by, person_id, data: dict) -> AttendanceRecord:
    """Days of training attended in a month, typed by the referring side (a correction replaces the
    month's figure; auditlog keeps the old one). Feeds the `training_days_attended` fact. Only days
    past count, and only within the person's enrolments (`enrolments.py`): a person never enrolled
    has no attendance to record, a month outside the enrolment no days."""
    person = person_for_attendance(by, person_id)
    cleaned = validate(AttendanceInput, data)
    today = timezone.localdate()
    month = cleaned["month"]
    if month > today.replace(day=1):
        raise ValidationFailed({"month": [_("The month is in the future.")]})
    elapsed = today.day if month == today.replace(day=1) else calendar.monthrange(month.year, month.month)[1]
    if cleaned["days"] > elapsed:
        raise ValidationFailed({"days": [_("Attendance counts days past: only %(n)d day(s) of %(month)s so far.")
                                         % {"n": elapsed, "month": month.strftime("%m/%Y")}]})
    spans = enrolment_spans(person)
    if spans is not None:
        _check_enrolled(person, month, cleaned["days"], spans, today)
    record, _created = AttendanceRecord.objects.update_or_create(
        person=person, month=cleaned["month"], defaults={"days": cleaned["days"], "recorded_by": by})
    event_record(person=person, kind=AssistanceEvent.TRAINING_ATTENDANCE, actor=by,
                 data={"month": cleaned["month"].strftime("%m/%Y"), "days": cleaned["days"]})
    return record


def _check_enrolled(person, month: dt.date, days: int, spans, today: dt.date) -> None:
    if not spans:
        raise ValidationFailed({"person": [
            _("%(person)s is not enrolled in any training or service: attendance is recorded from the day "
              "a partner enrols them.") % {"person": person.full_name}]})
    countable = enrolled_days(month, spans, today)
    if days > countable:
        periods = ", ".join(
            _("from %(start)s to %(end)s") % {"start": start.strftime("%d/%m/%Y"),
                                              "end": min(end or today, today).strftime("%d/%m/%Y")}
            for start, end in spans)
        raise ValidationFailed({"days": [
            _("Attendance counts days past within an enrolment: %(n)d day(s) of %(month)s (enrolled "
              "%(periods)s).") % {"n": countable, "month": month.strftime("%m/%Y"), "periods": periods}]})


@transaction.atomic
def scheme_version_create(*, by, code: str, data) -> SchemeVersion:
    """An administrator's edit: a new version in force from `valid_from`; the version in force until
    then ends the day before. Old versions are kept (payments point at the version they used)."""
    scheme = scheme_for_edit(by, code)
    cleaned = validate(SchemeVersionInput, data)
    current = scheme.versions.select_for_update().order_by("-number").first()
    if current is not None and cleaned["valid_from"] < current.valid_from:
        raise ValidationFailed({"valid_from": [_("Must be on or after %(date)s, when version %(n)d starts.")
                                               % {"date": _day(current.valid_from), "n": current.number}]})
    version = SchemeVersion.objects.create(
        scheme=scheme, number=(current.number + 1) if current else 1, created_by=by,
        **{k: cleaned[k] for k in ("name_fr", "name_en", "description_fr", "description_en", "valid_from",
                                   "period", "channels", "criteria", "amount", "tranches")},
    )
    if current is not None and (current.valid_to is None or current.valid_to >= version.valid_from):
        current.valid_to = version.valid_from - dt.timedelta(days=1)
        current.save(update_fields=["valid_to"])
    return version


@transaction.atomic
def load_demo_schemes(path: Path | None = None) -> dict:
    """The schemes of SPEC §2 from a data file. Idempotent: a scheme already there is left as it is
    (an administrator's later versions are never overwritten)."""
    spec = json.loads((path or DATA / "schemes.json").read_text(encoding="utf-8"))
    categories = {}
    for row in spec["categories"]:
        categories[row["code"]], _created = SchemeCategory.objects.get_or_create(
            code=row["code"], defaults={"name_fr": row["name_fr"], "name_en": row["name_en"]})
    created = 0
    for row in spec["schemes"]:
        scheme, made = Scheme.objects.get_or_create(code=row["code"], defaults={"category": categories[row["category"]]})
        if made or not scheme.versions.exists():
            cleaned = validate(SchemeVersionInput, {
                **{k: row.get(k, "") for k in ("name_fr", "name_en", "description_fr", "description_en",
                                               "valid_from", "period", "amount")},
                "channels": row["channels"],
                "criteria": "\n".join(f"{c['rule']} | {c['label_fr']} | {c['label_en']}" for c in row["criteria"]),
                "tranches": "\n".join(f"{t['share']} | {t['condition']} | {t['label_fr']} | {t['label_en']}"
                                      for t in row["tranches"]),
            })
            SchemeVersion.objects.create(scheme=scheme, number=1, **{
                k: cleaned[k] for k in ("name_fr", "name_en", "description_fr", "description_en", "valid_from",
                                        "period", "channels", "criteria", "amount", "tranches")})
            created += 1
    return {"schemes_created": created, "schemes": Scheme.objects.count()}

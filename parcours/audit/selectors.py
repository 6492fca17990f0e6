"""The audit trail as a person reads it: each entry names the record (the person it concerns, with
a link), each change by the field's label with values as users see them (a name, not a user id;
a choice's label, not its code), actions in the reader's language; filters by user, record and
date. What a protection read touched is named (who read which record, when), never its content."""

import datetime as dt
import json
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .policies import can_read_audit

ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("read"),
}
EMPTY = "—"
PROTECTED_READS = {"screening", "protection", "protection_notes", "best_interest"}


@dataclass
class AuditFilter:
    actor: str = ""
    action: str = ""
    model: str = ""
    object_pk: str = ""
    person: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_query(cls, query) -> "AuditFilter":
        return cls(actor=query.get("actor", "").strip(), action=query.get("action", ""),
                   model=query.get("model", "").strip(), object_pk=query.get("object", "").strip(),
                   person=query.get("person", "").strip(), date_from=_day(query.get("from", "")),
                   date_to=_day(query.get("to", "")))


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()) if text else None
    except ValueError:
        return None


def audit_entries(user, flt: AuditFilter) -> QuerySet[LogEntry]:
    if not can_read_audit(user):
        return LogEntry.objects.none()
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if flt.actor:
        qs = qs.filter(actor__username=flt.actor)
    if flt.action.isdigit():
        qs = qs.filter(action=int(flt.action))
    if flt.model:
        qs = qs.filter(content_type__model=flt.model.lower())
    if flt.object_pk:
        qs = qs.filter(object_pk=flt.object_pk)
    if flt.person:
        qs = qs.filter(object_pk__in=_records_of_person(flt.person))
    tz = timezone.get_current_timezone()
    if flt.date_from:
        qs = qs.filter(timestamp__gte=dt.datetime.combine(flt.date_from, dt.time.min, tzinfo=tz))
    if flt.date_to:
        qs = qs.filter(timestamp__lt=dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs


def _records_of_person(person_pk: str) -> list[str]:
    """The person's own entry and those of the records that belong to them (any model with a
    `person` foreign key that is audited)."""
    from auditlog.registry import auditlog

    keys = [person_pk]
    from django.apps import apps

    # Looked up by name: people records its reads here, so audit does not import people.
    if not _fits(apps.get_model("people", "Person"), person_pk):
        return keys
    for model in auditlog.get_models():
        try:
            if model._meta.get_field("person").is_relation:
                keys += [str(pk) for pk in model.objects.filter(person_id=person_pk).values_list("pk", flat=True)[:500]]
        except (FieldDoesNotExist, ValueError, TypeError):
            continue
    return keys


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class AuditRow:
    entry: LogEntry
    action: str
    kind: str
    record: str
    link: str = ""
    person: str = ""
    person_link: str = ""
    person_pk: str = ""
    changes: list[Change] = field(default_factory=list)
    note: str = ""


def audit_rows(entries) -> list[AuditRow]:
    """The page's entries made readable; the records they name are loaded once per model."""
    entries = list(entries)
    objects = _load_objects(entries)
    rows = []
    for e in entries:
        model = e.content_type.model_class() if e.content_type_id else None
        obj = objects.get((e.content_type_id, e.object_pk))
        person = _person_of(obj)
        row = AuditRow(entry=e, action=str(ACTIONS.get(e.action, e.get_action_display())),
                       kind=str(model._meta.verbose_name) if model else EMPTY,
                       record=_record_label(obj, e), link=_link(obj),
                       person=person.full_name if person is not None else "",
                       person_link=_link(person) if person is not None else "",
                       person_pk=str(person.pk) if person is not None else "")
        if e.action == LogEntry.Action.ACCESS:
            row.note = _access_note(e, model)
        else:
            row.changes = _changes(e, model)
        rows.append(row)
    return rows


def _load_objects(entries) -> dict:
    wanted: dict = {}
    for e in entries:
        if e.content_type_id and e.object_pk and e.object_pk != "export":
            wanted.setdefault(e.content_type_id, (e.content_type, set()))[1].add(e.object_pk)
    found = {}
    for ct_id, (ct, pks) in wanted.items():
        model = ct.model_class()
        if model is None:
            continue
        qs = model._base_manager.filter(pk__in=[pk for pk in pks if _fits(model, pk)])
        if _has_field(model, "person"):
            qs = qs.select_related("person")
        for obj in qs:
            found[(ct_id, str(obj.pk))] = obj
    return found


def _fits(model, pk: str) -> bool:
    """Whether `pk` can be an id of `model` (an entry may name a record by an id of another shape)."""
    try:
        model._meta.pk.to_python(pk)
    except Exception:  # noqa: BLE001 - ValidationError and friends: not an id of this model
        return False
    return True


def _has_field(model, name: str) -> bool:
    try:
        return model._meta.get_field(name).is_relation
    except FieldDoesNotExist:
        return False


def _person_of(obj, hops: int = 1):
    """The person a record is about: itself, its `person`, or the person of the record it
    belongs to (a screening's case)."""
    if obj is None:
        return None
    if obj._meta.label_lower == "people.person":
        return obj
    if _has_field(type(obj), "person"):
        return getattr(obj, "person", None)
    if hops:
        for f in obj._meta.get_fields():
            if (f.many_to_one or f.one_to_one) and f.concrete and f.related_model is not None and _has_field(f.related_model, "person"):
                return _person_of(getattr(obj, f.name, None), hops - 1)
    return None


def _record_label(obj, entry) -> str:
    if obj is None:
        return entry.object_repr or EMPTY
    text = str(obj)
    if text.endswith(f"object ({obj.pk})"):  # a model without a name of its own
        person = _person_of(obj)
        return f"{obj._meta.verbose_name} · {person.full_name}" if person is not None else str(obj._meta.verbose_name)
    return text


def _link(obj) -> str:
    if obj is None:
        return ""
    if obj._meta.label_lower == "people.person":
        return reverse("people:detail", args=[obj.pk])
    try:
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    except NoReverseMatch:
        return ""


def _field_label(model, name: str) -> str:
    if model is None:
        return name
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name.replace("_", " ")))
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _shown(model, name: str, value) -> str:
    """A value as users see it: a related record by its name, a choice by its label."""
    if value in (None, "None", ""):
        return EMPTY
    if model is None:
        return str(value)
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if f.is_relation and (f.many_to_one or f.one_to_one) and f.concrete:
        related = f.related_model._base_manager.filter(pk=value).first() if _fits(f.related_model, value) else None
        if related is None:
            return str(value)
        return getattr(related, "full_name", None) or getattr(related, "username", None) or str(related)
    if f.is_relation:
        return str(value)
    if f.choices:
        return str({str(k): v for k, v in f.flatchoices}.get(str(value), value))
    if f.get_internal_type() == "BooleanField":
        return str(_("yes")) if str(value) in ("True", "true", "1") else str(_("no"))
    if f.get_internal_type() == "BinaryField":  # encrypted protection data: never shown
        return str(_("(protected: not shown)"))
    return str(value)


def _reverse(model, name: str) -> bool:
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return f.auto_created and not f.concrete


def _changes(entry, model) -> list[Change]:
    changes = entry.changes_dict or {}
    out = []
    for name, pair in changes.items():
        if model is not None and _reverse(model, name):
            continue  # a relation seen from the other side: auditlog's placeholder, nothing changed here
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        out.append(Change(_field_label(model, name), _shown(model, name, old), _shown(model, name, new)))
    return out


def _access_note(entry, model) -> str:
    data = entry.additional_data or {}
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            data = {}
    fields = [_field_label(model, f) for f in data.get("fields") or []]
    if data.get("what") == "export":
        return str(_("export of %(rows)s rows") % {"rows": data.get("rows", "?")})
    if data.get("what") in PROTECTED_READS:
        return str(_("protection data read: %(n)d items (content not shown)") % {"n": len(fields)})
    return ", ".join(fields)

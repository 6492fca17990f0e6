"""Import of a passenger manifest: pre-register a charter flight before it lands.

Every row is checked first; if any row is wrong nothing is written and the report names each
row, field and reason. Re-importing creates nothing new, whatever the flight is typed like:
the flight reference is normalised ("LY 2026-12-03" is "LY-2026-12-03"), each row is keyed by
(manifest, record_id) in ExternalReference, and a row describing a person already pre-registered
on a flight of the same days is that same arrival (linked, not created again)."""

import datetime as dt
import re
import unicodedata

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parcours.core.errors import Conflict, Forbidden, ValidationFailed
from parcours.core.locks import hold_until_commit
from parcours.core.people_file import read_people_file
from parcours.core.spreadsheets import checked_upload
from parcours.jobs.registry import register

from . import duplicates
from .events import PeopleEvent
from .models import ExternalReference, Person
from .policies import can_import_people
from .services import person_create, queue_for_review
from .validation import validate_person

# A row is the same arrival as a person pre-registered on a flight this many days apart at most,
# when the matcher is at least this sure they are the same person.
SAME_ARRIVAL_DAYS = 7
SAME_ARRIVAL_SCORE = 0.9
MANIFEST = "manifest:"


def flight_reference(text: str) -> str:
    """One spelling per flight: upper case, separators (spaces, dashes, slashes, dots,
    underscores) as one dash. "ly 2026-12-03" and "LY-2026/12/03" are "LY-2026-12-03"."""
    return re.sub(r"[\s\-_/.]+", "-", (text or "").strip().upper()).strip("-")


def flight_day(reference: str) -> dt.date | None:
    """The date a flight reference carries (YYYY-MM-DD or DD-MM-YYYY), if any."""
    ref = flight_reference(reference)
    for pattern, order in ((r"(\d{4})-(\d{1,2})-(\d{1,2})", (0, 1, 2)), (r"(\d{1,2})-(\d{1,2})-(\d{4})", (2, 1, 0))):
        found = re.search(pattern, ref)
        if found:
            parts = [int(found.group(i + 1)) for i in order]
            try:
                return dt.date(*parts)
            except ValueError:
                return None
    return None


def _manifests_of_the_same_days(flight: str) -> tuple[list[str], list[str]]:
    """(systems of this very flight however it was typed, systems of flights a few days apart)."""
    day = flight_day(flight)
    same, near = [], []
    systems = ExternalReference.objects.filter(system__startswith=MANIFEST).values_list("system", flat=True).distinct()
    for system in systems:
        other = system[len(MANIFEST):]
        if flight_reference(other) == flight:
            same.append(system)
        else:
            other_day = flight_day(other)
            if day and other_day and abs((other_day - day).days) <= SAME_ARRIVAL_DAYS:
                near.append(system)
    return same, near


class ManifestUpload(forms.Form):
    flight = forms.CharField(label=gettext_lazy("Flight or manifest reference"), max_length=60,
                             help_text=gettext_lazy("e.g. the charter flight number and date: LY-2019-10-03"))
    file = forms.FileField(label=gettext_lazy("People file (CSV or XLSX)"))

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


def import_people(*, by, content: bytes, filename: str, source: str, progress=lambda done, total: None) -> dict:
    """Pre-register every row of a people file, or none. The web upload (a job), the CLI and any
    script end here, so the importer check is made here and nowhere else."""
    if not can_import_people(by):
        raise Forbidden()
    rows = read_people_file(content, filename)
    total = len(rows)
    flight = flight_reference(source)
    system = f"{MANIFEST}{flight}"
    same, near = _manifests_of_the_same_days(flight)
    existing = set(ExternalReference.objects.filter(system__in=[system, *same]).values_list("value", flat=True))
    errors, ready, already = [], [], 0
    for i, (line, row) in enumerate(rows, start=1):
        record_id = row.pop("record_id", "") or f"line-{line}"
        if record_id in existing:
            already += 1
            continue
        try:
            cleaned = validate_person(row)
        except ValidationFailed as exc:
            for field, msgs in exc.fields.items():
                errors.append({"row": line, "record_id": record_id, "field": field, "messages": msgs})
            continue
        ready.append((line, record_id, cleaned))
        if i % 25 == 0:
            progress(i, total)
    progress(total, total)
    if errors:
        return {"created": 0, "already_present": already, "rows": total, "errors": errors,
                "message": _("Nothing was imported: correct the rows listed and send the file again.")}
    try:
        return _import_ready(by=by, source=source, system=system, flight=flight, same=same, near=near,
                             ready=ready, already=already, total=total)
    except IntegrityError:
        # The lock below makes this unreachable for one manifest; never a traceback if it happens.
        raise Conflict(_("Another import wrote some of these people at the same moment: nothing was imported "
                         "from this file. Send it again: the people already there are skipped.")) from None


def _import_ready(*, by, source, system, flight, same, near, ready, already, total) -> dict:
    flagged, warnings, same_arrival = [], [], []
    with transaction.atomic():
        # One import of a manifest at a time: a second one sent meanwhile (a double click, two
        # agents) waits here, then finds the rows the first created and skips them.
        hold_until_commit(f"import:{system}")
        taken = set(ExternalReference.objects.filter(system__in=[system, *same],
                                                     value__in=[r for _line, r, _c in ready])
                    .values_list("value", flat=True))
        already += len(taken)
        ready = [row for row in ready if row[1] not in taken]
        on_flights = _Preregistered(system__in=[system, *same, *near])
        for line, record_id, cleaned in ready:
            arrived = _same_arrival(by, cleaned, on_flights)
            if arrived is not None:
                person_id, other = arrived
                ExternalReference.objects.get_or_create(system=system, value=record_id, defaults={"person_id": person_id})
                same_arrival.append({"row": line, "record_id": record_id, "person": str(person_id),
                                     "flight": other[len(MANIFEST):]})
                continue
            person = person_create(by=by, cleaned=cleaned, external_ref=(system, record_id), event_kind=PeopleEvent.PREREGISTERED,
                                   event_data={"manifest": source})
            warnings += [{"row": line, "record_id": record_id, "message": w} for w in person.warnings]
            found = duplicates.candidates_for(by, cleaned, exclude_id=person.pk, limit=3)
            queue_for_review(person, found)
            if found:
                flagged.append({"row": line, "record_id": record_id, "person": str(person.pk),
                                "candidates": [{"id": c.person_id, "score": c.score} for c in found]})
    created = len(ready) - len(same_arrival)
    message = ngettext("%(n)d person pre-registered.", "%(n)d people pre-registered.", created) % {"n": created}
    if same_arrival:
        message += " " + ngettext(
            "%(n)d row is a person already pre-registered on this flight or one of the same days: not created again.",
            "%(n)d rows are people already pre-registered on this flight or one of the same days: not created again.",
            len(same_arrival)) % {"n": len(same_arrival)}
    return {"created": created, "already_present": already + len(same_arrival), "rows": total, "errors": [],
            "flight": flight, "same_arrival": same_arrival, "possible_duplicates": flagged, "warnings": warnings,
            "message": message}


class _Preregistered(dict):
    """{person id: manifest system} of the people pre-registered on the given manifests, and
    those people by name key."""

    def __init__(self, **refs):
        super().__init__({str(pid): system for pid, system in
                          ExternalReference.objects.filter(**refs).values_list("person_id", "system")})
        self.people: dict[str, list[dict]] = {}
        fields = ("pk", "given_name", "family_name", "birth_date", "birth_year", "sex")
        for person in Person.objects.filter(pk__in=list(self), merged_into__isnull=True).values(*fields):
            self.people.setdefault(_name_key(person["given_name"], person["family_name"]), []).append(person)


def _name_key(given: str, family: str) -> str:
    """Names compared as a manifest clerk would: case, accents and order ignored."""
    text = unicodedata.normalize("NFKD", f"{given} {family}".casefold())
    return " ".join(sorted("".join(c for c in text if not unicodedata.combining(c)).split()))


def _born_alike(row: dict, person: dict) -> bool:
    if row.get("birth_date") and person["birth_date"]:
        return row["birth_date"] == person["birth_date"]
    year = row.get("birth_year") or (row["birth_date"].year if row.get("birth_date") else None)
    other = person["birth_year"] or (person["birth_date"].year if person["birth_date"] else None)
    return bool(year and other and year == other)


def _same_arrival(by, cleaned: dict, on_flights: dict) -> tuple | None:
    """(person id, manifest system) of the person already pre-registered on a flight of the same
    days that this row describes, or None: the same names and birth (and sex when both say), or
    the matcher quite sure."""
    if not on_flights:
        return None
    key = _name_key(cleaned.get("given_name", ""), cleaned.get("family_name", ""))
    for person in on_flights.people.get(key, []):
        if _born_alike(cleaned, person) and (not cleaned.get("sex") or not person["sex"] or cleaned["sex"] == person["sex"]):
            return str(person["pk"]), on_flights[str(person["pk"])]
    for candidate in duplicates.candidates_for(by, cleaned, limit=5):
        if candidate.score < SAME_ARRIVAL_SCORE:
            break
        other = on_flights.get(str(candidate.person_id))
        if other:
            return candidate.person_id, other
    return None


# Retry-safe: every row is written in one transaction, and a second run skips the rows already keyed.
@register("import_people", allowed=can_import_people, label=gettext_lazy("Manifest import"), retry_safe=True)
def import_people_job(job, progress) -> dict:
    try:
        return import_people(by=job.created_by, content=bytes(job.payload or b""), filename=job.payload_name,
                             source=job.params.get("flight", "") or str(job.pk), progress=progress)
    except ValidationFailed as exc:
        return {"created": 0, "errors": [{"row": 0, "field": k, "messages": v} for k, v in exc.fields.items()],
                "message": str(exc.message)}
    except Conflict as exc:
        return {"created": 0, "errors": [], "message": str(exc.message)}

"""Import of a passenger manifest: pre-register a charter flight before it lands.

Every row is checked first; if any row is wrong nothing is written and the report names each
row, field and reason. Re-importing the same file creates nothing new: each row is keyed by
(manifest, record_id) in ExternalReference."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from parcours.core.errors import Forbidden, ValidationFailed
from parcours.jobs.registry import register

from . import duplicates
from .files import read_people_file
from .models import ExternalReference
from .policies import can_import_people
from .services import person_create, queue_for_review
from .validation import validate_person

MAX_BYTES = 5 * 1024 * 1024


class ManifestUpload(forms.Form):
    flight = forms.CharField(label=gettext_lazy("Flight or manifest reference"), max_length=60,
                             help_text=gettext_lazy("e.g. the charter flight number and date: LY-2019-10-03"))
    file = forms.FileField(label=gettext_lazy("People file (CSV or XLSX)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext_lazy("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(gettext_lazy("Send a CSV or XLSX file."))
        return upload


def import_people(*, by, content: bytes, filename: str, source: str, progress=lambda done, total: None) -> dict:
    """Pre-register every row of a people file, or none. The web upload (a job), the CLI and any
    script end here, so the importer check is made here and nowhere else."""
    if not can_import_people(by):
        raise Forbidden()
    rows = read_people_file(content, filename)
    total = len(rows)
    system = f"manifest:{source}"
    existing = set(ExternalReference.objects.filter(system=system).values_list("value", flat=True))
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
    flagged, warnings = [], []
    with transaction.atomic():
        for line, record_id, cleaned in ready:
            person = person_create(by=by, cleaned=cleaned, external_ref=(system, record_id), event_kind="preregistered",
                                   event_data={"manifest": source})
            warnings += [{"row": line, "record_id": record_id, "message": w} for w in person.warnings]
            found = duplicates.candidates_for(by, cleaned, exclude_id=person.pk, limit=3)
            queue_for_review(person, found)
            if found:
                flagged.append({"row": line, "record_id": record_id, "person": str(person.pk),
                                "candidates": [{"id": c.person_id, "score": c.score} for c in found]})
    return {"created": len(ready), "already_present": already, "rows": total, "errors": [],
            "possible_duplicates": flagged, "warnings": warnings,
            "message": ngettext("%(n)d person pre-registered.", "%(n)d people pre-registered.", len(ready)) % {"n": len(ready)}}


@register("import_people", allowed=can_import_people, label=gettext_lazy("Manifest import"))
def import_people_job(job, progress) -> dict:
    try:
        return import_people(by=job.created_by, content=bytes(job.payload or b""), filename=job.payload_name,
                             source=job.params.get("flight", "") or str(job.pk), progress=progress)
    except ValidationFailed as exc:
        return {"created": 0, "errors": [{"row": 0, "field": k, "messages": v} for k, v in exc.fields.items()],
                "message": str(exc.message)}

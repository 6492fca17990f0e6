"""Import of the day sheets a point already keeps in a spreadsheet (XLSX, or CSV): one row per
line of the sheet — date, direction, nationality, sex, age group, transport, reason, origin,
destination, number of people.

The columns may carry the French headers a point writes (« Date », « Sens », « Nationalité »,
« Sexe », « Tranche d'âge », « Moyen de transport », « Motif du voyage », « Provenance »,
« Destination », « Nombre ») or the field names of the API and of `parcours export flows`
(a file exported from Parcours imports back). Cells may hold the codes (`in`, `M`, `bus`, `GN`)
or the French words (« Entrée », « Homme », « Camion », « Guinée »).

Every row is checked before anything is written, through the day-sheet service the demo and bulk
clients use: if one row is wrong, nothing is recorded and the report names each row (as the
spreadsheet numbers it) and column. Importing the same file again records nothing new: a
point-day already counted with the same lines is skipped."""

import unicodedata

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from parcours.core.errors import Forbidden, ServiceError, ValidationFailed
from parcours.core.people_file import cell_text, spreadsheet_rows
from parcours.core.spreadsheets import checked_upload
from parcours.jobs.registry import register

from .policies import can_import_counts, point_for_import
from .sheets import SheetRefused, sheets_record

FIELDS = ["point", "date", "direction", "nationality", "sex", "age_group", "transport", "reason", "origin",
          "destination", "count"]


def _plain(text) -> str:
    """Lower case, no accents, one space: how headers and words are compared."""
    text = unicodedata.normalize("NFKD", str(text or "").strip().casefold().replace("’", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace("_", " ").split())


# Headers a point's spreadsheet uses, French first as shown on the page (compared without case or accents).
HEADERS = {
    "point": ["point", "code du point", "point de suivi", "pmf", "fmp"],
    "date": ["date", "jour", "day"],
    "direction": ["sens", "direction", "flux", "sens du flux"],
    "nationality": ["nationalité", "nationality", "pays de nationalite"],
    "sex": ["sexe", "sex", "genre"],
    "age_group": ["tranche d'âge", "age", "classe d'age", "age group", "groupe d'age"],
    "transport": ["moyen de transport", "transport", "mode de transport"],
    "reason": ["motif du voyage", "motif", "raison du voyage", "reason", "reason for travel"],
    "origin": ["provenance", "pays de provenance", "origine", "origin", "coming from"],
    "destination": ["destination", "pays de destination", "destination prevue", "going to"],
    "count": ["nombre", "nombre de personnes", "effectif", "personnes", "count", "people"],
}
_HEADER_OF = {_plain(h): field for field, names in HEADERS.items() for h in names}

# Words for the codes, as sheets write them (compared without case or accents).
WORDS = {
    "direction": {"in": ["entree", "entrees", "entrant", "entrants", "arrivee", "arrivees", "incoming", "e"],
                  "out": ["sortie", "sorties", "sortant", "sortants", "depart", "departs", "outgoing", "s"]},
    "sex": {"M": ["h", "homme", "hommes", "masculin", "male", "m"], "F": ["f", "femme", "femmes", "feminin", "female"]},
    "age_group": {"0-17": ["0-17", "0 - 17", "0-17 ans", "moins de 18 ans", "enfant", "enfants", "mineur"],
                  "18-59": ["18-59", "18 - 59", "18-59 ans", "adulte", "adultes"],
                  "60+": ["60+", "60 +", "60 ans et plus", "60 et plus", "plus de 60 ans", "personne agee"]},
    "transport": {"bus": ["bus", "autocar"], "truck": ["camion", "truck"], "car": ["voiture", "car", "vehicule"],
                  "motorbike": ["moto", "motorbike", "motocyclette"], "on_foot": ["a pied", "on foot", "on_foot"],
                  "other": ["autre", "other"]},
    "reason": {"economic": ["economique", "economic", "travail"], "family": ["familial", "famille", "family"],
               "education": ["etudes", "education", "ecole"], "conflict": ["conflit", "conflict", "insecurite"],
               "other": ["autre", "other"]},
}
_CODE_OF = {field: {_plain(w): code for code, words in table.items() for w in [code, *words]}
            for field, table in WORDS.items()}


def _country(value: str) -> str:
    """A country as sheets write it: its code (GN) or its name in French or English (Guinée)."""
    if not value or countries.alpha2(value.strip().upper()):
        return value
    for language in ("fr", "en"):
        code = countries.by_name(value.strip(), language=language)
        if code:
            return code
    return value  # left as written: the validator names it


def read_sheet_file(content: bytes, filename: str) -> tuple[list[tuple[int, dict]], dict[str, str]]:
    """((row number, {field: value}) for each filled row, {field: the column's header as written})."""
    rows = spreadsheet_rows(content, filename)
    try:
        header = [str(h or "").strip() for h in next(rows)]
    except StopIteration:
        raise ValidationFailed({"file": [_("The file is empty.")]}) from None
    fields = [_HEADER_OF.get(_plain(h)) for h in header]
    unknown = [h for h, f in zip(header, fields, strict=True) if h and f is None]
    if unknown:
        raise ValidationFailed({"file": [_("Unknown columns: %(cols)s. Expected: %(expected)s.") % {
            "cols": ", ".join(unknown), "expected": ", ".join(HEADERS[f][0].capitalize() for f in FIELDS)}]})
    missing = [HEADERS[f][0].capitalize() for f in ("date", "direction", "nationality", "sex", "age_group",
                                                    "transport", "reason", "count") if f not in fields]
    if missing:
        raise ValidationFailed({"file": [_("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}]})
    columns = {f: h for h, f in zip(header, fields, strict=True) if f}
    out = []
    for number, values in enumerate(rows, start=2):
        row = {f: cell_text(v) for f, v in zip(fields, values, strict=False) if f}
        if any(row.values()):
            out.append((number, row))
    return out, columns


def _line(row: dict, point: str) -> dict:
    line = dict(row)
    line["point"] = row.get("point") or point
    for field, codes in _CODE_OF.items():
        if line.get(field):
            line[field] = codes.get(_plain(line[field]), line[field])
    for field in ("nationality", "origin", "destination"):
        line[field] = _country(line.get(field, ""))
    return line


def import_flow_sheets(*, by, content: bytes, filename: str, point: str = "",
                       progress=lambda done, total: None) -> dict:
    """Record every row of a point's sheets file, or none. The upload page (a job), the CLI and
    any script end here. `point` is the point's code, used for rows without a point column."""
    if not can_import_counts(by):
        raise Forbidden()
    if point:
        point = point_for_import(by, point).code  # another point's file: not found, before reading it
    rows, columns = read_sheet_file(content, filename)
    total = len(rows)
    progress(0, total)
    if "point" not in columns and not point:
        raise ValidationFailed({"point": [_("Choose the point these sheets are from.")]})
    lines = [_line(row, point) for _number, row in rows]
    try:
        result = sheets_record(by=by, lines=lines, numbers=[n for n, _row in rows], allowed=can_import_counts,
                               progress=lambda done: progress(done, total))
    except SheetRefused as exc:
        errors = [{"row": e["line"], "field": columns.get(e["field"], e["field"]), "messages": e["messages"]}
                  for e in exc.errors]
        return {"created": 0, "already_present": 0, "rows": total, "errors": errors,
                "message": _("Nothing was imported: correct the rows listed and send the file again.")}
    progress(total, total)
    skipped = total - result.lines if result.already else 0
    message = ngettext("%(n)d line recorded", "%(n)d lines recorded", result.lines) % {"n": result.lines}
    message += ngettext(" over %(n)d day.", " over %(n)d days.", result.days) % {"n": result.days}
    if result.already:
        message += " " + ngettext("%(n)d day was already counted with the same lines: skipped.",
                                  "%(n)d days were already counted with the same lines: skipped.",
                                  result.already) % {"n": result.already}
    return {"created": result.lines, "already_present": skipped, "rows": total, "days": result.days,
            "days_already": result.already, "errors": [], "message": message}


class SheetUpload(forms.Form):
    point = forms.ChoiceField(label=gettext_lazy("Point"))
    file = forms.FileField(label=gettext_lazy("Day sheets (XLSX or CSV)"))

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.code, f"{p.place.name} ({p.code})") for p in points]

    def clean_file(self):
        return checked_upload(self.cleaned_data["file"])


# Retry-safe: the sheets are written in one transaction, and a second run skips the days already there.
@register("import_flows", allowed=can_import_counts, label=gettext_lazy("Day sheets import"), retry_safe=True)
def import_flows_job(job, progress) -> dict:
    try:
        return import_flow_sheets(by=job.created_by, content=bytes(job.payload or b""), filename=job.payload_name,
                                  point=job.params.get("point", ""), progress=progress)
    except ValidationFailed as exc:
        return {"created": 0, "errors": [{"row": 0, "field": k, "messages": v} for k, v in exc.fields.items()],
                "message": str(exc.message)}
    except ServiceError as exc:  # another's point (not found), a role that may not, a write race
        return {"created": 0, "errors": [], "message": str(exc.message)}

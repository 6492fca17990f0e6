"""People exports (CSV, XLSX) in the people-file format, scoped and logged with their filters."""

from dataclasses import asdict

from parcours.audit.services import log_export
from parcours.core.errors import Forbidden
from parcours.core.exports import register_exporter
from parcours.core.people_file import PEOPLE_FILE_FIELDS
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes

from .models import Person
from .policies import can_export_people
from .selectors import PeopleFilter, people_list

MAX_ROWS = 200_000


def _row(p: Person) -> list:
    return [
        str(p.pk), p.given_name, p.family_name, p.other_names, p.sex,
        p.birth_date.isoformat() if p.birth_date else "", p.birth_year or "", p.phone, str(p.nationality or ""),
        p.origin_region.name if p.origin_region_id else "", p.origin_cercle.name if p.origin_cercle_id else "",
        p.origin_commune.name if p.origin_commune_id else "", p.id_document_type, p.id_document_number,
        p.return_date.isoformat() if p.return_date else "", str(p.returned_from or ""),
    ]


def people_export(*, by, flt: PeopleFilter, fmt: str = "csv") -> tuple[bytes, int]:
    """The people `by` may see, filtered, as a people file. Every export is logged."""
    if not can_export_people(by):
        raise Forbidden()
    qs = people_list(by, flt).select_related("origin_region", "origin_cercle", "origin_commune")[:MAX_ROWS]
    rows = [_row(p) for p in qs.iterator(chunk_size=2000)]
    count = len(rows)
    if fmt == "xlsx":
        data = xlsx_bytes({"people": (PEOPLE_FILE_FIELDS, rows)})
    else:
        data = csv_bytes(PEOPLE_FILE_FIELDS, rows)
    log_export(user=by, model=Person, filters={k: str(v) for k, v in asdict(flt).items() if v}, rows=count, fmt=fmt)
    return data, count


def _people_file(*, by, fmt: str, region: str = "", q: str = "", **_options) -> tuple[bytes, int]:
    return people_export(by=by, flt=PeopleFilter(q=q, region=region), fmt=fmt)


register_exporter("people", formats=("csv", "xlsx"), run=_people_file)

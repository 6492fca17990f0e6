"""The passenger manifest of a departure, for the carrier and the receiving country: XLSX (one row
per passenger) and PDF (the same table with the departure's details and signature boxes).
Passengers who did not show up or were taken off are not on it. Every export is logged."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import log_export
from parcours.core.spreadsheets import xlsx_bytes

from .models import Departure, Passenger


def manifest_rows(departure: Departure) -> list[list]:
    seats = (departure.passengers.filter(status__in=[Passenger.Status.BOOKED, Passenger.Status.DEPARTED])
             .select_related("request", "request__person").order_by("request__person__family_name",
                                                                      "request__person__given_name", "id"))
    rows = []
    for n, seat in enumerate(seats, 1):
        person, req = seat.request.person, seat.request
        rows.append([n, person.family_name, person.given_name, person.sex,
                     person.birth_date or person.birth_year or "", person.nationality.name if person.nationality else "",
                     req.get_document_type_display(), req.document_number, req.document_issued_on,
                     req.document_expires_on])
    return rows


def manifest_header() -> list[str]:
    return ["#", _("Family name"), _("Given name"), _("Sex"), _("Born"), _("Nationality"), _("Travel document"),
            _("Document number"), _("Issued on"), _("Expires on")]


def manifest_filename(departure: Departure, ext: str) -> str:
    return f"manifest-{departure.reference or departure.pk}-{departure.planned_on:%Y%m%d}.{ext}"


def manifest_xlsx(*, by, departure: Departure) -> bytes:
    rows = manifest_rows(departure)
    log_export(user=by, model=Passenger, filters={"departure": str(departure.pk)}, rows=len(rows), fmt="xlsx")
    return xlsx_bytes({_("Manifest"): (manifest_header(), rows)})


def manifest_pdf(*, by, departure: Departure) -> bytes:
    from weasyprint import HTML

    rows = manifest_rows(departure)
    log_export(user=by, model=Passenger, filters={"departure": str(departure.pk)}, rows=len(rows), fmt="pdf")
    html = render_to_string("centres/manifest.html", {
        "dep": departure, "header": manifest_header(), "rows": rows, "printed": timezone.localtime()})
    return HTML(string=html).write_pdf()

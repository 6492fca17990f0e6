"""The stays of a centre (or of every centre the user sees) as a spreadsheet — the centre page's
download, `GET /api/v1/centres/stays.{csv,xlsx}` and `parcours export stays`.

One row per stay, no names: the person's reference (their id in the registry), nationality, sex, age
group at entry, entry and exit, services received counted per kind, days stayed. Scoped as the centre
pages are (policies.stays_visible_to; another agency's centre is NotFound). What is protection data
follows the facts' sensitivity, asked of the role (facts.policies.may_read): the trafficking and
unaccompanied-minor flags (`centres.protection_noted`) and the counts of care — medical,
psychosocial, legal (`centres.care_received`) — are columns only for the roles that may read those
facts; for the others the columns do not exist (an empty column would still say "asked"). Every
cell neutralised (parcours.core.spreadsheets) and every export logged with its filters."""

import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.audit.services import log_export
from parcours.cases.models import Screening
from parcours.core.demographics import age_band
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.exports import register_exporter
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes
from parcours.facts.kinds import spec
from parcours.facts.policies import may_read

from .events import CentreEvent
from .models import PROTECTION_SERVICES, ServiceKind, Stay, StayProtection, StayService
from .policies import can_see_residents, centre_for_read, stays_visible_to

FORMATS = ("csv", "xlsx")
MAX_ROWS = 200_000
BASE_FIELDS = ["stay", "centre", "person", "nationality", "sex", "age_group", "entered_on", "entry_point",
               "screening_route"]
PROTECTION_FIELDS = ["trafficking_victim", "unaccompanied_minor"]
EXIT_FIELDS = ["left_on", "exit_reason", "days_stayed"]


def _service_kinds(by) -> list[str]:
    care = may_read(by, spec(CentreEvent.CARE_RECEIVED).sensitivity)
    return [k for k in ServiceKind.values if care or k not in PROTECTION_SERVICES]


def stay_export_fields(by) -> list[str]:
    """The columns `by` gets, in order (the same for CSV and XLSX)."""
    flags = PROTECTION_FIELDS if may_read(by, spec(CentreEvent.PROTECTION_NOTED).sensitivity) else []
    return [*BASE_FIELDS, *flags, *[f"services_{k}" for k in _service_kinds(by)], *EXIT_FIELDS]


def _chunks(qs, size: int = 2000):
    chunk = []
    for stay in qs.iterator(chunk_size=size):
        chunk.append(stay)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _rows(by, qs, today: dt.date):
    """Rows per chunk of stays: services, protection and screening read once per chunk, not per stay."""
    kinds = _service_kinds(by)
    flags = may_read(by, spec(CentreEvent.PROTECTION_NOTED).sensitivity)
    for chunk in _chunks(qs):
        ids = [s.pk for s in chunk]
        counts = defaultdict(dict)
        for row in (StayService.objects.filter(stay__in=ids, kind__in=kinds).values("stay", "kind")
                    .annotate(n=Sum("quantity")).order_by()):
            counts[row["stay"]][row["kind"]] = row["n"]
        protection = ({p.stay_id: p for p in StayProtection.objects.filter(stay__in=ids)} if flags else {})
        routes = {}
        # The route of the person's screening (protection or orientation) is in clear for whoever works
        # with the person (cases.services.PersonScreening); the answers never leave the cases service.
        for person, vulnerable in (Screening.objects.filter(person__in={s.person_id for s in chunk})
                                   .order_by("person", "done_on", "pk").values_list("person", "vulnerable")):
            routes[person] = "protection" if vulnerable else "orientation"  # the latest wins
        for s in chunk:
            p = s.person
            row = [str(s.pk), s.centre.code, str(p.pk), str(p.nationality or ""), p.sex,
                   age_band(p.age_on(s.entered_on)), s.entered_on, s.entry_point.name if s.entry_point_id else "",
                   routes.get(p.pk, "")]
            if flags:
                noted = protection.get(s.pk)
                row += [bool(noted and noted.trafficking_victim), bool(noted and noted.unaccompanied_minor)]
            row += [counts[s.pk].get(k, 0) for k in kinds]
            row += [s.left_on, s.exit_reason, s.nights(today)]
            yield row


def stays_export(*, by, centre_code: str = "", start: dt.date | None = None, end: dt.date | None = None,
                 fmt: str = "csv") -> tuple[bytes, int]:
    """The stays `by` sees — of one centre (NotFound outside their scope) or of every centre they
    see — that overlap [start, end] (entered by `end`, not left before `start`), oldest first."""
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [_("Choose csv or xlsx.")]})
    if start and end and start > end:
        raise ValidationFailed({"from": [_("The start is after the end.")]})
    centre = centre_for_read(by, centre_code) if centre_code else None
    if not can_see_residents(by):
        raise Forbidden()
    qs = stays_visible_to(by)
    if centre is not None:
        qs = qs.filter(centre=centre)
    if end:
        qs = qs.filter(entered_on__lte=end)
    if start:
        qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
    qs = (qs.select_related("centre", "person", "entry_point")
          .order_by("centre__code", "entered_on", "created_at", "pk")[:MAX_ROWS])
    fields = stay_export_fields(by)
    rows = list(_rows(by, qs, timezone.localdate()))
    data = xlsx_bytes({"stays": (fields, rows)}) if fmt == "xlsx" else csv_bytes(fields, rows)
    filters = {k: v for k, v in (("centre", centre.code if centre else ""), ("from", start and start.isoformat()),
                                 ("to", end and end.isoformat())) if v}
    log_export(user=by, model=Stay, filters=filters, rows=len(rows), fmt=fmt)
    return data, len(rows)


def stays_filename(centre_code: str, fmt: str) -> str:
    return f"parcours-stays-{centre_code or 'centres'}.{fmt}"


def _day(value: str, field: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _stays_file(*, by, fmt: str, centre: str = "", start: str = "", end: str = "", **_options) -> tuple[bytes, int]:
    return stays_export(by=by, centre_code=centre, start=_day(start, "from"), end=_day(end, "to"), fmt=fmt)


register_exporter("stays", formats=FORMATS, run=_stays_file)

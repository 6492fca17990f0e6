"""`parcours export flows`: the live counts as a counts file (CSV/XLSX, the API's field names,
one line per count) or as HXL-tagged CSV (one row per day, point, direction and breakdown, with
the people split by sex and age group in `#affected` columns), scoped and logged. Every cell goes
through parcours.core.spreadsheets (no cell can run as a formula)."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from parcours.accounts.models import Place
from parcours.audit.services import log_export
from parcours.core.errors import Forbidden, ValidationFailed
from parcours.core.spreadsheets import csv_bytes, xlsx_bytes

from .models import Count, Point
from .policies import can_read_flows, points_visible_to

FILE_FIELDS = ["point", "date", "direction", "nationality", "sex", "age_group", "transport", "reason", "origin",
               "destination", "count"]
# The split of each HXL row: (sex, age group) -> hashtag.
SPLIT = {("M", "0-17"): "#affected+m+children", ("M", "18-59"): "#affected+m+adults",
         ("M", "60+"): "#affected+m+elderly", ("F", "0-17"): "#affected+f+children",
         ("F", "18-59"): "#affected+f+adults", ("F", "60+"): "#affected+f+elderly"}
KEY = ["day", "point_id", "direction", "nationality", "transport", "reason", "origin", "destination"]
HXL_HEAD = ["#date", "#adm1+name", "#adm1+code", "#adm2+name", "#adm2+code", "#loc+name", "#loc+code", "#geo+lat",
            "#geo+lon", "#meta+direction", "#country+code+nationality", "#meta+transport", "#meta+reason",
            "#country+code+origin", "#country+code+destination", "#affected+total", "#affected+m", "#affected+f",
            *SPLIT.values()]
def _ancestor(place: Place, kind: str) -> Place | None:
    while place is not None and place.kind != kind:
        place = place.parent
    return place


def _where(point: Point) -> list:
    region = _ancestor(point.place, "region")
    cercle = _ancestor(point.place, "cercle")
    return [region.name if region else "", region.pcode if region else "", cercle.name if cercle else "",
            cercle.pcode if cercle else "", point.place.name, point.code,
            point.place.latitude if point.place.latitude is not None else "",
            point.place.longitude if point.place.longitude is not None else ""]


def _period(start: str, end: str) -> tuple[dt.date | None, dt.date | None]:
    try:
        return (dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end) if end else None)
    except ValueError:
        raise ValidationFailed({"from": [_("Enter a date as YYYY-MM-DD.")]}) from None


def counts_for_export(by, *, start: str = "", end: str = "", region: str = ""):
    """The live counts `by` may read (the operator of the server, `by=None`, reads every point)."""
    if by is not None and not can_read_flows(by):
        raise Forbidden()
    points = points_visible_to(by) if by is not None else Point.objects.select_related("place", "place__parent")
    if region:
        points = points.filter(place__path__contains=f"/{region.upper()}/")
    first, last = _period(start, end)
    qs = Count.objects.filter(point__in=points.values("pk"), live=True)
    if first:
        qs = qs.filter(day__gte=first)
    if last:
        qs = qs.filter(day__lte=last)
    return points, qs


def hxl_rows(points, qs) -> list[list]:
    by_pk = {p.pk: p for p in points.select_related("place__parent__parent__parent")}
    rows: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in qs.values(*KEY, "sex", "age_group", "count").order_by(*KEY).iterator(chunk_size=5000):
        cells = rows[tuple(r[k] for k in KEY)]
        cells[SPLIT[(r["sex"], r["age_group"])]] += r["count"]
        cells[r["sex"]] += r["count"]
    where = {pk: _where(p) for pk, p in by_pk.items()}
    out = []
    for (day, point_id, direction, nationality, transport, reason, origin, destination), cells in rows.items():
        out.append([day.isoformat(), *where[point_id], direction, nationality, transport, reason, origin, destination,
                    cells["M"] + cells["F"], cells["M"], cells["F"], *(cells[tag] for tag in SPLIT.values())])
    return out


def flows_export(by, *, fmt: str, start: str = "", end: str = "", region: str = "", **_options) -> tuple[bytes, int]:
    points, qs = counts_for_export(by, start=start, end=end, region=region)
    if fmt == "hxl":
        rows = hxl_rows(points, qs)
        head = [_("Date"), _("Region"), _("Region P-code"), _("Cercle"), _("Cercle P-code"), _("Point"),
                _("Point code"), _("Latitude"), _("Longitude"), _("Direction"), _("Nationality"), _("Transport"),
                _("Reason for travel"), _("Coming from"), _("Going to"), _("People"), _("Men and boys"),
                _("Women and girls"), _("Boys 0-17"), _("Men 18-59"), _("Men 60+"), _("Girls 0-17"),
                _("Women 18-59"), _("Women 60+")]
        data = csv_bytes(None, [head, HXL_HEAD, *rows], bom=False)
    else:
        codes = {p.pk: p.code for p in points}
        rows = [[codes[r["point_id"]], r["day"].isoformat(), *(r[f] for f in FILE_FIELDS[2:])]
                for r in qs.values("point_id", "day", *FILE_FIELDS[2:]).order_by("day", "point_id", *FILE_FIELDS[2:-1])
                .iterator(chunk_size=5000)]
        data = xlsx_bytes({"counts": (FILE_FIELDS, rows)}) if fmt == "xlsx" else csv_bytes(FILE_FIELDS, rows)
    if by is not None:
        log_export(user=by, model=Count, filters={"from": start, "to": end, "region": region}, rows=len(rows), fmt=fmt)
    return data, len(rows)

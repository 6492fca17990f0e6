"""Writes of flow monitoring: a daily count (and its correction), a published report, a point.
The page, the API, imports and the demo loader all come through here."""

from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours.accounts.models import Place, User
from parcours.core.errors import Conflict, ValidationFailed, form_errors
from parcours.facts.services import fact_record

from .events import FlowEvent
from .models import BREAKDOWN, Count, DayCheck, Point, Report, Tally
from .periods import period_of
from .policies import point_for_check, point_for_publish, point_for_record
from .selectors import figures
from .validation import CheckInput, CountInput, PublishInput, TallyInput


def point_upsert(*, place: Place, roads: str = "", enumerators: list[User] = ()) -> Point:
    """Declare a place as a flow monitoring point (configuration, run by the loaders). Idempotent."""
    point, _created = Point.objects.get_or_create(place=place, defaults={"code": place.code, "roads": roads})
    if roads and point.roads != roads:
        point.roads = roads
        point.save(update_fields=["roads"])
    if enumerators:
        point.enumerators.add(*enumerators)
    return point


def _fact_data(point: Point, count: Count) -> dict:
    return {"point": point.code, **count.breakdown()}


@transaction.atomic
def count_record(*, by, data: Mapping) -> tuple[Count, bool]:
    """Record one line of a point's daily sheet: `data` holds the point's code, the date, the
    breakdown and the number of people. Returns (count, created).

    The same line sent again (a retry) answers the count already recorded and writes nothing.
    A different number for the same point, day and breakdown is refused (Conflict) unless it is
    sent as a correction: then the new count replaces the old one, which stays in history, and
    its fact voids the old count's fact."""
    form = CountInput(data=data)
    if not form.is_valid():
        errors = form_errors(form)
        if "point" not in errors:
            point_for_record(by, form.data.get("point"))  # out of scope: 404 before any detail
        raise ValidationFailed(errors)
    cleaned = form.cleaned_data
    point = point_for_record(by, cleaned["point"])
    if not point.active:
        raise ValidationFailed({"point": [_("This point no longer counts.")]})
    day, number, correction = cleaned["date"], cleaned["count"], cleaned["correction"]
    breakdown = {name: cleaned[name] for name in BREAKDOWN}
    current = (Count.objects.select_for_update()
               .filter(point=point, day=day, live=True, **breakdown).first())
    if current is not None:
        if current.count == number:
            return current, False  # a retry, or a correction that changes nothing
        if not correction:
            raise Conflict(_("A count for this point, day and breakdown is already recorded (%(n)s). "
                             "Send it as a correction to replace it.") % {"n": current.count},
                           code="already_counted", fields={"count": [_("Already recorded: %(n)s.") % {"n": current.count}]})
        current.live = False
        current.save(update_fields=["live"])
    count = Count(point=point, day=day, count=number, recorded_by=by, replaces=current, **breakdown)
    try:
        with transaction.atomic():
            count.save()
    except IntegrityError:
        # Another request recorded the same line between our read and our write: a retry race.
        raced = Count.objects.get(point=point, day=day, live=True, **breakdown)
        if raced.count == number:
            return raced, False
        raise Conflict(_("This count was recorded by someone else at the same time."),
                       code="already_counted") from None
    count.fact = fact_record(kind=FlowEvent.COUNTED, on=day, place=point.place, quantity=number, actor=by,
                             subject=count, data=_fact_data(point, count),
                             voids=current.fact if current is not None else None)
    count.save(update_fields=["fact"])
    return count, True


@transaction.atomic
def report_publish(*, by, data: Mapping) -> tuple[Report, bool]:
    """Publish a point's bi-weekly report: `data` holds the point's code, the first day of the
    period and an optional summary. The figures are kept as they stand; the fact it records
    (on the period's last day, at the point's place) is what OS3.fmp_reporting counts.
    Publishing the same period again answers the report already published."""
    form = PublishInput(data=data)
    if not form.is_valid():
        errors = form_errors(form)
        if "point" not in errors:
            point_for_publish(by, form.data.get("point"))
        raise ValidationFailed(errors)
    point = point_for_publish(by, form.cleaned_data["point"])
    start, end = period_of(form.cleaned_data["period_start"])
    existing = Report.objects.filter(point=point, period_start=start).first()
    if existing is not None:
        return existing, False
    if end >= timezone.localdate():
        raise ValidationFailed({"period_start": [_("A period is published once it is over (after %(end)s).")
                                                 % {"end": end.isoformat()}]})
    numbers = figures(Point.objects.filter(pk=point.pk), start, end)
    if numbers.total == 0 and not Count.objects.filter(point=point, day__range=(start, end), live=True).exists():
        raise ValidationFailed({"period_start": [_("Nothing was counted at this point in this period.")]})
    report = Report.objects.create(point=point, period_start=start, period_end=end, totals=numbers.as_json(),
                                   summary=form.cleaned_data["summary"], published_by=by)
    report.fact = fact_record(kind=FlowEvent.REPORT_PUBLISHED, on=end, place=point.place, quantity=numbers.total,
                              actor=by, subject=report,
                              data={"point": point.code, "start": start.isoformat(), "end": end.isoformat()})
    report.save(update_fields=["fact"])
    return report, True


def _valid(form_class, data: Mapping, policy, by):
    """Validate `data`; a point out of scope answers 404 before any detail of the input."""
    form = form_class(data=data)
    if not form.is_valid():
        errors = form_errors(form)
        if "point" not in errors:
            policy(by, form.data.get("point"))
        raise ValidationFailed(errors)
    return form.cleaned_data, policy(by, form.cleaned_data["point"])


@transaction.atomic
def tally_record(*, by, data: Mapping) -> tuple[Tally, bool]:
    """Record the head count of a point's day in one direction (the enumerator's tally marks),
    which the lines of the sheet should add up to. Same figure again: the tally already recorded;
    a different figure is a Conflict unless sent as a correction (the old one stays in history)."""
    cleaned, point = _valid(TallyInput, data, point_for_record, by)
    day, direction, total = cleaned["date"], cleaned["direction"], cleaned["total"]
    current = Tally.objects.select_for_update().filter(point=point, day=day, direction=direction, live=True).first()
    if current is not None:
        if current.total == total:
            return current, False
        if not cleaned["correction"]:
            raise Conflict(_("A tally for this point, day and direction is already recorded (%(n)s). "
                             "Send it as a correction to replace it.") % {"n": current.total},
                           code="already_counted", fields={"total": [_("Already recorded: %(n)s.") % {"n": current.total}]})
        current.live = False
        current.save(update_fields=["live"])
    try:
        with transaction.atomic():
            tally = Tally.objects.create(point=point, day=day, direction=direction, total=total, recorded_by=by,
                                         replaces=current)
    except IntegrityError:
        raced = Tally.objects.get(point=point, day=day, direction=direction, live=True)
        if raced.total == total:
            return raced, False
        raise Conflict(_("This count was recorded by someone else at the same time."),
                       code="already_counted") from None
    return tally, True


@transaction.atomic
def day_check(*, by, data: Mapping) -> tuple[DayCheck, bool]:
    """An M&E officer marks a point's day as checked (who and when are kept; a fact is recorded on
    that day at the point). Checking it again answers the first check."""
    cleaned, point = _valid(CheckInput, data, point_for_check, by)
    existing = DayCheck.objects.filter(point=point, day=cleaned["date"]).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            check = DayCheck.objects.create(point=point, day=cleaned["date"], note=cleaned["note"], checked_by=by)
    except IntegrityError:
        return DayCheck.objects.get(point=point, day=cleaned["date"]), False
    check.fact = fact_record(kind=FlowEvent.DAY_CHECKED, on=check.day, place=point.place, quantity=1, actor=by,
                             subject=check, data={"point": point.code, "day": check.day.isoformat()})
    check.save(update_fields=["fact"])
    return check, True


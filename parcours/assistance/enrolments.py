"""Where a person's enrolments come from. Training attendance typed on the assistance side counts
only days past within an enrolment, as the partner's own figure does: another app that knows
enrolments (the referrals app: a referral enrolled, until completed or dropped) registers them in
its `AppConfig.ready()`:

    from parcours.assistance.enrolments import register_enrolments

    @register_enrolments
    def spans(person):   # [(first day enrolled, last day or None while it lasts), ...]
        return ...

With no source registered (the app installed alone) attendance is checked against days past only."""

import calendar
import datetime as dt
from collections.abc import Callable

SOURCES: list[Callable] = []

Span = tuple[dt.date, dt.date | None]


def register_enrolments(fn: Callable) -> Callable:
    if fn not in SOURCES:
        SOURCES.append(fn)
    return fn


def enrolment_spans(person) -> list[Span] | None:
    """Every enrolment of `person` from every source, by start; None when no source is registered."""
    if not SOURCES:
        return None
    return sorted((span for source in SOURCES for span in source(person)), key=lambda s: (s[0], s[1] or dt.date.max))


def enrolled_days(month: dt.date, spans: list[Span], today: dt.date) -> int:
    """Days of `month` up to `today` that fall within at least one span (spans may overlap: two
    enrolments the same day still make one day)."""
    first = month.replace(day=1)
    last = min(first.replace(day=calendar.monthrange(first.year, first.month)[1]), today)
    days: set[dt.date] = set()
    for start, end in spans:
        low, high = max(first, start), min(last, end or today)
        days.update(low + dt.timedelta(days=i) for i in range((high - low).days + 1))
    return len(days)

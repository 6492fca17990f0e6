"""Bi-weekly reporting periods: the first half of a month (1–15) and the second (16 to its end),
so every period belongs to one month and a date names its period without a calendar."""

import calendar
import datetime as dt


def period_of(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=16), day.replace(day=last)


def previous_period(start: dt.date) -> tuple[dt.date, dt.date]:
    return period_of(start - dt.timedelta(days=1))


def next_period(start: dt.date) -> tuple[dt.date, dt.date]:
    return period_of(period_of(start)[1] + dt.timedelta(days=1))


def is_period_start(day: dt.date) -> bool:
    return day.day in (1, 16)


def days_of(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]

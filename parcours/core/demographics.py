"""Ages, minors and age bands: the one place that decides them.

Most returnees know only their year of birth, so every function takes a full date or a
year. Ages are whole years on the day asked about (the event's own date, in local time),
never on the server's "now"."""

import datetime as dt

ADULT_AGE = 18

# The bands of CONTRACT.md's flow counts; indicators may ask for others.
DEFAULT_BANDS: tuple[tuple[str, int, int | None], ...] = (("0-17", 0, 17), ("18-59", 18, 59), ("60+", 60, None))
# Finer bands for child protection and reintegration reporting.
CHILD_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-4", 0, 4), ("5-11", 5, 11), ("12-17", 12, 17), ("18-24", 18, 24), ("25-59", 25, 59), ("60+", 60, None),
)


def age_on(day: dt.date, *, birth_date: dt.date | None = None, birth_year: int | None = None) -> int | None:
    """Whole years on `day`; from the year alone when that is all we know (then the age the
    person reaches during that year)."""
    if birth_date:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if birth_year:
        return day.year - birth_year
    return None


def is_minor_on(day: dt.date, *, birth_date: dt.date | None = None, birth_year: int | None = None) -> bool:
    """Under 18 on `day`. Unknown age is not a minor (the screening asks instead)."""
    age = age_on(day, birth_date=birth_date, birth_year=birth_year)
    return age is not None and age < ADULT_AGE


def is_minor(age: int | None) -> bool:
    return age is not None and age < ADULT_AGE


def age_band(age: int | None, bands=DEFAULT_BANDS) -> str:
    """The band's code ("18-59"), or "" when the age is unknown."""
    if age is None:
        return ""
    for code, low, high in bands:
        if age >= low and (high is None or age <= high):
            return code
    return ""

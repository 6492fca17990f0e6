"""Birth information as people give it: a full date, a year, or an age on some day."""

import datetime as dt


def birth_parts(record: dict) -> tuple[int, int]:
    """(yyyymmdd or 0, year or 0) from birth_date / birth_year / declared_age + declared_on."""
    value = record.get("birth_date")
    if value:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value[:10]) if "-" in value else dt.datetime.strptime(value, "%d/%m/%Y").date()
            except ValueError:
                value = None
        if isinstance(value, dt.date):
            return value.year * 10000 + value.month * 100 + value.day, value.year
    year = record.get("birth_year")
    if year not in (None, ""):
        try:
            return 0, int(year)
        except (TypeError, ValueError):
            pass
    age, on = record.get("declared_age"), record.get("declared_on")
    if age not in (None, "") and on:
        on_year = on.year if isinstance(on, dt.date) else int(str(on)[:4])
        return 0, on_year - int(age)
    return 0, 0


def day_number(value) -> int:
    """A date (date, `YYYY-MM-DD` or `DD/MM/YYYY`) as a day count (0 = missing or unreadable)."""
    if not value:
        return 0
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10]) if "-" in value else dt.datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError:
            return 0
    return value.toordinal() if isinstance(value, dt.date) else 0

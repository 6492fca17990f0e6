import datetime as dt

from parcours.core.demographics import CHILD_BANDS, age_band, age_on, is_minor_on


def test_age_from_full_date_counts_the_birthday():
    born = dt.date(2008, 12, 5)
    assert age_on(dt.date(2026, 12, 4), birth_date=born) == 17
    assert age_on(dt.date(2026, 12, 5), birth_date=born) == 18


def test_age_from_year_only_and_unknown():
    assert age_on(dt.date(2026, 1, 1), birth_year=2000) == 26
    assert age_on(dt.date(2026, 1, 1)) is None
    assert not is_minor_on(dt.date(2026, 1, 1))


def test_minor_on_the_event_date_not_today():
    born = dt.date(2008, 6, 1)
    assert is_minor_on(dt.date(2025, 1, 1), birth_date=born)
    assert not is_minor_on(dt.date(2026, 6, 1), birth_date=born)


def test_bands():
    assert [age_band(a) for a in (None, 0, 17, 18, 59, 60, 99)] == ["", "0-17", "0-17", "18-59", "18-59", "60+", "60+"]
    assert age_band(13, CHILD_BANDS) == "12-17"

"""Kazakh, Russian and English dates and numbers (Django ships no Kazakh formats; Babel's CLDR data does)."""

from datetime import UTC, date, datetime

from django.utils import translation

from koshiqon.web.templatetags.kz import kzdate, kzdatetime, kznumber

DAY = date(2026, 11, 24)


def test_kazakh_dates_put_the_year_first_with_the_kazakh_month_name():
    with translation.override("kk"):
        assert kzdate(DAY) == "2026\u202fж. 24 қараша"
        assert kzdate(DAY, "medium") == "2026\u202fж. 24 қар."


def test_russian_and_english_dates_follow_their_own_order():
    with translation.override("ru"):
        assert kzdate(DAY) == "24 ноября 2026\u202fг."
    with translation.override("en"):
        assert kzdate(DAY) == "November 24, 2026"


def test_a_moment_is_shown_in_almaty_time():
    late_utc = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)  # already the 25th in Almaty (UTC+5)
    with translation.override("en"):
        assert kzdate(late_utc) == "November 25, 2026"
        assert "1:30" in kzdatetime(late_utc)


def test_numbers_are_grouped_the_kazakh_way():
    with translation.override("kk"):
        assert kznumber(1234567.5) == "1\xa0234\xa0567,5"
    with translation.override("en"):
        assert kznumber(1234567.5) == "1,234,567.5"


def test_empty_values_show_nothing():
    assert kzdate(None) == "" and kznumber(None) == "" and kzdatetime("") == ""

"""Working-day arithmetic over Kazakhstan's holidays and the government's transfers of days off."""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koshiqon.core.domain.calendar import WorkCalendar, kazakhstan_calendar

# Government transfers of days off, (worked weekend day, rested weekday):
# 2024: Saturday 4 May worked so that Wednesday 8 May (between 7 and 9 May) is rested;
# 2025: Sunday 5 January worked so that Friday 3 January (after New Year) is rested.
TRANSFERS = [(date(2024, 5, 4), date(2024, 5, 8)), (date(2025, 1, 5), date(2025, 1, 3))]

KZ = kazakhstan_calendar(years=[2024, 2025], transfers=TRANSFERS)


def test_new_year_2025_and_the_day_moved_from_sunday_are_days_off():
    for day in (date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 3), date(2025, 1, 4)):
        assert not KZ.is_working_day(day), day
    assert not KZ.is_working_day(date(2025, 1, 7))  # Orthodox Christmas


def test_the_sunday_a_day_off_was_moved_from_is_a_working_day():
    assert date(2025, 1, 5).weekday() == 6
    assert KZ.is_working_day(date(2025, 1, 5))


def test_it_counts_through_new_year_onto_the_worked_sunday():
    assert KZ.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 5)
    assert KZ.add_working_days(date(2024, 12, 31), 2) == date(2025, 1, 6)
    assert KZ.add_working_days(date(2024, 12, 31), 3) == date(2025, 1, 8)


def test_without_the_transfer_the_sunday_is_rested_and_the_count_skips_it():
    bare = kazakhstan_calendar()
    assert not bare.is_working_day(date(2025, 1, 5))
    assert bare.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 6)


def test_nauryz_2025_rests_from_21_to_25_march():
    for day in range(21, 26):
        assert not KZ.is_working_day(date(2025, 3, day)), day
    assert KZ.is_working_day(date(2025, 3, 20))
    assert KZ.is_working_day(date(2025, 3, 26))


def test_a_deadline_counted_over_nauryz_skips_the_holiday():
    assert KZ.add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)
    # A commission's 3 working days from Wednesday 19 March 2025: 20, 26, 27 March.
    assert KZ.add_working_days(date(2025, 3, 19), 3) == date(2025, 3, 27)
    assert KZ.working_days_between(date(2025, 3, 19), date(2025, 3, 27)) == 3


def test_a_worked_saturday_counts_and_the_day_it_frees_does_not():
    assert KZ.is_working_day(date(2024, 5, 4))
    assert not KZ.is_working_day(date(2024, 5, 8))
    assert KZ.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    # 7 May Defender's Day, 8 May transferred day off, 9 May Victory Day.
    assert KZ.add_working_days(date(2024, 5, 6), 1) == date(2024, 5, 10)


def test_zero_working_days_is_the_same_day_when_it_is_worked_else_the_next_working_day():
    assert KZ.add_working_days(date(2025, 3, 20), 0) == date(2025, 3, 20)
    assert KZ.add_working_days(date(2025, 3, 22), 0) == date(2025, 3, 26)
    assert KZ.add_working_days(date(2025, 1, 4), 0) == date(2025, 1, 5)


def test_negative_working_days_count_backwards_over_holidays_and_transfers():
    assert KZ.add_working_days(date(2025, 3, 26), -1) == date(2025, 3, 20)
    assert KZ.add_working_days(date(2025, 1, 6), -1) == date(2025, 1, 5)
    assert KZ.add_working_days(date(2025, 1, 6), -2) == date(2024, 12, 31)


def test_working_days_between_is_negative_when_the_end_comes_first_and_zero_for_one_day():
    assert KZ.working_days_between(date(2025, 3, 27), date(2025, 3, 19)) == -3
    assert KZ.working_days_between(date(2025, 3, 20), date(2025, 3, 20)) == 0
    assert KZ.working_days_between(date(2025, 3, 20), date(2025, 3, 25)) == 0


def test_calendar_days_include_holidays_unless_the_deadline_rolls_forward():
    assert KZ.add_calendar_days(date(2025, 3, 11), 10) == date(2025, 3, 21)
    assert KZ.add_calendar_days(date(2025, 3, 11), 10, roll_forward=True) == date(2025, 3, 26)
    assert KZ.add_calendar_days(date(2025, 3, 11), 9, roll_forward=True) == date(2025, 3, 20)
    assert KZ.add_calendar_days(date(2025, 3, 26), -15) == date(2025, 3, 11)


def test_it_answers_for_years_it_was_not_built_with():
    assert not KZ.is_working_day(date(2031, 1, 1))
    # Nauryz was one day until 2009: Saturday 22 March 2008, rested on Monday 24 March.
    assert KZ.is_working_day(date(2008, 3, 21))
    assert not KZ.is_working_day(date(2008, 3, 24))


def test_holidays_of_a_year_are_built_once_when_first_needed():
    calls: list[int] = []

    def year_holidays(year: int) -> list[date]:
        calls.append(year)
        return [date(year, 1, 1)]

    cal = WorkCalendar(holidays_for_year=year_holidays)
    assert calls == []
    assert not cal.is_working_day(date(2030, 1, 1))
    assert cal.is_working_day(date(2030, 1, 2))
    cal.add_working_days(date(2030, 6, 3), 5)
    assert calls == [2030]
    assert not cal.is_working_day(date(2041, 1, 1))
    assert calls == [2030, 2041]


def test_a_calendar_takes_holidays_as_dates_or_as_named_dates():
    as_dates = WorkCalendar([date(2025, 6, 6)])
    as_names = WorkCalendar({date(2025, 6, 6): "Kurban ait"})
    for cal in (as_dates, as_names):
        assert not cal.is_working_day(date(2025, 6, 6))
        assert cal.add_working_days(date(2025, 6, 5), 1) == date(2025, 6, 9)


def test_a_transfer_wins_over_a_holiday_on_the_same_day():
    cal = WorkCalendar([date(2025, 1, 4)], [(date(2025, 1, 4), date(2025, 1, 6))])
    assert cal.is_working_day(date(2025, 1, 4))
    assert not cal.is_working_day(date(2025, 1, 6))


def test_it_refuses_a_transfer_onto_the_same_day_or_a_day_both_worked_and_rested():
    with pytest.raises(ValueError, match="another day"):
        WorkCalendar([], [(date(2025, 1, 4), date(2025, 1, 4))])
    with pytest.raises(ValueError, match="both worked and rested"):
        WorkCalendar([], [(date(2025, 1, 4), date(2025, 1, 6)), (date(2025, 1, 11), date(2025, 1, 4))])


# --- properties --------------------------------------------------------------------------------------------

_WORKED = {working for working, _ in TRANSFERS}
_RESTED = {off for _, off in TRANSFERS}
_PUBLIC = holidays.country_holidays("KZ", years=range(1999, 2037))


def _oracle(d: date) -> bool:
    """Working day by the rule as the law states it, computed without WorkCalendar."""
    return d in _WORKED or (d not in _RESTED and d.weekday() < 5 and d not in _PUBLIC)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


@settings(max_examples=300, deadline=None)
@given(d=days, n=st.integers(min_value=1, max_value=60))
def test_a_deadline_never_lands_on_a_day_off_and_has_exactly_n_working_days_before_it(d, n):
    result = KZ.add_working_days(d, n)
    assert result > d
    if result.weekday() >= 5 or result in _PUBLIC:
        assert result in _WORKED
    assert _oracle(result)
    in_between = sum(_oracle(d + timedelta(days=i)) for i in range(1, (result - d).days + 1))
    assert in_between == n
    assert KZ.working_days_between(d, result) == n


@settings(max_examples=200, deadline=None)
@given(d=days, n=st.integers(min_value=-60, max_value=60))
def test_counting_back_undoes_counting_forward_from_a_working_day(d, n):
    start = KZ.add_working_days(d, 0)
    assert KZ.is_working_day(start)
    assert KZ.add_working_days(KZ.add_working_days(start, n), -n) == start


@settings(max_examples=200, deadline=None)
@given(d=days)
def test_the_calendar_agrees_with_the_rule_on_every_day(d):
    assert KZ.is_working_day(d) == _oracle(d)

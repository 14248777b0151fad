"""Permit terms: decision deadlines, validity, extension windows and limits, seasonal fees, household permits."""

from datetime import date, timedelta

import pytest

from koshiqon.core.domain.calendar import WorkCalendar, kazakhstan_calendar
from koshiqon.labour.domain import terms

KZ = kazakhstan_calendar()


def test_a_decision_is_due_seven_working_days_after_the_application():
    # Monday 2 Feb 2026: seven working days later, skipping one weekend, is Wednesday 11 Feb.
    assert terms.decision_due(date(2026, 2, 2), KZ) == date(2026, 2, 11)


def test_the_decision_deadline_skips_holidays_of_the_calendar_passed_in():
    plain = WorkCalendar()
    with_holiday = WorkCalendar(holidays=[date(2026, 2, 4)])
    assert terms.decision_due(date(2026, 2, 2), plain) == date(2026, 2, 11)
    assert terms.decision_due(date(2026, 2, 2), with_holiday) == date(2026, 2, 12)


def test_an_extension_is_decided_within_three_working_days():
    assert terms.extension_decision_due(date(2026, 2, 5), WorkCalendar()) == date(2026, 2, 10)


@pytest.mark.parametrize(("category", "ict", "months"), [
    ("1", False, 36), ("2", False, 12), ("3", False, 12), ("4", False, 12), ("seasonal", False, 12),
    ("3", True, 36),
])
def test_the_longest_permit_depends_on_the_category_and_ict(category, ict, months):
    assert terms.max_validity_months(category, ict=ict) == months


def test_a_standard_permit_lasts_twelve_months_the_day_of_issue_included():
    assert terms.permit_valid_until(date(2026, 3, 1), "3") == date(2027, 2, 28)
    assert terms.permit_valid_until(date(2027, 3, 1), "2") == date(2028, 2, 29)


def test_a_category_one_permit_may_last_three_years_but_a_category_two_permit_may_not():
    assert terms.permit_valid_until(date(2026, 1, 15), "1", months=36) == date(2029, 1, 14)
    with pytest.raises(ValueError):
        terms.permit_valid_until(date(2026, 1, 15), "2", months=13)


@pytest.mark.parametrize(("days_before_expiry", "allowed"), [(61, False), (60, True), (45, True), (30, True),
                                                             (29, False)])
def test_an_extension_is_requested_from_sixty_to_thirty_days_before_expiry(days_before_expiry, allowed):
    expires = date(2026, 12, 31)
    assert terms.in_extension_window(expires - timedelta(days=days_before_expiry), expires) is allowed


def test_the_extension_window_of_a_permit_expiring_on_31_december_2026():
    assert terms.extension_window(date(2026, 12, 31)) == (date(2026, 11, 1), date(2026, 12, 1))


@pytest.mark.parametrize(("category", "ict", "done", "allowed"), [
    ("2", False, 2, True), ("2", False, 3, False), ("3", False, 3, False),
    ("3", True, 0, True), ("3", True, 1, False),
    ("1", False, 10, True),  # no limit in the sources (L)
])
def test_categories_two_and_three_are_extended_at_most_three_times_and_ict_once(category, ict, done, allowed):
    assert terms.may_extend(category, done, ict=ict) is allowed


def test_an_ict_extension_lasts_one_year():
    assert terms.extension_months("2", ict=True) == 12


@pytest.mark.parametrize(("days", "fee"), [(1, 12), (90, 12), (91, 24), (180, 24), (181, 36), (270, 36),
                                           (271, 48), (365, 48)])
def test_the_seasonal_fee_follows_the_2021_scale(days, fee):
    assert terms.seasonal_fee_mci(days, date(2026, 5, 1)) == fee


def test_a_seasonal_fee_is_not_known_before_2021_nor_for_more_than_a_year():
    with pytest.raises(LookupError):
        terms.seasonal_fee_mci(90, date(2020, 12, 31))
    with pytest.raises(ValueError):
        terms.seasonal_fee_mci(366, date(2026, 5, 1))
    with pytest.raises(ValueError):
        terms.seasonal_fee_mci(0, date(2026, 5, 1))


@pytest.mark.parametrize(("months", "allowed"), [(0, False), (1, True), (12, True), (13, False)])
def test_a_household_permit_lasts_one_to_twelve_months(months, allowed):
    assert terms.household_months_allowed(months) is allowed


@pytest.mark.parametrize(("current", "allowed"), [(0, True), (4, True), (5, False), (6, False)])
def test_a_private_employer_may_have_at_most_five_household_migrants_so_the_sixth_is_refused(current, allowed):
    assert terms.household_employer_may_hire(current) is allowed


@pytest.mark.parametrize(("months", "on", "mci"), [
    (1, date(2014, 6, 1), 2), (12, date(2014, 6, 1), 24),
    (1, date(2025, 1, 1), 4), (3, date(2026, 12, 31), 12),
])
def test_the_household_advance_tax_is_charged_per_month_at_the_rate_of_the_year(months, on, mci):
    assert terms.household_advance_tax_mci(months, on) == mci


def test_the_household_advance_tax_must_be_configured_for_years_without_a_known_rate():
    with pytest.raises(LookupError):
        terms.household_advance_tax_mci(1, date(2019, 6, 1))

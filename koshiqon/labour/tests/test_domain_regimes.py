"""Regimes of the labour-market test and permit categories by date, on their boundary dates."""

from datetime import date

import pytest

from koshiqon.labour.domain.regimes import REGIMES, LabourTest, categories_on, regime_on

OLD_CATEGORIES = ("1+2", "3", "4-seasonal")
NEW_CATEGORIES = ("1", "2", "3", "4", "seasonal", "ict")


@pytest.mark.parametrize(("day", "test"), [
    (date(2008, 6, 1), LabourTest.ADVERTISE),
    (date(2011, 12, 31), LabourTest.ADVERTISE),
    (date(2012, 1, 1), LabourTest.ADVERTISE),  # the gap: the 2008 rules stay in force (ADR in regimes.py)
    (date(2012, 3, 11), LabourTest.ADVERTISE),
    (date(2012, 3, 12), LabourTest.NOTIFY),
    (date(2025, 8, 31), LabourTest.NOTIFY),
    (date(2025, 9, 1), LabourTest.EXCHANGE),
    (date(2026, 11, 24), LabourTest.EXCHANGE),
])
def test_the_regime_in_force_changes_exactly_on_its_boundary_dates(day, test):
    assert regime_on(day).code is test


def test_there_is_no_regime_before_the_first_of_june_2008():
    with pytest.raises(LookupError):
        regime_on(date(2008, 5, 31))


@pytest.mark.parametrize(("day", "categories"), [
    (date(2007, 1, 1), OLD_CATEGORIES),
    (date(2011, 12, 31), OLD_CATEGORIES),
    (date(2012, 3, 11), OLD_CATEGORIES),
    (date(2012, 3, 12), NEW_CATEGORIES),
    (date(2026, 1, 1), NEW_CATEGORIES),
])
def test_the_categories_in_force_change_on_the_twelfth_of_march_2012(day, categories):
    assert categories_on(day) == categories


def test_there_are_no_categories_before_2007():
    with pytest.raises(LookupError):
        categories_on(date(2006, 12, 31))


def test_the_regimes_follow_each_other_without_a_gap_or_an_overlap():
    for before, after in zip(REGIMES, REGIMES[1:], strict=False):
        assert before.valid_to is not None
        assert (after.valid_from - before.valid_to).days == 1
    assert REGIMES[-1].valid_to is None


def test_only_the_2025_regime_requires_a_posting_of_fifteen_days_and_automatic_checks():
    assert [(r.min_posting_days, r.automatic_checks) for r in REGIMES] == [(None, False), (None, False), (15, True)]


def test_citizen_share_conditions_exist_from_2012_only():
    assert regime_on(date(2011, 6, 1)).citizen_share_min == {}
    assert regime_on(date(2012, 3, 12)).citizen_share_min == {"1": (70, 100), "2": (70, 100), "3": (90, 100),
                                                             "4": (90, 100)}

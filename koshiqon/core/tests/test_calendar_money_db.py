"""The core's calendar and MCI conversion, reading the DayTransfer and MciRate tables."""

from datetime import date

import pytest

from koshiqon.core import calendar, money
from koshiqon.core.models import DayTransfer, MciRate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    # The caches live for the process; each test sees only its own rows.
    calendar.calendar_reset()
    money.money_reset()
    yield
    calendar.calendar_reset()
    money.money_reset()


@pytest.fixture
def new_year_2025_transfer():
    DayTransfer.objects.create(
        working_day=date(2025, 1, 5), day_off=date(2025, 1, 3), legal_basis="Government resolution of 2024"
    )


@pytest.fixture
def mci_rates():
    for valid_from, tenge in [
        (date(2009, 1, 1), 1273),
        (date(2009, 7, 1), 1296),
        (date(2020, 1, 1), 2651),
        (date(2020, 4, 1), 2778),
        (date(2025, 1, 1), 3932),
        (date(2026, 1, 1), 4325),
    ]:
        MciRate.objects.create(valid_from=valid_from, tenge=tenge, confidence="H")


def test_a_stored_transfer_makes_its_sunday_a_working_day(new_year_2025_transfer):
    assert calendar.is_working_day(date(2025, 1, 5))
    assert not calendar.is_working_day(date(2025, 1, 3))
    assert calendar.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 5)
    assert calendar.add_working_days(date(2025, 1, 6), -1) == date(2025, 1, 5)
    assert calendar.working_days_between(date(2024, 12, 31), date(2025, 1, 8)) == 3


def test_nauryz_2025_is_skipped_by_the_stored_calendar():
    assert calendar.add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)
    assert calendar.add_calendar_days(date(2025, 3, 11), 10, roll_forward=True) == date(2025, 3, 26)


def test_the_calendar_keeps_its_transfers_until_it_is_reset():
    assert not calendar.is_working_day(date(2025, 1, 5))
    DayTransfer.objects.create(working_day=date(2025, 1, 5), day_off=date(2025, 1, 3))
    assert not calendar.is_working_day(date(2025, 1, 5))
    calendar.calendar_reset()
    assert calendar.is_working_day(date(2025, 1, 5))


def test_the_mci_is_read_from_the_table_at_change_dates(mci_rates):
    assert money.mci_on(date(2009, 6, 30)) == 1273
    assert money.mci_on(date(2009, 7, 1)) == 1296
    assert money.mci_on(date(2020, 3, 31)) == 2651
    assert money.mci_on(date(2020, 4, 1)) == 2778
    assert money.mci_on(date(2026, 1, 1)) == 4325


def test_a_70_mci_subsidy_and_a_fraction_convert_at_the_mci_of_the_date(mci_rates):
    assert money.mci_to_tenge(70, on=date(2025, 12, 31)) == 275_240
    assert money.mci_to_tenge(70, on=date(2026, 1, 1)) == 302_750
    assert money.mci_to_tenge("0.5", on=date(2009, 6, 30)) == 637


def test_a_date_before_the_first_stored_mci_raises_no_rate(mci_rates):
    with pytest.raises(money.NoRateError, match="2009-01-01"):
        money.mci_to_tenge(1, on=date(2008, 12, 31))


def test_the_mci_table_is_kept_until_it_is_reset(mci_rates):
    assert money.mci_on(date(2027, 6, 1)) == 4325
    MciRate.objects.create(valid_from=date(2027, 1, 1), tenge=4600)
    assert money.mci_on(date(2027, 6, 1)) == 4325
    money.money_reset()
    assert money.mci_on(date(2027, 6, 1)) == 4600

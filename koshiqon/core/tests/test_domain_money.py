"""MCI values by date and conversion of MCI amounts to whole tenge."""

from datetime import date
from decimal import Decimal

import pytest

from koshiqon.core.domain.money import MciTable, NoRateError

# domain.md §0: the MCI, effective-dated.
MCI_ROWS = [
    (date(2007, 1, 1), 1092), (date(2008, 1, 1), 1168), (date(2009, 1, 1), 1273), (date(2009, 7, 1), 1296),
    (date(2010, 1, 1), 1413), (date(2011, 1, 1), 1512), (date(2012, 1, 1), 1618), (date(2013, 1, 1), 1731),
    (date(2014, 1, 1), 1852), (date(2015, 1, 1), 1982), (date(2016, 1, 1), 2121), (date(2017, 1, 1), 2269),
    (date(2018, 1, 1), 2405), (date(2019, 1, 1), 2525), (date(2020, 1, 1), 2651), (date(2020, 4, 1), 2778),
    (date(2021, 1, 1), 2917), (date(2022, 1, 1), 3063), (date(2022, 4, 1), 3180), (date(2023, 1, 1), 3450),
    (date(2024, 1, 1), 3692), (date(2025, 1, 1), 3932), (date(2026, 1, 1), 4325),
]  # fmt: skip

TABLE = MciTable(MCI_ROWS)


@pytest.mark.parametrize(
    ("day", "tenge"),
    [
        (date(2009, 6, 30), 1273),
        (date(2009, 7, 1), 1296),
        (date(2020, 3, 31), 2651),
        (date(2020, 4, 1), 2778),
        (date(2025, 12, 31), 3932),
        (date(2026, 1, 1), 4325),
        (date(2007, 1, 1), 1092),
        (date(2040, 6, 1), 4325),
    ],
)
def test_the_mci_in_force_changes_on_the_first_day_of_a_new_value(day, tenge):
    assert TABLE.rate_on(day) == tenge


def test_it_knows_from_when_the_value_in_force_applies():
    assert TABLE.valid_from_on(date(2020, 6, 15)) == date(2020, 4, 1)


def test_a_70_mci_relocation_subsidy_is_worth_the_mci_of_its_date():
    assert TABLE.mci_to_tenge(70, date(2025, 6, 1)) == 275_240
    assert TABLE.mci_to_tenge(70, date(2026, 2, 1)) == 302_750
    assert TABLE.mci_to_tenge(70, date(2009, 6, 30)) == 89_110
    assert TABLE.mci_to_tenge(70, date(2009, 7, 1)) == 90_720


@pytest.mark.parametrize(
    ("amount", "day", "tenge"),
    [
        (Decimal("0.5"), date(2009, 3, 1), 637),  # 636.5 rounds half up
        ("1.5", date(2020, 2, 1), 3977),  # 3976.5
        ("0.1", date(2007, 5, 1), 109),  # 109.2
        ("0.25", date(2009, 8, 1), 324),  # exact
        (" 2.5 ", date(2026, 1, 1), 10_813),  # 10812.5
        (0, date(2026, 1, 1), 0),
    ],
)
def test_fractional_amounts_round_half_up_to_whole_tenge(amount, day, tenge):
    assert TABLE.mci_to_tenge(amount, day) == tenge


def test_before_the_first_value_there_is_no_rate_and_the_error_says_where_the_table_starts():
    with pytest.raises(NoRateError, match="2007-01-01") as caught:
        TABLE.rate_on(date(2006, 12, 31))
    assert caught.value.on == date(2006, 12, 31)
    with pytest.raises(NoRateError):
        TABLE.mci_to_tenge(1, date(2006, 12, 31))


def test_an_empty_table_has_no_rate_on_any_day():
    with pytest.raises(NoRateError, match="empty"):
        MciTable([]).rate_on(date(2026, 1, 1))


def test_rows_may_come_in_any_order_and_repeat_identically():
    table = MciTable(list(reversed(MCI_ROWS)) + [(date(2020, 4, 1), 2778)])
    assert table.rate_on(date(2020, 4, 1)) == 2778
    assert len(table) == len(MCI_ROWS)


def test_it_refuses_two_different_values_from_the_same_day_and_non_positive_values():
    with pytest.raises(ValueError, match="two MCI values"):
        MciTable([(date(2020, 4, 1), 2778), (date(2020, 4, 1), 2651)])
    with pytest.raises(ValueError, match="positive"):
        MciTable([(date(2020, 4, 1), 0)])


@pytest.mark.parametrize("amount", ["-1", Decimal("NaN"), "Infinity", "seventy", ""])
def test_it_refuses_amounts_that_are_not_a_finite_non_negative_number(amount):
    with pytest.raises(ValueError):
        TABLE.mci_to_tenge(amount, date(2026, 1, 1))


def test_it_refuses_floats_because_they_cannot_hold_a_tenth_exactly():
    with pytest.raises(TypeError):
        TABLE.mci_to_tenge(0.1, date(2026, 1, 1))  # type: ignore[arg-type]

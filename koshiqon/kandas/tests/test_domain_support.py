"""Support entitlements of a family inside the quota (domain.md §8), in MCI and in tenge."""

from decimal import Decimal

import pytest

from koshiqon.kandas.domain.support import (
    EMPLOYER,
    HOUSING_CERTIFICATE,
    RELOCATION,
    RENT,
    SupportParameters,
    entitlements,
    family_total_tenge,
    in_tenge,
    mci_in_tenge,
)

SUPPORT_2025 = {
    "relocation_mci_per_member": 70,
    "rent_mci_per_month_min": 15,
    "rent_mci_per_month_max": 30,
    "rent_months": 12,
    "employer_mci": 400,
    "housing_certificate_cap_mci": 1160,
}


def params(**changes) -> SupportParameters:
    return SupportParameters.from_mapping({**SUPPORT_2025, **changes})


def by_code(items):
    return {item.code: item for item in items}


def test_the_relocation_subsidy_is_70_mci_per_family_member():
    items = by_code(entitlements(params(), family_size=4))
    assert items[RELOCATION].mci == 280
    assert (items[RELOCATION].quantity, items[RELOCATION].rate_mci) == (4, 70)


def test_the_2019_relocation_subsidy_of_35_mci_is_read_from_the_version():
    assert by_code(entitlements(params(relocation_mci_per_member=35), family_size=3))[RELOCATION].mci == 105


def test_a_small_family_gets_the_bottom_of_the_rent_range_for_twelve_months():
    rent = by_code(entitlements(params(), family_size=4))[RENT]
    assert (rent.mci, rent.rate_mci, rent.quantity) == (180, 15, 12)


def test_a_family_of_five_gets_the_top_of_the_rent_range():
    rent = by_code(entitlements(params(), family_size=5))[RENT]
    assert (rent.mci, rent.rate_mci) == (360, 30)


def test_the_large_family_threshold_is_a_parameter_of_the_version():
    rent = by_code(entitlements(params(large_family_size=3), family_size=3))[RENT]
    assert rent.rate_mci == 30


def test_the_employer_payment_goes_to_the_employer_and_the_housing_certificate_is_a_ceiling():
    items = by_code(entitlements(params(), family_size=2))
    assert (items[EMPLOYER].mci, items[EMPLOYER].payee) == (400, "employer")
    assert items[HOUSING_CERTIFICATE].mci == 1160
    assert items[HOUSING_CERTIFICATE].is_ceiling and not items[RELOCATION].is_ceiling


def test_the_2026_housing_certificate_cap_is_1625_mci():
    assert by_code(entitlements(params(housing_certificate_cap_mci=1625), family_size=1))[HOUSING_CERTIFICATE].mci == 1625


def test_a_version_without_a_housing_certificate_has_no_such_item():
    support = dict(SUPPORT_2025)
    del support["housing_certificate_cap_mci"]
    assert HOUSING_CERTIFICATE not in by_code(entitlements(SupportParameters.from_mapping(support), family_size=2))


def test_an_item_of_zero_mci_is_left_out():
    assert EMPLOYER not in by_code(entitlements(params(employer_mci=0), family_size=2))


@pytest.mark.parametrize(("mci_value", "tenge"), [(3932, 1_100_960), (4325, 1_211_000)])
def test_the_relocation_subsidy_in_tenge_follows_the_mci_value(mci_value, tenge):
    lines = by_code(in_tenge(entitlements(params(), family_size=4), mci_value))
    assert lines[RELOCATION].tenge == tenge


def test_half_a_tenge_is_rounded_up():
    assert mci_in_tenge(Decimal("0.5"), 3) == 2
    assert mci_in_tenge("0.1", 4325) == 433


def test_the_family_total_leaves_out_the_employer_and_the_certificate_ceiling():
    lines = in_tenge(entitlements(params(), family_size=4), 4325)
    assert family_total_tenge(lines) == (280 + 180) * 4325


def test_a_family_needs_at_least_one_member():
    with pytest.raises(ValueError):
        entitlements(params(), family_size=0)


def test_a_rent_range_upside_down_is_refused():
    with pytest.raises(ValueError):
        params(rent_mci_per_month_min=30, rent_mci_per_month_max=15)


def test_a_zero_or_fractional_mci_value_is_refused():
    with pytest.raises(ValueError):
        mci_in_tenge(10, 0)
    with pytest.raises(ValueError):
        mci_in_tenge(10, 4325.0)

"""The split of a year's quota by region and category, the categories of each year, components as people
write them, and when places may move between regions."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koshiqon.labour.domain.quota_split import (
    Component,
    ComponentError,
    format_share,
    national_places,
    parse_component,
    quota_categories,
    redistribution_problems,
    regional_split,
    split_largest_remainder,
    used_percent,
)

WEIGHTS = st.dictionaries(st.from_regex(r"KZ-\d{2}", fullmatch=True), st.integers(0, 2_000_000), min_size=1,
                          max_size=20)


@given(total=st.integers(0, 100_000), weights=WEIGHTS)
def test_a_split_always_adds_up_exactly_and_stays_within_one_place_of_the_exact_share(total, weights):
    if not sum(weights.values()):
        weights = {**weights, "KZ-99": 1}
    parts = split_largest_remainder(total, weights)
    assert sum(parts.values()) == total
    assert set(parts) == set(weights)
    whole = sum(weights.values())
    for key, part in parts.items():
        exact = Decimal(total) * weights[key] / whole
        assert part >= 0
        assert exact - 1 < part < exact + 1
        if weights[key] == 0:
            assert part == 0


@given(total=st.integers(0, 10_000), weights=WEIGHTS)
def test_a_split_does_not_depend_on_the_order_the_regions_are_given_in(total, weights):
    if not sum(weights.values()):
        return
    forward = split_largest_remainder(total, weights)
    backward = split_largest_remainder(total, dict(reversed(list(weights.items()))))
    assert forward == backward


def test_the_places_left_over_go_to_the_largest_remainders_then_the_larger_labour_force():
    assert split_largest_remainder(10, {"A": 1, "B": 1, "C": 1}) == {"A": 4, "B": 3, "C": 3}
    assert split_largest_remainder(7, {"A": 50, "B": 30, "C": 20}) == {"A": 4, "B": 2, "C": 1}
    assert split_largest_remainder(1, {"KZ-11": 3, "KZ-55": 5}) == {"KZ-11": 0, "KZ-55": 1}


def test_nothing_can_be_split_over_regions_without_a_labour_force():
    with pytest.raises(ValueError):
        split_largest_remainder(5, {"A": 0, "B": 0})
    assert split_largest_remainder(0, {"A": 0}) == {"A": 0}
    with pytest.raises(ValueError):
        split_largest_remainder(-1, {"A": 1})


def test_each_category_is_split_on_its_own_and_a_tie_goes_to_the_larger_labour_force():
    split = regional_split({"1": 726, "seasonal": 4994}, {"KZ-55": 1, "KZ-75": 3})
    # 181.5 and 544.5, 1248.5 and 3745.5: equal remainders, so the larger labour force gets the place.
    assert split == {"1": {"KZ-55": 181, "KZ-75": 545}, "seasonal": {"KZ-55": 1248, "KZ-75": 3746}}


@pytest.mark.parametrize(("year", "categories"), [
    (2007, ("1+2", "3", "4-seasonal")),
    (2009, ("1+2", "3", "4-seasonal")),
    (2011, ("1+2", "3", "4-seasonal")),
    (2012, ("1", "2", "3", "4", "seasonal")),
    (2026, ("1", "2", "3", "4", "seasonal")),
])
def test_a_year_s_quota_has_the_categories_of_its_time_without_intra_corporate_transfers(year, categories):
    assert quota_categories(year) == categories


def test_no_categories_are_known_before_2007():
    with pytest.raises(LookupError):
        quota_categories(2006)


@pytest.mark.parametrize(("text", "component"), [
    ("726", Component(permits=726)),
    ("3 402", Component(permits=3402)),
    ("0.35%", Component(share=Decimal("0.0035"))),
    ("0,05 %", Component(share=Decimal("0.0005"))),
])
def test_a_component_is_a_number_of_permits_or_a_share_with_a_per_cent_sign(text, component):
    assert parse_component(text) == component


@pytest.mark.parametrize(("text", "code"), [("", "empty"), ("abc", "format"), ("1.5", "format"), ("120%", "share"),
                                            ("-3", "negative"), ("x%", "format"), ("٣", "format")])
def test_a_component_that_cannot_be_read_says_why(text, code):
    with pytest.raises(ComponentError) as caught:
        parse_component(text)
    assert caught.value.code == code


def test_a_share_becomes_whole_permits_rounded_down():
    assert national_places(Component(share=Decimal("0.0035")), 8_404_800) == 29_416
    assert national_places(Component(permits=726), 8_404_800) == 726
    assert format_share(Decimal("0.0075")) == "0.75%"


def test_utilisation_is_in_per_cent_with_one_decimal():
    assert used_percent(1, 3) == Decimal("33.3")
    assert used_percent(2, 3) == Decimal("66.7")
    assert used_percent(0, 0) == Decimal(0)


def test_places_move_only_between_two_regions_and_only_when_unused():
    assert redistribution_problems(places=5, from_region="KZ-55", to_region="KZ-75", from_left=5) == []
    assert redistribution_problems(places=6, from_region="KZ-55", to_region="KZ-75", from_left=5) == ["not_enough"]
    assert redistribution_problems(places=0, from_region="KZ-55", to_region="KZ-55", from_left=5) == [
        "places", "same_region"]

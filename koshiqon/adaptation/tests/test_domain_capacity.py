"""Beds over time: a stay holds a bed from check-in up to (not including) check-out; the peak from a day on
decides whether more persons fit."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koshiqon.adaptation.domain.capacity import (
    Occupancy,
    Period,
    fits,
    free_beds,
    occupancy_on,
    peak_from,
    person_is_staying,
    room_from,
)

D = date(2026, 3, 1)


def d(n: int) -> date:
    return date(2026, 3, n)


@pytest.mark.parametrize(("periods", "day", "expected"), [
    ([], d(1), 0),
    ([Period(d(1))], d(1), 1),
    ([Period(d(1), d(5))], d(4), 1),
    ([Period(d(1), d(5))], d(5), 0),  # the check-out day frees the bed
    ([Period(d(2))], d(1), 0),
    ([Period(d(1)), Period(d(1), d(3)), Period(d(3))], d(3), 2),
])
def test_occupancy_counts_the_persons_staying_that_night(periods, day, expected):
    assert occupancy_on(periods, day) == expected


@pytest.mark.parametrize(("periods", "start", "expected"), [
    ([], d(1), 0),
    ([Period(d(1), d(5)), Period(d(3), d(8))], d(1), 2),
    ([Period(d(1), d(5)), Period(d(5), d(8))], d(1), 1),  # leaving on the 5th, arriving on the 5th: one bed
    ([Period(d(1), d(5)), Period(d(3), d(8))], d(6), 1),
    ([Period(d(1), d(2)), Period(d(10))], d(3), 1),
    ([Period(d(1), d(3)), Period(d(2), d(4)), Period(d(2))], d(1), 3),
])
def test_the_peak_from_a_day_is_the_fullest_night_from_then_on(periods, start, expected):
    assert peak_from(periods, start) == expected


def test_a_late_check_in_is_checked_against_every_night_since_it_happened():
    # 2 beds; a past stay from the 2nd to the 6th and one from the 4th still open: on the 4th and 5th both
    # beds were taken, so a check-in written down now as of the 3rd does not fit, though one bed is free today.
    periods = [Period(d(2), d(6)), Period(d(4))]
    assert free_beds(2, periods, d(7)) == 1
    assert not fits(beds=2, periods=periods, start=d(3), persons=1)
    assert fits(beds=2, periods=periods, start=d(6), persons=1)


@pytest.mark.parametrize(("beds", "persons", "fit"), [(3, 1, True), (3, 2, True), (3, 3, False), (0, 1, False)])
def test_a_group_fits_only_whole(beds, persons, fit):
    periods = [Period(d(1))]
    assert fits(beds=beds, periods=periods, start=d(2), persons=persons) is fit
    assert room_from(beds, periods, d(2)) == max(beds - 1, 0)


def test_a_person_still_staying_cannot_check_in_twice():
    assert person_is_staying([Period(d(1))], d(9))
    assert person_is_staying([Period(d(1), d(5))], d(4))
    assert not person_is_staying([Period(d(1), d(5))], d(5))


def test_occupancy_shares_and_beds_cut_below_it():
    assert Occupancy(20, 5).percent == 25.0 and Occupancy(20, 5).free == 15
    assert Occupancy(4, 6).free == 0 and Occupancy(4, 6).over == 2
    assert Occupancy(0, 0).percent == 0.0


periods_strategy = st.lists(
    st.tuples(st.integers(0, 30), st.one_of(st.none(), st.integers(0, 30))).map(
        lambda t: Period(date.fromordinal(D.toordinal() + t[0]),
                         None if t[1] is None else date.fromordinal(D.toordinal() + t[0] + t[1]))),
    max_size=25,
)


@given(periods_strategy, st.integers(0, 40))
def test_the_peak_is_the_most_of_the_nights_counted_one_by_one(periods, offset):
    start = date.fromordinal(D.toordinal() + offset)
    nights = [occupancy_on(periods, date.fromordinal(start.toordinal() + k)) for k in range(70)]
    assert peak_from(periods, start) == max(nights)


@given(periods_strategy, st.integers(0, 40), st.integers(0, 30), st.integers(1, 5))
def test_persons_who_fit_never_make_a_night_exceed_the_beds(periods, offset, beds, persons):
    start = date.fromordinal(D.toordinal() + offset)
    if peak_from(periods, start) > beds:
        return  # beds already exceeded (cut after check-in): nobody more fits, checked below
    if fits(beds=beds, periods=periods, start=start, persons=persons):
        more = periods + [Period(start)] * persons
        assert all(occupancy_on(more, date.fromordinal(start.toordinal() + k)) <= beds for k in range(70))

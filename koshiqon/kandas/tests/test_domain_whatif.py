"""Comparing two rankings of the same applications: who enters and leaves the quota, and the intake shift."""

import pytest

from koshiqon.kandas.domain.whatif import Case, compare

CASES = [
    Case(1, "KZ-55", "6", "CN", 4),
    Case(2, "KZ-55", "3", "UZ", 6),
    Case(3, "KZ-11", "6", "MN", 2),
    Case(4, "KZ-11", "3", "UZ", 3),
    Case(5, "KZ-11", "", "", 1),
]
BEFORE = {1: "included", 2: "included", 3: "waitlisted", 4: "included", 5: "ineligible"}
AFTER = {1: "included", 2: "waitlisted", 3: "included", 4: "included", 5: "included"}


def shifts(rows):
    return {s.key: (s.families_before, s.families_after, s.persons_before, s.persons_after) for s in rows}


def test_it_lists_who_enters_and_who_leaves_the_quota():
    result = compare(CASES, BEFORE, AFTER)
    assert result.entering == (3, 5)
    assert result.leaving == (2,)
    assert result.staying == 2
    assert result.changed


def test_it_counts_families_and_persons_included_under_each_ranking():
    result = compare(CASES, BEFORE, AFTER)
    assert (result.families_before, result.families_after) == (3, 4)
    assert (result.persons_before, result.persons_after) == (13, 10)


def test_it_shows_the_intake_shift_by_region():
    by_region = shifts(compare(CASES, BEFORE, AFTER).by_region)
    assert by_region == {"KZ-55": (2, 1, 10, 4), "KZ-11": (1, 3, 3, 6)}


def test_it_shows_the_intake_shift_by_education_with_unknown_levels_apart():
    by_education = shifts(compare(CASES, BEFORE, AFTER).by_education)
    assert by_education == {"6": (1, 2, 4, 6), "3": (2, 1, 9, 3), "": (0, 1, 0, 1)}


def test_it_shows_the_intake_shift_by_origin_largest_change_first():
    result = compare(CASES, BEFORE, AFTER)
    assert shifts(result.by_origin) == {"CN": (1, 1, 4, 4), "UZ": (2, 1, 9, 3), "MN": (0, 1, 0, 2), "": (0, 1, 0, 1)}
    assert result.by_origin[0].key == "UZ"
    assert result.by_origin[0].persons_delta == -6


def test_entering_cases_follow_the_draft_rank_order():
    result = compare(CASES, BEFORE, AFTER, order_after={5: 1, 3: 2}, order_before={2: 1})
    assert result.entering == (5, 3)


def test_identical_rankings_change_nothing():
    result = compare(CASES, BEFORE, dict(BEFORE))
    assert not result.changed
    assert all(s.families_delta == 0 and s.persons_delta == 0 for s in result.by_region)


def test_a_case_missing_from_a_ranking_is_not_included_in_it():
    result = compare(CASES, BEFORE, {1: "included"})
    assert result.leaving == (2, 4)
    assert result.families_after == 1


def test_a_group_with_nobody_included_under_either_ranking_is_left_out():
    result = compare(CASES, {1: "included"}, {1: "included"})
    assert [s.key for s in result.by_region] == ["KZ-55"]


def test_the_same_case_twice_is_refused():
    with pytest.raises(ValueError):
        compare([Case(1, "KZ-55"), Case(1, "KZ-11")], {}, {})

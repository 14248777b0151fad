"""Ranking and filling regional quotas: order and tie-breaks, families and persons, skip-and-continue, regions
without a quota, ineligible applicants; and properties checked on random cases. No database."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koshiqon.kandas.domain.ranking import (
    INCLUDED,
    INELIGIBLE,
    WAITLISTED,
    Quota,
    fill_persons,
    rank,
)
from koshiqon.kandas.domain.scoring import Categorical


def run(applicants, quotas, eligible=None):
    """applicants: (id, region, applied_at, size, score) tuples."""
    ids, regions, at, sizes, scores = (np.array(c) for c in zip(*applicants, strict=True))
    ok = np.ones(len(ids), dtype=bool) if eligible is None else np.array(eligible)
    result = rank(ids, regions, at, sizes, scores.astype(float), ok, quotas)
    return dict(zip(ids.tolist(), result.rank.tolist(), strict=True)), dict(
        zip(ids.tolist(), result.decision_names().tolist(), strict=True)
    )


def test_a_higher_score_ranks_first():
    ranks, _ = run([(1, "KZ-55", 5, 1, 10.0), (2, "KZ-55", 1, 1, 30.0), (3, "KZ-55", 3, 1, 20.0)], {})
    assert ranks == {2: 1, 3: 2, 1: 3}


def test_a_tie_goes_to_the_earlier_application():
    ranks, _ = run([(1, "KZ-55", 50, 1, 10.0), (2, "KZ-55", 20, 1, 10.0)], {})
    assert ranks == {2: 1, 1: 2}


def test_a_tie_at_the_same_moment_goes_to_the_smaller_id():
    ranks, _ = run([(9, "KZ-55", 20, 1, 10.0), (3, "KZ-55", 20, 1, 10.0), (5, "KZ-55", 10, 1, 10.0)], {})
    assert ranks == {5: 1, 3: 2, 9: 3}


def test_text_ids_break_ties_in_text_order():
    ranks, _ = run([("B-2", "KZ-55", 1, 1, 5.0), ("A-9", "KZ-55", 1, 1, 5.0)], {})
    assert ranks == {"A-9": 1, "B-2": 2}


def test_text_ids_break_ties_among_applications_filed_at_the_same_moment():
    ranks, _ = run([("b", "KZ-55", 7, 1, 5.0), ("c", "KZ-55", 3, 1, 5.0), ("a", "KZ-55", 7, 1, 5.0),
                    ("d", "KZ-55", 9, 1, 6.0)], {})
    assert ranks == {"d": 1, "c": 2, "a": 3, "b": 4}


def test_regions_given_encoded_fill_the_same_quotas():
    regions = Categorical.encode(["KZ-75", "KZ-55", "KZ-55", "KZ-11"])
    result = rank(np.array([1, 2, 3, 4]), regions, np.array([1, 2, 3, 4]), np.array([2, 2, 2, 2]),
                  np.array([9.0, 8.0, 7.0, 6.0]), np.ones(4, dtype=bool),
                  {"KZ-55": (3, "persons"), "KZ-75": (1, "families")})
    assert result.decision_names().tolist() == ["included", "included", "waitlisted", "waitlisted"]


def test_date_times_order_applications_by_time():
    at = np.array(["2026-02-01T10:00", "2026-01-31T23:59"], dtype="datetime64[us]")
    result = rank(np.array([1, 2]), np.array(["KZ-55"] * 2), at, np.array([1, 1]), np.array([3.0, 3.0]),
                  np.array([True, True]), {})
    assert result.rank.tolist() == [2, 1]


def test_a_family_quota_admits_the_best_families_whatever_their_size():
    _, decisions = run([(1, "KZ-55", 1, 9, 30.0), (2, "KZ-55", 2, 1, 20.0), (3, "KZ-55", 3, 2, 10.0)],
                       {"KZ-55": (2, "families")})
    assert decisions == {1: "included", 2: "included", 3: "waitlisted"}


def test_a_person_quota_skips_a_large_family_and_admits_a_smaller_later_one():
    _, decisions = run(
        [(1, "KZ-55", 1, 4, 50.0), (2, "KZ-55", 2, 5, 40.0), (3, "KZ-55", 3, 2, 30.0), (4, "KZ-55", 4, 1, 20.0),
         (5, "KZ-55", 5, 1, 10.0)],
        {"KZ-55": Quota(7, "persons")},
    )
    assert decisions == {1: "included", 2: "waitlisted", 3: "included", 4: "included", 5: "waitlisted"}


def test_each_region_fills_its_own_quota_in_its_own_unit():
    _, decisions = run(
        [(1, "KZ-55", 1, 3, 50.0), (2, "KZ-75", 2, 3, 45.0), (3, "KZ-55", 3, 3, 40.0), (4, "KZ-75", 4, 3, 35.0)],
        {"KZ-55": (1, "families"), "KZ-75": (6, "persons")},
    )
    assert decisions == {1: "included", 2: "included", 3: "waitlisted", 4: "included"}


def test_a_region_without_a_quota_or_with_zero_admits_nobody():
    _, decisions = run([(1, "KZ-11", 1, 1, 50.0), (2, "KZ-75", 1, 1, 50.0)], {"KZ-75": (0, "persons")})
    assert decisions == {1: "waitlisted", 2: "waitlisted"}


def test_ineligible_applicants_take_no_place_in_the_quota_but_keep_their_rank():
    ranks, decisions = run([(1, "KZ-55", 1, 1, 50.0), (2, "KZ-55", 2, 1, 40.0)], {"KZ-55": (1, "families")},
                           eligible=[False, True])
    assert decisions == {1: "ineligible", 2: "included"}
    assert ranks == {1: 1, 2: 2}


def test_a_quota_in_an_unknown_unit_or_a_family_of_nobody_is_refused():
    with pytest.raises(ValueError):
        Quota(10, "households")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        run([(1, "KZ-55", 1, 1, 1.0)], {"KZ-55": (1, "households")})
    with pytest.raises(ValueError):
        run([(1, "KZ-55", 1, 0, 1.0)], {})


def test_nothing_to_rank_gives_nothing():
    empty = np.array([], dtype=np.int64)
    result = rank(empty, np.array([], dtype=np.str_), empty, empty, empty.astype(float), empty.astype(bool),
                  {"KZ-55": (5, "persons")})
    assert result.rank.size == 0 and result.decision.size == 0


def test_filling_persons_stops_as_soon_as_the_quota_is_exactly_used():
    assert fill_persons(np.array([2, 3, 1, 1]), 5).tolist() == [True, True, False, False]
    assert fill_persons(np.array([6, 6]), 5).tolist() == [False, False]


# ---- properties ------------------------------------------------------------------------------------------------

def reference_fill(sizes, quota, unit):
    """The rule read literally: one family after the other."""
    left, admitted = quota, []
    for size in sizes:
        need = 1 if unit == "families" else size
        admitted.append(need <= left)
        if need <= left:
            left -= need
    return admitted


REGIONS = ["KZ-55", "KZ-75", "KZ-11", "KZ-59"]


@st.composite
def cases(draw):
    n = draw(st.integers(0, 60))
    applicants = draw(st.lists(
        st.tuples(st.sampled_from(REGIONS), st.integers(0, 5), st.integers(1, 9), st.integers(0, 6), st.booleans()),
        min_size=n, max_size=n,
    ))
    ids = draw(st.permutations(list(range(1, n + 1)))) if n else []
    quotas = {
        region: (draw(st.integers(0, 25)), draw(st.sampled_from(["families", "persons"])))
        for region in REGIONS[:3] if draw(st.booleans())
    }
    # Whole-number scores take the 16-bit sort, others the general one; regions come as text or encoded.
    scale = draw(st.sampled_from([1.0, 2.5, -1.0]))
    return ids, applicants, quotas, scale, draw(st.booleans())


@settings(max_examples=250, deadline=None)
@given(cases())
def test_ranking_properties_hold_on_random_applications(case):
    ids, applicants, quotas, scale, encoded = case
    regions = np.array([a[0] for a in applicants], dtype=np.str_)
    at = np.array([a[1] for a in applicants], dtype=np.int64)
    sizes = np.array([a[2] for a in applicants], dtype=np.int64)
    scores = np.array([a[3] for a in applicants], dtype=np.float64) * scale
    eligible = np.array([a[4] for a in applicants], dtype=bool)
    given_regions = Categorical.encode(regions.tolist()) if encoded else regions
    result = rank(np.array(ids, dtype=np.int64), given_regions, at, sizes, scores, eligible, quotas)

    # Ranks are 1..n, ordered by score, then time, then id.
    assert sorted(result.rank.tolist()) == list(range(1, len(ids) + 1))
    by_rank = sorted(range(len(ids)), key=lambda i: result.rank[i])
    assert by_rank == sorted(range(len(ids)), key=lambda i: (-scores[i], at[i], ids[i]))
    # Ineligible: exactly those the caller marked.
    assert ((result.decision == INELIGIBLE) == ~eligible).all()
    for region in REGIONS:
        members = [i for i in by_rank if regions[i] == region and eligible[i]]
        included = [i for i in members if result.decision[i] == INCLUDED]
        amount, unit = quotas.get(region, (0, "families"))
        used = len(included) if unit == "families" else int(sizes[included].sum())
        # No region ever admits more than its quota.
        assert used <= amount
        # Every waitlisted family would not have fitted in what its betters left.
        for i in members:
            if result.decision[i] == WAITLISTED:
                before = [j for j in included if result.rank[j] < result.rank[i]]
                left = amount - (len(before) if unit == "families" else int(sizes[before].sum()))
                assert (1 if unit == "families" else sizes[i]) > left
        # And the fill is the rule read literally.
        expected = reference_fill([int(sizes[i]) for i in members], amount, unit)
        assert [result.decision[i] == INCLUDED for i in members] == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 12), max_size=80), st.integers(0, 120))
def test_filling_persons_is_the_one_by_one_rule_exactly(sizes, quota):
    assert fill_persons(np.array(sizes, dtype=np.int64), quota).tolist() == reference_fill(sizes, quota, "persons")

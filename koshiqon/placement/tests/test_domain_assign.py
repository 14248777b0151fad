"""The assignment solver against brute force on small batches, and its public API (ids in, ids out).

Brute force enumerates every assignment (each family in one of its allowed regions, or in none) and keeps the
best by the solver's own rule: as many families placed as possible, then the highest total score."""

import itertools
import math

import numpy as np
import pytest

from koshiqon.placement.domain.assign import Capacity, Family, Tuning, solve, solve_arrays


def brute_force(score, sizes, family_limit, person_limit):
    """(most families placed, best total score among assignments placing that many)."""
    n, regions = score.shape
    combos = np.array(list(itertools.product(range(-1, regions), repeat=n)), dtype=np.int64).reshape(-1, n)
    placed = combos >= 0
    allowed = np.ones(len(combos), dtype=bool)
    total = np.zeros(len(combos))
    for f in range(n):
        value = np.where(placed[:, f], score[f, np.maximum(combos[:, f], 0)], 0.0)
        allowed &= ~np.isnan(value)
        total += np.nan_to_num(value)
    for r in range(regions):
        here = combos == r
        allowed &= here.sum(axis=1) <= family_limit[r]
        allowed &= here @ sizes <= person_limit[r]
    counts = placed.sum(axis=1)
    best_count = counts[allowed].max()
    return int(best_count), float(total[allowed & (counts == best_count)].max())


def random_batch(seed, unit):
    rng = np.random.default_rng(seed)
    n, regions = int(rng.integers(1, 8)), int(rng.integers(1, 4))
    score = np.round(rng.random((n, regions)), 2)
    score[rng.random((n, regions)) < 0.3] = np.nan
    sizes = rng.integers(1, 6, n)
    no_limit = np.full(regions, np.inf)
    family_limit = rng.integers(0, 4, regions).astype(float) if unit in ("families", "both") else no_limit
    person_limit = rng.integers(0, 10, regions).astype(float) if unit in ("persons", "both") else no_limit
    if unit == "both":  # some regions count one way only
        family_limit[rng.random(regions) < 0.4] = np.inf
    return score, sizes, family_limit, person_limit


def check_limits(result, score, sizes, family_limit, person_limit):
    placed = result.region >= 0
    assert not np.isnan(score[placed, result.region[placed]]).any(), "a family was sent where it may not go"
    families = np.bincount(result.region[placed], minlength=score.shape[1])
    persons = np.bincount(result.region[placed], weights=sizes[placed], minlength=score.shape[1])
    assert (families <= family_limit).all() and (persons <= person_limit).all(), "a limit was exceeded"


@pytest.mark.parametrize("seed", range(60))
def test_with_family_limits_it_finds_the_best_assignment(seed):
    score, sizes, family_limit, person_limit = random_batch(seed, "families")
    result = solve_arrays(sizes, score, family_limit, person_limit)
    count, best = brute_force(score, sizes, family_limit, person_limit)
    check_limits(result, score, sizes, family_limit, person_limit)
    assert result.placed == count
    assert result.objective == pytest.approx(best, abs=1e-9)
    assert best - 1e-9 <= result.bound <= best + 1e-6
    assert result.method == "min-cost flow (OR-Tools)"


@pytest.mark.parametrize("unit", ["persons", "both"])
@pytest.mark.parametrize("seed", range(40))
def test_with_person_limits_it_is_within_a_thousandth_of_the_best_and_its_bound_holds(seed, unit):
    score, sizes, family_limit, person_limit = random_batch(1000 + seed, unit)
    result = solve_arrays(sizes, score, family_limit, person_limit)
    count, best = brute_force(score, sizes, family_limit, person_limit)
    check_limits(result, score, sizes, family_limit, person_limit)
    assert result.placed == count
    assert result.objective >= (1 - 0.001) * best - 1e-9
    assert result.bound >= best - 1e-6


@pytest.mark.parametrize("unit", ["families", "persons"])
def test_it_places_more_families_before_a_higher_score(unit):
    # One region with room for 2 (families or persons): the family of 2 scores far more than the two
    # families of 1 together, but placing two families comes first.
    score = np.array([[10.0], [1.0], [1.0]])
    limit = [np.inf] if unit == "persons" else [2.0]
    room = [2.0] if unit == "persons" else [np.inf]
    result = solve_arrays([2, 1, 1], score, limit, room)
    if unit == "persons":
        assert result.region.tolist() == [-1, 0, 0]
    else:
        assert result.placed == 2 and result.region[0] == 0  # two families, the best two


def test_a_family_is_placed_even_where_its_score_is_negative_or_zero():
    result = solve_arrays([1, 1], [[-0.5, np.nan], [0.0, np.nan]], [5, 5])
    assert result.region.tolist() == [0, 0]
    assert result.objective == -0.5


def test_a_family_without_an_allowed_region_is_not_placed():
    result = solve_arrays([3, 1], [[np.nan, np.nan], [0.2, 0.9]], [1, 1])
    assert result.region.tolist() == [-1, 1]


def test_an_empty_batch_is_solved():
    for person_limit in (None, [5.0]):
        result = solve_arrays(np.zeros(0), np.zeros((0, 1)), [3.0], person_limit)
        assert result.region.size == 0 and result.objective == 0 and result.bound == 0


def test_scores_with_many_decimals_keep_an_honest_bound():
    rng = np.random.default_rng(5)
    score = rng.random((300, 6)) * 7 - 1  # no short decimal form: the flow's costs are rounded
    result = solve_arrays(np.ones(300), score, [60, 40, 70, 50, 30, 80])
    assert result.placed == 300
    assert result.bound >= result.objective
    assert result.gap < 1e-6


@pytest.mark.parametrize("seed", range(8))
def test_the_sampled_flow_path_is_as_good_as_the_whole_flow(seed):
    # A small sample, a small free set and few rounds force the decomposition and its repairs.
    rng = np.random.default_rng(seed)
    n, regions = 400, 6
    score = np.round(rng.random((n, regions)), 2)
    score[rng.random((n, regions)) < 0.3] = np.nan
    limit = np.floor(rng.dirichlet(np.ones(regions)) * n * rng.uniform(0.8, 1.3))
    whole = solve_arrays(np.ones(n), score, limit, tuning=Tuning(flow_families=10**9))
    sampled = solve_arrays(np.ones(n), score, limit,
                           tuning=Tuning(sample=0.25, flow_families=int(rng.integers(5, 40)), rounds=seed % 3))
    assert (sampled.placed, sampled.objective) == (whole.placed, pytest.approx(whole.objective, abs=1e-9))
    assert sampled.bound == pytest.approx(whole.objective, abs=1e-6)


@pytest.mark.parametrize("seed", range(6))
def test_the_lp_path_keeps_the_limits_and_a_bound_above_the_exact_optimum(seed):
    rng = np.random.default_rng(100 + seed)
    n, regions = 150, 5
    score = np.round(rng.random((n, regions)), 2)
    score[rng.random((n, regions)) < 0.3] = np.nan
    sizes = rng.integers(1, 7, n)
    person_limit = np.floor(rng.dirichlet(np.ones(regions) * 3) * sizes.sum() * rng.uniform(0.8, 1.2))
    family_limit = np.where(rng.random(regions) < 0.3, np.floor(person_limit / 3), np.inf)
    exact = solve_arrays(sizes, score, family_limit, person_limit, tuning=Tuning(mip_families=10**6))
    lp = solve_arrays(sizes, score, family_limit, person_limit,
                      tuning=Tuning(mip_families=15, lp_families=int(rng.integers(10, 60)), sweeps=seed * 4))
    check_limits(lp, score, sizes, family_limit, person_limit)
    assert exact.method == "MIP (HiGHS)" and lp.method == "LP (HiGHS) + rounding"
    assert lp.objective <= exact.bound + 1e-6 or lp.placed < exact.placed
    if lp.placed <= exact.placed:
        assert lp.bound >= exact.objective - 1e-6


# ---- the API with ids ------------------------------------------------------------------------------------------

def test_solve_takes_ids_and_returns_ids():
    families = [Family("A", 4), Family("B", 2), Family("C", 5), Family("D", 1)]
    capacities = [Capacity("KZ-55", families=2, persons=6), Capacity("KZ-59", families=1), Capacity("KZ-11", persons=4)]
    scores = {("A", "KZ-55"): 0.62, ("A", "KZ-59"): 0.4, ("B", "KZ-55"): 0.55, ("B", "KZ-11"): 0.7,
              ("C", "KZ-59"): 0.81, ("C", "KZ-11"): 0.3, ("D", "KZ-55"): 0.2, ("D", "KZ-11"): 0.25}
    solution = solve(families, capacities, scores)
    assert solution.assignment == {"A": "KZ-55", "B": "KZ-11", "C": "KZ-59", "D": "KZ-11"}
    assert solution.unplaced == ()
    assert solution.objective == pytest.approx(2.38)
    assert solution.gap == pytest.approx(0.0, abs=1e-9)
    assert solution.seconds >= 0


def test_a_region_with_scores_but_no_capacity_takes_nobody_and_a_capacity_without_limits_takes_all():
    families = [Family("A", 1), Family("B", 1)]
    solution = solve(families, [Capacity("KZ-11")], {("A", "KZ-75"): 0.9, ("B", "KZ-75"): 0.9, ("B", "KZ-11"): 0.1})
    assert solution.assignment == {"B": "KZ-11"}
    assert solution.unplaced == ("A",)


@pytest.mark.parametrize("families, capacities, scores, message", [
    ([Family("A", 1), Family("A", 2)], [], {}, "given twice"),
    ([Family("A", 1)], [Capacity("KZ-11", 1), Capacity("KZ-11", persons=3)], {}, "given twice"),
    ([Family("A", 1)], [Capacity("KZ-11", 1)], {("B", "KZ-11"): 0.5}, "unknown family"),
    ([Family("A", 0)], [Capacity("KZ-11", 1)], {}, "size"),
    ([Family("A", 1)], [Capacity("KZ-11", -1)], {}, "limit"),
    ([Family("A", 1)], [Capacity("KZ-11", 1)], {("A", "KZ-11"): math.inf}, "finite"),
])
def test_bad_input_is_refused_with_a_reason(families, capacities, scores, message):
    with pytest.raises(ValueError, match=message):
        solve(families, capacities, scores)


def test_when_highs_has_no_time_the_answer_is_still_within_the_limits_and_says_so():
    rng = np.random.default_rng(9)
    score = np.round(rng.random((40, 4)), 2)
    sizes = rng.integers(1, 6, 40)
    person_limit = np.array([20.0, 15.0, 25.0, 10.0])
    result = solve_arrays(sizes, score, None, person_limit, tuning=Tuning(mip_seconds=0.0))
    check_limits(result, score, sizes, np.full(4, np.inf), person_limit)
    assert result.method in ("MIP (HiGHS)", "greedy (HiGHS did not finish)")
    assert result.bound >= result.objective


def test_when_not_every_family_fits_the_mip_still_finds_the_best_score_among_the_most_placed():
    # Counting first, then scoring: HiGHS 1.16, given the count's solution as a start, once returned it as
    # "optimal" (2.12) with another solution's objective (3.1); the best with 4 families placed is 2.51.
    score = np.array([[0.92, 0.36, np.nan], [0.2, 0.41, 0.66], [0.3, np.nan, 0.5], [0.23, 0.57, 0.98],
                      [np.nan, 0.31, 0.38], [0.05, np.nan, 0.65]])
    sizes = np.array([3, 3, 1, 3, 1, 1])
    family_limit, person_limit = np.array([3.0, np.inf, np.inf]), np.array([1.0, 2.0, 6.0])
    result = solve_arrays(sizes, score, family_limit, person_limit)
    assert brute_force(score, sizes, family_limit, person_limit) == (4, pytest.approx(2.51))
    assert (result.placed, result.objective) == (4, pytest.approx(2.51))
    assert result.bound == pytest.approx(2.51)

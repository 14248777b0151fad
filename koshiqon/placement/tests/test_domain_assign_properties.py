"""Properties of the assignment solver on generated batches (hypothesis): no limit is ever exceeded, no family
is sent to a region it may not go to, as many families are placed as possible, the score is the best (within
0.1 % where limits count persons), and the bound is never below what was achieved or achievable."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from koshiqon.placement.domain.assign import Tuning, solve_arrays
from koshiqon.placement.tests.test_domain_assign import brute_force

INF = float("inf")


@st.composite
def batches(draw, max_families, max_regions):
    n = draw(st.integers(0, max_families))
    regions = draw(st.integers(1, max_regions))
    cells = st.one_of(st.none(), st.floats(-1, 5, allow_nan=False, allow_infinity=False))
    raw = draw(st.lists(st.lists(cells, min_size=regions, max_size=regions), min_size=n, max_size=n))
    score = np.array([[np.nan if v is None else v for v in row] for row in raw], dtype=float).reshape(n, regions)
    sizes = np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)), dtype=np.int64)
    limit = st.one_of(st.just(INF), st.integers(0, max(1, n)).map(float))
    family_limit = np.array(draw(st.lists(limit, min_size=regions, max_size=regions)))
    person = st.one_of(st.just(INF), st.integers(0, 5 * max(1, n)).map(float))
    person_limit = np.array(draw(st.lists(person, min_size=regions, max_size=regions)))
    if draw(st.booleans()):
        person_limit[:] = INF  # family limits only: the flow
    return score, sizes, family_limit, person_limit


def assert_feasible(result, score, sizes, family_limit, person_limit):
    placed = result.region >= 0
    assert result.region.shape == (score.shape[0],)
    assert not np.isnan(score[placed, result.region[placed]]).any(), "a family was sent where it may not go"
    families = np.bincount(result.region[placed], minlength=score.shape[1])
    persons = np.bincount(result.region[placed], weights=sizes[placed], minlength=score.shape[1])
    assert (families <= family_limit).all(), "a family limit was exceeded"
    assert (persons <= person_limit).all(), "a person limit was exceeded"
    assert result.objective == float(score[placed, result.region[placed]].sum())
    assert result.bound >= result.objective


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(max_families=6, max_regions=3))
def test_tiny_batches_respect_every_limit_and_place_as_many_as_possible(batch):
    score, sizes, family_limit, person_limit = batch
    result = solve_arrays(sizes, score, family_limit, person_limit)
    assert_feasible(result, score, sizes, family_limit, person_limit)
    if score.shape[0]:
        count, best = brute_force(score, sizes, family_limit, person_limit)
        assert result.placed == count
        assert result.objective >= best - 0.001 * abs(best) - 1e-9
        assert result.bound >= best - 1e-6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches(max_families=60, max_regions=5), st.integers(0, 6), st.integers(1, 30), st.integers(0, 2))
def test_the_large_batch_paths_respect_every_limit(batch, sweeps, free, rounds):
    # Small settings send even these batches through the sample, price, flow, LP and rounding steps.
    score, sizes, family_limit, person_limit = batch
    tuning = Tuning(sample=0.3, flow_families=free, sweeps=sweeps, lp_families=free, mip_families=3, rounds=rounds)
    result = solve_arrays(sizes, score, family_limit, person_limit, tuning=tuning)
    assert_feasible(result, score, sizes, family_limit, person_limit)
    if np.isinf(person_limit).all():  # family limits: still the most families, and optimal
        exact = solve_arrays(sizes, score, family_limit, person_limit, tuning=Tuning(flow_families=10**9))
        assert (result.placed, round(result.objective, 9)) == (exact.placed, round(exact.objective, 9))

"""The backtest: optimised placement against the actual, proportional and random ones on held-out families,
and against the best possible under the demo's ground truth."""

from datetime import date

import numpy as np
import pytest

from koshiqon.placement.domain.backtest import (
    ACTUAL,
    OPTIMISED,
    ORACLE,
    PROPORTIONAL,
    RANDOM,
    BacktestError,
    actual_capacities,
    proportional_assignment,
    random_assignment,
    run_backtest,
)
from koshiqon.placement.domain.features import member_table
from koshiqon.placement.domain.outcome_model import train
from koshiqon.placement.domain.truth import current_region_codes, generate_history, true_expected_employment

REGIONS = current_region_codes(date(2026, 1, 1))


@pytest.fixture(scope="module")
def setting():
    history = generate_history(2500, REGIONS, seed=21)
    model = train(history.families, history.outcomes, seed=5, regions=REGIONS, kind="logistic",
                  candidates=(("logistic", {"C": 0.1}),))
    held = set(model.held_out)
    families = [f for f in history.families if f.id in held]
    scores = model.predict_matrix(families, REGIONS)
    truth = true_expected_employment(families, REGIONS)
    return history, families, scores, truth


@pytest.fixture(scope="module")
def result(setting):
    history, families, scores, truth = setting
    return run_backtest(families, history.regions, REGIONS, scores, truth=truth, seed=3)


def test_the_optimised_assignment_is_at_least_as_good_as_any_other_under_the_models_scores(result):
    optimised = result.arm(OPTIMISED).predicted
    for name in (ACTUAL, PROPORTIONAL, RANDOM, ORACLE):
        assert optimised >= result.arm(name).predicted - 1e-6, name


def test_the_oracle_is_at_least_as_good_as_every_assignment_under_the_truth(result):
    oracle = result.arm(ORACLE).true
    for name in (ACTUAL, OPTIMISED, PROPORTIONAL, RANDOM):
        assert oracle >= result.arm(name).true - 1e-6, name


def test_optimising_on_the_model_finds_a_real_gain_under_the_truth(result):
    assert result.arm(OPTIMISED).uplift_true > 0
    assert 0 < result.oracle_share <= 1 + 1e-9
    actual, optimised, oracle = (result.arm(n).true for n in (ACTUAL, OPTIMISED, ORACLE))
    assert result.oracle_share == pytest.approx((optimised - actual) / (oracle - actual))


def test_every_assignment_places_every_family_within_the_capacities(result, setting):
    _history, families, _scores, _truth = setting
    ids = {f.id for f in families}
    for arm in result.arms:
        assert set(arm.assignment) == ids and arm.unplaced == ()
        assert sum(arm.placed_by_region.values()) == len(families)
        for region, placed in arm.placed_by_region.items():
            assert placed <= result.capacities[region], (arm.name, region)


def test_the_default_capacities_are_the_families_that_actually_settled_in_each_region(result, setting):
    history, families, _scores, _truth = setting
    assert result.capacities == actual_capacities(history.regions, [f.id for f in families])
    assert result.arm(ACTUAL).placed_by_region == result.capacities


def test_uplift_is_the_gain_over_the_actual_assignment_in_percent(result):
    actual = result.arm(ACTUAL)
    optimised = result.arm(OPTIMISED)
    assert actual.uplift_predicted is None and actual.uplift_true is None
    assert optimised.uplift_predicted == pytest.approx((optimised.predicted - actual.predicted) / actual.predicted * 100)
    assert optimised.uplift_true == pytest.approx((optimised.true - actual.true) / actual.true * 100)


def test_rates_are_per_working_age_member(result, setting):
    _history, families, _scores, _truth = setting
    members = int(member_table(families).working_per_family.sum())
    assert result.working_age_members == members
    assert result.arm(ACTUAL).true_rate == pytest.approx(result.arm(ACTUAL).true / members)


def test_the_charts_hold_one_bar_per_assignment_and_series(result):
    chart = result.chart
    assert chart.categories == (ACTUAL, OPTIMISED, PROPORTIONAL, RANDOM, ORACLE)
    assert [s.name for s in chart.series] == ["predicted", "true"]
    assert chart.series[1].values == tuple(a.true for a in result.arms)
    assert result.uplift_chart.categories == (OPTIMISED, PROPORTIONAL, RANDOM, ORACLE)
    assert all(len(s.values) == 4 for s in result.uplift_chart.series)


def test_without_the_truth_there_is_no_oracle_and_only_the_models_figures(setting):
    history, families, scores, _truth = setting
    plain = run_backtest(families, history.regions, REGIONS, scores, seed=3)
    assert [a.name for a in plain.arms] == [ACTUAL, OPTIMISED, PROPORTIONAL, RANDOM]
    assert plain.oracle_share is None and all(a.true is None for a in plain.arms)
    assert [s.name for s in plain.chart.series] == ["predicted"]


def test_a_quota_with_room_to_spare_is_respected_by_every_assignment(setting):
    history, families, scores, truth = setting
    quota = {r: 30 for r in REGIONS}  # 600 places, evenly spread: more than the families
    assert sum(quota.values()) > len(families)
    result = run_backtest(families, history.regions, REGIONS, scores, truth=truth, capacities=quota, seed=1)
    for arm in result.arms[1:]:
        assert all(arm.placed_by_region[r] <= 30 for r in REGIONS), arm.name
        assert len(arm.assignment) == len(families)


def test_proportional_fills_the_regions_in_proportion_to_their_quotas():
    ids = [f"F{i}" for i in range(15)]
    placed = proportional_assignment(ids, {"KZ-55": 10, "KZ-59": 20}, seed=1)
    counts = {r: list(placed.values()).count(r) for r in ("KZ-55", "KZ-59")}
    assert counts == {"KZ-55": 5, "KZ-59": 10}


def test_random_assignment_is_feasible_and_depends_only_on_the_seed():
    ids = [f"F{i}" for i in range(30)]
    quota = {"KZ-10": 5, "KZ-11": 25, "KZ-15": 3}
    first = random_assignment(ids, quota, seed=4)
    assert first == random_assignment(ids, quota, seed=4) != random_assignment(ids, quota, seed=5)
    assert len(first) == 30 and all(list(first.values()).count(r) <= n for r, n in quota.items())


def test_inputs_that_do_not_fit_together_are_refused(setting):
    history, families, scores, _truth = setting
    with pytest.raises(BacktestError, match="capacities hold"):
        run_backtest(families, history.regions, REGIONS, scores, capacities={"KZ-55": 1})
    with pytest.raises(BacktestError, match="matrices"):
        run_backtest(families, history.regions, REGIONS, scores[:, :3])
    with pytest.raises(BacktestError, match="actual region"):
        run_backtest(families, {}, REGIONS, scores)
    assert np.isfinite(scores).all()

"""The illustrative ground truth and the demo history it generates."""

from collections import Counter
from datetime import date

import numpy as np
import pytest

from koshiqon.placement.domain.demography import draw_families
from koshiqon.placement.domain.features import FamilyFacts, MemberFacts, WorkingAge, member_table
from koshiqon.placement.domain.truth import (
    OFFSET,
    PROFILES,
    UnknownRegionError,
    calibrated_offset,
    current_region_codes,
    generate_history,
    true_expected_employment,
    true_logits,
    true_member_probabilities,
)

REGIONS = current_region_codes(date(2026, 1, 1))


@pytest.fixture(scope="module")
def history():
    return generate_history(3000, REGIONS, seed=5)


def one(member: MemberFacts, origin: str = "UZ") -> FamilyFacts:
    return FamilyFacts(id="x", origin=origin, size=1, members=(member,))


def test_the_current_regions_are_the_twenty_of_the_reference_file_and_each_has_a_profile():
    assert len(REGIONS) == 20
    assert set(REGIONS) == set(PROFILES)
    assert "KZ-62" not in current_region_codes(date(2020, 1, 1))  # Ulytau exists from June 2022


def test_the_same_seed_gives_the_same_history(history):
    again = generate_history(3000, REGIONS, seed=5)
    assert again == history


def test_another_seed_gives_another_history(history):
    other = generate_history(3000, REGIONS, seed=6)
    assert other.families != history.families
    assert other.outcomes != history.outcomes


def test_about_45_percent_of_working_age_arrivals_are_employed_at_12_months(history):
    employed = np.mean([o.employed_12m for o in history.outcomes])
    assert 0.41 <= employed <= 0.49  # 2025: 1,041 of 2,307 (45.1%)


def test_the_offset_in_use_is_the_calibrated_one():
    assert calibrated_offset(n_families=6000, seed=3) == pytest.approx(OFFSET, abs=0.06)


def test_outcomes_are_recorded_for_every_working_age_member_and_no_one_else(history):
    recorded = {(o.family_id, o.member_index) for o in history.outcomes}
    expected = {
        (f.id, i) for f in history.families for i, m in enumerate(f.members) if WorkingAge().includes(m.age)
    }
    assert recorded == expected
    assert all(o.region == history.regions[o.family_id] for o in history.outcomes)


def test_employment_at_3_and_6_months_is_nested_inside_employment_at_12_months(history):
    for o in history.outcomes:
        assert o.employed_3m <= o.employed_6m <= o.employed_12m
    assert 0 < sum(o.employed_3m for o in history.outcomes) < sum(o.employed_6m for o in history.outcomes)


def test_a_family_stays_or_leaves_together_and_most_stay(history):
    by_family: dict[str, set[bool | None]] = {}
    for o in history.outcomes:
        by_family.setdefault(o.family_id, set()).add(o.stayed_12m)
    assert all(len(values) == 1 for values in by_family.values())
    assert 0.7 < np.mean([o.stayed_12m for o in history.outcomes]) < 0.98


def test_families_settled_mostly_in_the_south_and_west_as_they_historically_did(history):
    settled = Counter(history.regions.values())
    south_west = sum(settled[r] for r in ("KZ-61", "KZ-19", "KZ-47", "KZ-31"))
    assert south_west / len(history.families) > 0.45
    assert set(settled) == set(REGIONS)  # every region has some history to learn from


def test_a_uniform_policy_spreads_families_evenly():
    settled = Counter(generate_history(2000, REGIONS, seed=2, assignment_policy="uniform").regions.values())
    assert max(settled.values()) < 2.5 * min(settled.values())


def test_the_population_looks_like_the_kandas_to_2016():
    families = draw_families(4000, seed=9)
    ages = [m.age for f in families for m in f.members]
    working = sum(16 <= a < 63 for a in ages) / len(ages)
    origins = Counter(f.origin for f in families)
    assert 0.5 < working < 0.6  # 55.6% of working age
    assert 0.55 < origins["UZ"] / len(families) < 0.68  # 61.6% from Uzbekistan
    assert 3.0 < len(ages) / len(families) < 4.0  # 3.67 persons a family


def test_the_truth_prefers_russian_speakers_in_the_north_and_kazakh_speakers_in_the_south():
    russian = one(MemberFacts(age=35, sex="M", education="3", occupation="833", russian="fluent"))
    kazakh = one(MemberFacts(age=35, sex="M", education="3", occupation="833", kazakh="fluent"))
    north, south = "KZ-59", "KZ-61"
    p_ru = true_expected_employment([russian], [north, south])[0]
    p_kk = true_expected_employment([kazakh], [north, south])[0]
    assert p_ru[0] > p_kk[0]
    assert p_kk[1] > p_ru[1]


def test_a_farmer_does_better_on_the_southern_farms_than_in_the_city_and_an_engineer_the_other_way():
    farmer = one(MemberFacts(age=40, sex="M", education="3", occupation="611", kazakh="fluent"))
    engineer = one(MemberFacts(age=40, sex="M", education="6", occupation="214", kazakh="fluent"))
    farm, city = "KZ-19", "KZ-71"
    assert true_logits(member_table([farmer]), [farm, city])[0].argmax() == 0
    assert true_logits(member_table([engineer]), [farm, city])[0].argmax() == 1


def test_expected_employment_sums_the_working_age_members_probabilities(history):
    families = history.families[:300]
    matrix = true_expected_employment(families, REGIONS)
    working = member_table(families).working_per_family
    assert matrix.shape == (300, 20)
    assert np.all(matrix >= 0)
    assert np.all(matrix <= working[:, None] + 1e-12)
    column = REGIONS.index("KZ-55")
    per_member = true_member_probabilities(families, ["KZ-55"] * 300)
    table = member_table(families)
    assert np.allclose(np.bincount(table.family_index, weights=per_member, minlength=300), matrix[:, column])


def test_a_region_without_a_profile_is_refused():
    with pytest.raises(UnknownRegionError):
        generate_history(10, [*REGIONS, "KZ-99"], seed=1)

"""The kandas policy schemas: the shipped versions are valid, and bad parameters get stable error codes."""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from koshiqon.core.domain.policy import schema_for, validate_parameters
from koshiqon.kandas.domain.features import MemberFacts, NoHeadError, application_features, on_deficit_list
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.policy import GRID_KIND, RULES_KIND, Rules, rules_from

DATA = Path(__file__).resolve().parents[1] / "data"


def shipped(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def codes(kind: str, params: dict) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in validate_parameters(kind, params)}


def test_both_kandas_kinds_have_their_schema_registered():
    assert schema_for(RULES_KIND) is Rules
    assert schema_for(GRID_KIND) is Grid


@pytest.mark.parametrize("name", ["rules_2007.json", "rules_2016.json", "rules_2025.json", "rules_2026.json"])
def test_every_shipped_rules_version_is_valid(name):
    assert validate_parameters(RULES_KIND, shipped(name)) == []


@pytest.mark.parametrize("name", ["grid_2007.json", "grid_2025.json"])
def test_every_shipped_grid_is_valid_and_has_seven_criteria(name):
    assert validate_parameters(GRID_KIND, shipped(name)) == []
    assert len(Grid.model_validate(shipped(name)).criteria) == 7


def test_the_quota_unit_changed_from_families_under_the_concept_to_persons_in_2025():
    assert rules_from(shipped("rules_2007.json")).quota_unit == "families"
    assert rules_from(shipped("rules_2025.json")).quota_unit == "persons"


def test_the_housing_certificate_cap_is_1160_mci_in_2025_and_1625_from_2026():
    assert rules_from(shipped("rules_2025.json")).support.housing_certificate_cap_mci == 1160
    assert rules_from(shipped("rules_2026.json")).support.housing_certificate_cap_mci == 1625
    assert rules_from(shipped("rules_2007.json")).support.housing_certificate_cap_mci is None


def test_almaty_and_astana_are_not_resettlement_regions_in_2025_but_were_in_2007():
    current, concept = rules_from(shipped("rules_2025.json")), rules_from(shipped("rules_2007.json"))
    assert not current.is_resettlement_region("KZ-75") and not current.is_resettlement_region("KZ-71")
    assert concept.is_resettlement_region("KZ-75") and concept.is_resettlement_region("KZ-71")
    assert current.is_resettlement_region("KZ-55")


def test_the_2026_rules_ask_for_the_social_contract_and_the_2025_ones_do_not():
    assert "social_contract" in rules_from(shipped("rules_2026.json")).document_codes
    assert "social_contract" not in rules_from(shipped("rules_2025.json")).document_codes


def test_a_misspelt_parameter_is_an_error_not_ignored():
    params = shipped("rules_2025.json") | {"check_workin_days": 2}
    assert ("check_workin_days", "extra_forbidden") in codes(RULES_KIND, params)


def test_a_bad_region_code_is_reported_with_its_own_code():
    params = shipped("rules_2025.json") | {"resettlement_regions": ["KZ-55", "Pavlodar"]}
    assert ("resettlement_regions", "kandas_region_code") in codes(RULES_KIND, params)


def test_a_region_listed_twice_is_refused():
    params = shipped("rules_2025.json") | {"resettlement_regions": ["KZ-55", "KZ-55"]}
    assert ("resettlement_regions", "kandas_duplicate_code") in codes(RULES_KIND, params)


def test_a_deficit_occupation_must_be_an_isco_code():
    params = shipped("rules_2025.json") | {"deficit_occupations": {"KZ-55": ["214", "welder"]}}
    assert ("deficit_occupations", "kandas_isco_code") in codes(RULES_KIND, params)


def test_a_rent_range_with_its_minimum_above_its_maximum_is_refused():
    params = shipped("rules_2025.json")
    params["support"] = params["support"] | {"rent_mci_per_month_min": 40}
    assert ("support", "kandas_rent_range") in codes(RULES_KIND, params)


def test_negative_deadlines_are_refused():
    params = shipped("rules_2025.json") | {"check_working_days": -1}
    assert ("check_working_days", "greater_than_equal") in codes(RULES_KIND, params)


def test_none_cannot_be_a_priority_category_because_it_means_no_category():
    params = shipped("rules_2025.json")
    params["priority_categories"] = [{"code": "none", "label": {"kk": "Жоқ", "ru": "Нет", "en": "None"}}]
    assert ("priority_categories", "kandas_reserved_code") in codes(RULES_KIND, params)


def test_the_unit_must_be_families_or_persons():
    params = shipped("rules_2025.json") | {"quota_unit": "households"}
    assert ("quota_unit", "literal_error") in codes(RULES_KIND, params)


# --- Features ----------------------------------------------------------------------------------------------

RULES_2025 = rules_from(shipped("rules_2025.json"))


def test_an_occupation_is_on_the_deficit_list_when_it_or_its_group_is_listed():
    assert on_deficit_list("2142", ["214"])  # a civil engineer, under "engineering professionals"
    assert on_deficit_list("214", ["214"])
    assert not on_deficit_list("2151", ["214"])
    assert not on_deficit_list("", ["214"])


def test_the_features_of_an_application_are_the_heads_with_the_familys_composition():
    members = [
        MemberFacts("head", date(1985, 6, 1), education="6", occupation="2142", experience_years=12, kazakh="fluent"),
        MemberFacts("spouse", date(1987, 2, 1), education="4", occupation="222", experience_years=5),
        MemberFacts("child", date(2015, 1, 1)),
        MemberFacts("child", date(2019, 1, 1)),
        MemberFacts("parent", date(1955, 1, 1)),
    ]
    features = application_features(region="KZ-55", applied_at=datetime(2025, 3, 10, 11, 0), members=members,
                                    priority="", rules=RULES_2025)
    assert features == {
        "region": "KZ-55", "applied_at": "2025-03-10T11:00:00", "size": 5, "education": "6", "occupation": "2142",
        "deficit_occupation": "yes", "experience_years": 12.0, "age": 39, "working_age_members": 2,
        "children": 2, "kazakh": "fluent", "priority": "none",
    }


def test_the_deficit_list_is_the_preferred_regions():
    head = MemberFacts("head", date(1985, 6, 1), occupation="611")  # market gardener: wanted in Kostanay
    on = datetime(2025, 3, 10)
    assert application_features(region="KZ-39", applied_at=on, members=[head], priority="",
                                rules=RULES_2025)["deficit_occupation"] == "yes"
    assert application_features(region="KZ-55", applied_at=on, members=[head], priority="",
                                rules=RULES_2025)["deficit_occupation"] == "no"


def test_features_need_exactly_one_head_of_family():
    with pytest.raises(NoHeadError):
        application_features(region="KZ-55", applied_at=datetime(2025, 3, 10), priority="", rules=RULES_2025,
                             members=[MemberFacts("spouse", date(1985, 6, 1))])

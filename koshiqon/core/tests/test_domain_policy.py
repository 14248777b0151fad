"""Policy versions as pure data: which one is in force on a day, overlaps, and parameter schemas."""

from datetime import date

import pytest
from pydantic import BaseModel, ConfigDict, Field

from koshiqon.core.domain.policy import (
    AmbiguousPolicyError,
    PolicyDoc,
    clean_parameters,
    in_force,
    overlaps,
    register_schema,
    registered_kinds,
    schema_for,
    unregister_schema,
    validate_parameters,
)


def doc(
    code: str, valid_from: date, valid_to: date | None, kind: str = "kandas.quota", **params
) -> PolicyDoc:
    return PolicyDoc(
        kind=kind,
        code=code,
        title=code,
        valid_from=valid_from,
        valid_to=valid_to,
        legal_act="Government resolution",
        parameters=params,
    )


CONCEPT = doc("2007", date(2007, 8, 28), date(2011, 5, 22), unit="families")
LAW_2011 = doc("2011", date(2011, 5, 23), None, unit="persons")
LABOUR = doc("labour-2012", date(2012, 3, 12), None, kind="labour.quota")
DOCS = [LAW_2011, LABOUR, CONCEPT]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2007, 8, 27), None),  # the day before valid_from
        (date(2007, 8, 28), CONCEPT),  # valid_from
        (date(2011, 5, 22), CONCEPT),  # valid_to, inclusive
        (date(2011, 5, 23), LAW_2011),  # the day after valid_to
        (date(2099, 1, 1), LAW_2011),  # open-ended
    ],
)
def test_the_version_in_force_is_found_at_its_boundaries(day, expected):
    assert in_force(DOCS, "kandas.quota", day) == expected


def test_versions_of_other_kinds_are_never_in_force_for_a_kind():
    assert in_force(DOCS, "labour.quota", date(2011, 6, 1)) is None
    assert in_force(DOCS, "labour.quota", date(2012, 3, 12)) == LABOUR
    assert in_force(DOCS, "visas.points", date(2020, 1, 1)) is None


def test_two_versions_in_force_on_one_day_are_refused_rather_than_one_picked():
    clash = doc("clash", date(2011, 5, 1), date(2011, 12, 31))
    with pytest.raises(AmbiguousPolicyError, match="2007, clash"):
        in_force([CONCEPT, clash], "kandas.quota", date(2011, 5, 10))
    assert in_force([CONCEPT, clash], "kandas.quota", date(2011, 6, 1)) == clash


def test_a_document_compares_by_its_identity_fields_and_can_be_hashed():
    assert {CONCEPT, doc("2007", date(2007, 8, 28), date(2011, 5, 22))} == {CONCEPT}


def test_back_to_back_versions_do_not_overlap():
    assert overlaps(DOCS) == []


def test_versions_sharing_a_single_day_overlap():
    a = doc("a", date(2020, 1, 1), date(2020, 6, 30))
    b = doc("b", date(2020, 6, 30), date(2020, 12, 31))
    assert overlaps([b, a]) == [(a, b)]


def test_an_open_version_overlaps_every_later_one_and_a_nested_one_is_found():
    open_ = doc("open", date(2020, 1, 1), None)
    nested = doc("nested", date(2021, 1, 1), date(2021, 2, 1))
    later = doc("later", date(2025, 1, 1), None)
    other_kind = doc("other", date(2020, 1, 1), None, kind="labour.quota")
    assert overlaps([later, nested, open_, other_kind]) == [(open_, nested), (open_, later)]


def test_a_long_version_overlaps_a_later_one_past_a_short_one_in_between():
    long_ = doc("long", date(2020, 1, 1), date(2024, 12, 31))
    short = doc("short", date(2020, 2, 1), date(2020, 3, 1))
    late = doc("late", date(2024, 1, 1), None)
    assert overlaps([late, short, long_]) == [(long_, short), (long_, late)]


# --- parameter schemas -------------------------------------------------------------------------------------


class RegionShare(BaseModel):
    model_config = ConfigDict(extra="forbid")
    region: str = Field(min_length=5, max_length=5)
    families: int = Field(ge=0)


class QuotaParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str
    total: int = Field(gt=0)
    approved_on: date
    regions: list[RegionShare] = []


class OtherParams(BaseModel):
    x: int


KIND = "test.domain.quota"


@pytest.fixture
def quota_schema():
    register_schema(KIND, QuotaParams)
    yield
    unregister_schema(KIND)


GOOD = {
    "unit": "families",
    "total": 15000,
    "approved_on": "2007-12-07",
    "regions": [{"region": "KZ-55", "families": 950}],
}


def test_valid_parameters_have_no_problems_and_are_stored_in_their_json_form(quota_schema):
    assert validate_parameters(KIND, GOOD) == []
    cleaned, problems = clean_parameters(KIND, {**GOOD, "approved_on": date(2007, 12, 7), "regions": []})
    assert problems == []
    assert cleaned == {"unit": "families", "total": 15000, "approved_on": "2007-12-07", "regions": []}


def test_a_missing_field_is_reported_with_its_path_and_code(quota_schema):
    params = {k: v for k, v in GOOD.items() if k != "total"}
    assert [(p.path, p.code) for p in validate_parameters(KIND, params)] == [("total", "missing")]


def test_problems_in_nested_lists_carry_the_index_and_the_limit(quota_schema):
    params = {**GOOD, "regions": [{"region": "KZ-55", "families": 1}, {"region": "KZ-75", "families": -3}]}
    (problem,) = validate_parameters(KIND, params)
    assert (problem.path, problem.code, problem.context) == (
        "regions.1.families",
        "greater_than_equal",
        {"ge": 0},
    )
    assert problem.message  # pydantic's English, the fallback wording


def test_an_unexpected_field_and_several_problems_are_all_reported(quota_schema):
    params = {**GOOD, "total": 0, "approved_on": "yesterday", "quota": 1}
    found = {(p.path, p.code) for p in validate_parameters(KIND, params)}
    assert found == {
        ("total", "greater_than"),
        ("approved_on", "date_from_datetime_parsing"),
        ("quota", "extra_forbidden"),
    }


def test_parameters_that_are_not_an_object_are_refused_for_any_kind(quota_schema):
    for kind in (KIND, "test.domain.unregistered"):
        assert [(p.path, p.code) for p in validate_parameters(kind, [1, 2])] == [("", "dict_type")]


def test_an_unregistered_kind_accepts_any_json_object_unchanged():
    params = {"unit": "persons", "shares": [0.5, 0.25, None, True], "nested": {"a": {"b": "c"}}}
    assert schema_for("test.domain.unregistered") is None
    assert clean_parameters("test.domain.unregistered", params) == (params, [])


def test_an_unregistered_kind_still_refuses_values_json_cannot_hold():
    params = {"start": date(2020, 1, 1), "rates": [1.0, float("nan")], "map": {1: "x"}}
    found = {(p.path, p.code) for p in validate_parameters("test.domain.unregistered", params)}
    assert found == {("start", "json_type"), ("rates.1", "finite_number"), ("map.1", "json_key")}


def test_a_kind_cannot_be_taken_over_by_another_schema_unless_replaced_on_purpose(quota_schema):
    register_schema(KIND, QuotaParams)  # the same model again: harmless
    with pytest.raises(ValueError, match="QuotaParams"):
        register_schema(KIND, OtherParams)
    assert schema_for(KIND) is QuotaParams
    register_schema(KIND, OtherParams, replace=True)
    assert schema_for(KIND) is OtherParams
    assert KIND in registered_kinds()

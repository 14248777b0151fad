"""The criteria grid: its shape, the three kinds of criteria, caps and pass marks, vectorised scoring (which
must agree with the row-by-row reference exactly) and the explanation in kk/ru/en. No database."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.scoring import (
    Categorical,
    MissingFeatureError,
    explain,
    explanations,
    score_one,
    score_rows,
)


def grid(criteria, pass_mark=10):
    return Grid.model_validate({
        "name": "test", "valid_from": "2026-01-01", "legal_basis": "test", "pass_mark": pass_mark,
        "criteria": criteria,
    })


EDUCATION = {"field": "education", "kind": "map", "points": {"6": 20, "7": 25, "3": 5}, "max": 22,
             "label": {"kk": "Білімі", "ru": "Образование", "en": "Education"}}
EXPERIENCE = {"field": "experience_years", "kind": "bands",
              "bands": [{"max": 1, "points": 0}, {"min": 1, "max": 5, "points": 5}, {"min": 5, "points": 10}]}
PRIORITY = {"field": "priority", "kind": "member", "values": ["large_family", "disabled"], "points": 7}


def errors_of(criteria):
    with pytest.raises(ValidationError) as caught:
        grid(criteria)
    return [(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()]


def test_it_reads_a_grid_with_the_three_kinds_of_criteria():
    g = grid([EDUCATION, EXPERIENCE, PRIORITY], pass_mark=15.5)
    assert g.fields == ["education", "experience_years", "priority"]
    assert g.pass_mark == 15.5
    assert g.criteria[1].bands is not None and g.criteria[1].bands[0].min is None


def test_a_map_scores_a_listed_value_and_zero_for_any_other():
    crit = grid([{"field": "kazakh", "kind": "map", "points": {"fluent": 10, "basic": 4}}]).criteria[0]
    assert [crit.points_for(v) for v in ("fluent", "basic", "none", "", None)] == [10, 4, 0, 0, 0]


def test_a_band_includes_its_min_and_excludes_its_max():
    crit = grid([EXPERIENCE]).criteria[0]
    assert [crit.points_for(v) for v in (0, 0.99, 1, 4.99, 5, 40)] == [0, 0, 5, 5, 10, 10]


def test_the_first_band_that_holds_gives_the_points_when_bands_overlap():
    crit = grid([{"field": "age", "kind": "bands",
                  "bands": [{"min": 18, "max": 45, "points": 10}, {"min": 30, "points": 3}]}]).criteria[0]
    assert [crit.points_for(v) for v in (20, 40, 50, 10)] == [10, 10, 3, 0]


def test_a_value_outside_every_band_or_not_a_number_scores_zero():
    crit = grid([{"field": "age", "kind": "bands", "bands": [{"min": 18, "max": 45, "points": 10}]}]).criteria[0]
    assert [crit.points_for(v) for v in (17, 45, "", "unknown", None, float("nan"))] == [0] * 6


def test_a_member_criterion_gives_its_points_to_any_listed_value():
    crit = grid([PRIORITY]).criteria[0]
    assert [crit.points_for(v) for v in ("disabled", "large_family", "none")] == [7, 7, 0]


def test_member_values_written_as_numbers_match_the_text_of_a_file():
    crit = grid([{"field": "education", "kind": "member", "values": [6, 7], "points": 3}]).criteria[0]
    assert crit.values == ["6", "7"]
    assert [crit.points_for(v) for v in ("6", 7, 7.0, "8")] == [3, 3, 3, 0]


def test_a_cap_limits_the_points_of_its_criterion():
    crit = grid([EDUCATION]).criteria[0]
    assert (crit.raw_points("7"), crit.points_for("7"), crit.points_for("6")) == (25, 22, 20)


def test_an_applicant_below_the_pass_mark_is_not_eligible_and_one_at_it_is():
    g = grid([PRIORITY], pass_mark=7)
    assert score_one(g, {"priority": "disabled"}).eligible
    assert not score_one(g, {"priority": "none"}).eligible
    scores = score_rows(g, {"priority": np.array(["disabled", "none"])})
    assert scores.eligible.tolist() == [True, False]


def test_the_score_is_the_sum_of_the_capped_points_with_a_breakdown_per_criterion():
    result = score_one(grid([EDUCATION, EXPERIENCE, PRIORITY]),
                       {"education": "7", "experience_years": 3, "priority": "disabled"})
    assert result.points == {"education": 22, "experience_years": 5, "priority": 7}
    assert result.total == 34


def test_a_map_criterion_needs_points_as_an_object():
    assert errors_of([{"field": "education", "kind": "map", "points": 5}]) == [("criteria.0", "grid_map_points")]


def test_a_member_criterion_needs_values_and_a_number_of_points():
    assert errors_of([EDUCATION, {"field": "priority", "kind": "member", "points": 5}]) == [
        ("criteria.1", "grid_member_shape")
    ]


def test_a_bands_criterion_needs_bands_and_a_band_cannot_be_empty():
    assert errors_of([{"field": "age", "kind": "bands"}]) == [("criteria.0", "grid_bands_required")]
    assert errors_of([EDUCATION, {"field": "age", "kind": "bands", "bands": [{"min": 5, "max": 5, "points": 1}]}]) == [
        ("criteria.1.bands.0", "grid_band_empty")
    ]


def test_a_criterion_cannot_carry_the_keys_of_another_kind():
    assert errors_of([{**PRIORITY, "bands": [{"min": 1, "points": 1}]}]) == [("criteria.0", "grid_unused_key")]


def test_an_unknown_kind_or_key_is_refused_with_the_criterion_index():
    assert errors_of([EDUCATION, {**PRIORITY, "kind": "range"}])[0] == ("criteria.1.kind", "literal_error")
    assert errors_of([{**PRIORITY, "weight": 2}]) == [("criteria.0.weight", "extra_forbidden")]


def test_two_criteria_cannot_read_the_same_field():
    assert errors_of([EDUCATION, {**PRIORITY, "field": "education"}]) == [("", "grid_duplicate_field")]


def test_the_error_message_names_the_criterion_field():
    with pytest.raises(ValidationError, match="criterion 'education'"):
        grid([{"field": "education", "kind": "map", "points": {}}])


def test_vectorised_scoring_gives_the_breakdown_per_criterion():
    g = grid([EDUCATION, EXPERIENCE, PRIORITY])
    scores = score_rows(g, {
        "education": np.array(["7", "3", "9"]), "experience_years": np.array([0.0, 1.0, 5.0]),
        "priority": np.array(["disabled", "none", "large_family"]),
    })
    assert scores.points["education"].tolist() == [22, 5, 0]
    assert scores.points["experience_years"].tolist() == [0, 5, 10]
    assert scores.total.tolist() == [29, 10, 17]


def test_an_encoded_column_scores_each_distinct_value_once_and_trimming_merges_values():
    column = Categorical.encode(["6", " 6", "7", "6 ", "3"])
    trimmed = column.recode(np.strings.strip(column.categories))
    assert trimmed.categories.tolist() == ["3", "6", "7"]
    assert trimmed.decode().tolist() == ["6", "6", "7", "6", "3"]
    scores = score_rows(grid([EDUCATION]), {"education": trimmed})
    assert scores.total.tolist() == [20, 20, 22, 20, 5]


def test_scoring_refuses_applications_without_a_field_the_grid_reads():
    g = grid([EDUCATION, PRIORITY])
    with pytest.raises(MissingFeatureError) as caught:
        score_rows(g, {"education": np.array(["6"])})
    assert caught.value.field == "priority"
    with pytest.raises(MissingFeatureError):
        score_one(g, {"education": "6"})


# ---- vectorised == row by row ----------------------------------------------------------------------------------

TEXT = st.sampled_from(["a", "b", "c", "6", "7", "yes", "no", ""])
POINTS = st.one_of(st.integers(-5, 30).map(float), st.sampled_from([0.5, 2.25, 7.75]))
BOUND = st.one_of(st.none(), st.integers(-2, 12).map(float), st.sampled_from([0.5, 3.5]))


@st.composite
def criteria(draw, field):
    kind = draw(st.sampled_from(["map", "bands", "member"]))
    cap = draw(st.one_of(st.none(), POINTS))
    spec = {"field": field, "kind": kind, "max": cap}
    if kind == "map":
        spec["points"] = draw(st.dictionaries(TEXT, POINTS, min_size=1, max_size=5))
    elif kind == "member":
        spec["values"] = draw(st.lists(TEXT, min_size=1, max_size=4))
        spec["points"] = draw(POINTS)
    else:
        bands = []
        for low, high, points in draw(st.lists(st.tuples(BOUND, BOUND, POINTS), min_size=1, max_size=4)):
            if low is not None and high is not None and low >= high:
                low, high = high - 1, low  # keep the band non-empty
            bands.append({"min": low, "max": high, "points": points})
        spec["bands"] = bands
    return spec


@st.composite
def grids_and_rows(draw):
    count = draw(st.integers(1, 5))
    specs = [draw(criteria(f"f{i}")) for i in range(count)]
    g = grid(specs, pass_mark=draw(st.integers(-5, 40)))
    numbers = st.one_of(st.integers(-3, 14).map(float), st.sampled_from([0.5, 3.5, 1e9, float("nan")]))
    rows = draw(st.lists(
        st.fixed_dictionaries({
            c.field: (numbers if c.kind == "bands" else TEXT) for c in g.criteria
        }),
        min_size=1, max_size=30,
    ))
    return g, rows


def encode(values):
    if values.dtype.kind == "U":
        return Categorical.encode(values.tolist())
    distinct, codes = np.unique(values, return_inverse=True)
    return Categorical(codes.reshape(-1), distinct)


@settings(max_examples=150, deadline=None)
@given(grids_and_rows())
def test_vectorised_scoring_agrees_exactly_with_the_row_by_row_reference(case):
    g, rows = case
    columns = {
        c.field: np.array([r[c.field] for r in rows], dtype=np.float64 if c.kind == "bands" else np.str_)
        for c in g.criteria
    }
    scores = score_rows(g, columns)
    as_lists = score_rows(g, {f: list(v) for f, v in columns.items()})  # the value-by-value path
    encoded = score_rows(g, {f: encode(v) for f, v in columns.items()})  # as the file reader holds them
    for i, row in enumerate(rows):
        reference = score_one(g, row)
        assert scores.total[i] == reference.total
        assert as_lists.total[i] == reference.total
        assert encoded.total[i] == reference.total
        assert {f: scores.points[f][i] for f in g.fields} == reference.points
        assert bool(scores.eligible[i]) == reference.eligible


@settings(max_examples=60, deadline=None)
@given(grids_and_rows(), st.sampled_from(["int", "text"]))
def test_vectorised_scoring_of_numeric_columns_for_map_and_member_agrees_with_the_reference(case, as_type):
    g, rows = case
    values = np.arange(len(rows)) % 9
    columns = {f: (values if as_type == "int" else values.astype(np.str_)) for f in g.fields}
    scores = score_rows(g, columns)
    for i, value in enumerate(values.tolist()):
        assert scores.total[i] == score_one(g, dict.fromkeys(g.fields, value)).total


# ---- explanation -----------------------------------------------------------------------------------------------

def test_the_explanation_names_the_criterion_the_value_and_the_points_in_kazakh():
    g = grid([EDUCATION])
    assert explain(g, {"education": "6"}, "kk", {"education": {"6": "жоғары"}}) == ["Білімі: жоғары (6) → 20 ұпай"]


def test_the_explanation_uses_the_field_when_the_criterion_has_no_label_and_says_a_cap():
    g = grid([EDUCATION, EXPERIENCE])
    assert explain(g, {"education": "7", "experience_years": 12}, "en") == [
        "Education: 7 → 22 points (capped at 22)", "experience_years: 12 → 10 points",
    ]


def test_the_russian_explanation_declines_points_after_the_number():
    g = grid([{"field": "x", "kind": "map", "points": {"a": 1, "b": 3, "c": 5, "d": 21, "e": 12, "f": 2.5}}])
    words = [explain(g, {"x": v}, "ru")[0].split("→ ")[1] for v in "abcdef"]
    assert words == ["1 балл", "3 балла", "5 баллов", "21 балл", "12 баллов", "2.5 балла"]


def test_the_stored_explanation_holds_all_three_languages_with_the_total():
    g = grid([EDUCATION, PRIORITY], pass_mark=20)
    texts = explanations(g, {"education": "6", "priority": ""})
    assert set(texts) == {"kk", "ru", "en"}
    assert texts["en"] == ["Education: 6 → 20 points", "priority: not given → 0 points", "Total: 20 points; pass mark 20"]
    assert texts["kk"][-1] == "Барлығы: 20 ұпай; өту шегі 20"
    assert texts["ru"][0] == "Образование: 6 → 20 баллов"


def test_an_explanation_in_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        explain(grid([EDUCATION]), {"education": "6"}, "de")

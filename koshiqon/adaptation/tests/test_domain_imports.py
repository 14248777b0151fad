"""Reading an outcomes file's header and rows: every bad cell is named by line and column."""

import pytest

from koshiqon.adaptation.domain.imports import Code, check_header, parse_row


def test_a_good_header_has_no_problem():
    assert check_header(["plan", "person", "months", "employed", "sector", "stayed_in_region"]) == []
    assert check_header(["plan", "iin", "months", "employed"]) == []


def test_a_bad_header_names_each_problem():
    problems = {(p.column, p.code) for p in check_header(["plan", "plan", "monthz", "employed"])}
    assert problems == {("monthz", Code.UNKNOWN_COLUMN), ("months", Code.MISSING_COLUMN),
                        ("person", Code.NO_PERSON_COLUMN), ("", Code.DUPLICATE_COLUMN)}


@pytest.mark.parametrize(("cells", "values"), [
    ({"plan": "ap-2026-000001", "person": "12", "months": "3", "employed": "yes"},
     {"plan": "AP-2026-000001", "person_id": 12, "months": 3, "employed": "yes"}),
    ({"plan": "AP-1", "iin": "850321400123", "months": "12", "employed": "иә", "sector": "f", "stayed_in_region": "Да"},
     {"iin": "850321400123", "months": 12, "employed": "yes", "sector": "F", "stayed": "yes"}),
    ({"plan": "AP-1", "person": "5", "months": "6", "employed": "белгісіз"}, {"employed": "unknown"}),
    ({"plan": "AP-1", "person": "5", "months": "6", "employed": "0"}, {"employed": "no"}),
])
def test_answers_are_read_in_kazakh_russian_or_english(cells, values):
    row = parse_row(2, cells)
    assert row.problems == []
    for name, value in values.items():
        assert getattr(row, name) == value


@pytest.mark.parametrize(("cells", "problems"), [
    ({}, {("plan", Code.REQUIRED), ("person", Code.PERSON_REQUIRED), ("months", Code.REQUIRED),
          ("employed", Code.REQUIRED)}),
    ({"plan": "AP-1", "person": "x5", "months": "9", "employed": "maybe"},
     {("person", Code.NOT_A_NUMBER), ("months", Code.CHECKPOINT), ("employed", Code.ANSWER)}),
    ({"plan": "AP-1", "iin": "123", "months": "3", "employed": "yes", "sector": "Z", "stayed_in_region": "?!"},
     {("iin", Code.IIN), ("sector", Code.SECTOR), ("stayed_in_region", Code.ANSWER)}),
])
def test_each_bad_cell_is_a_problem_with_its_line(cells, problems):
    row = parse_row(7, cells)
    assert {(p.column, p.code) for p in row.problems} == problems
    assert {p.line for p in row.problems} == {7}

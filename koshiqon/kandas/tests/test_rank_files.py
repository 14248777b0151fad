"""The files of `koshiqon kandas rank`: reading GRID.json, QUOTA.csv and APPLICANTS.csv with errors that name
the file, line and field, and writing RESULT.csv. No database."""

import csv
import json

import numpy as np
import pytest

from koshiqon.kandas.domain.files import RankFileError, read_applicants, read_grid, read_quota, write_result
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.ranking import Quota, rank
from koshiqon.kandas.domain.scoring import score_rows

GRID = {
    "name": "test grid", "valid_from": "2026-01-01", "legal_basis": "test", "pass_mark": 10,
    "criteria": [
        {"field": "education", "kind": "map", "points": {"6": 20, "4": 10}},
        {"field": "experience_years", "kind": "bands", "bands": [{"min": 2, "points": 5}]},
    ],
}
HEADER = "id,region,applied_at,size,education,experience_years\n"


@pytest.fixture
def grid():
    return Grid.model_validate(GRID)


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def error_of(call, *args):
    with pytest.raises(RankFileError) as caught:
        call(*args)
    return caught.value


# ---- GRID.json -------------------------------------------------------------------------------------------------

def test_it_reads_a_grid_file(tmp_path):
    assert read_grid(write(tmp_path, "GRID.json", json.dumps(GRID))).fields == ["education", "experience_years"]


def test_a_grid_that_is_not_json_is_refused_with_its_line(tmp_path):
    error = error_of(read_grid, write(tmp_path, "GRID.json", '{\n  "name": "x",\n  "pass_mark": 10,,\n}'))
    assert (error.file, error.line, error.code) == ("GRID.json", 3, "json_invalid")


def test_a_grid_error_names_the_line_the_criterion_and_its_field(tmp_path):
    bad = {**GRID, "criteria": [GRID["criteria"][0], {"field": "age", "kind": "bands", "bands": [
        {"min": 1, "max": 5, "points": 1}, {"min": 9, "max": 3, "points": 2}]}]}
    text = json.dumps(bad, indent=2)
    error = error_of(read_grid, write(tmp_path, "GRID.json", text))
    lines = text.splitlines()
    expected_line = next(i for i, line in enumerate(lines, start=1) if '"min": 9' in line) - 1  # the band's "{"
    assert (error.line, error.code) == (expected_line, "grid_band_empty")
    assert error.field == "criteria[1].bands[1] (criterion 'age')"
    assert str(error).startswith(f"GRID.json, line {expected_line}, field criteria[1].bands[1] (criterion 'age'):")


def test_a_grid_key_error_points_at_the_key_itself(tmp_path):
    text = json.dumps({**GRID, "pass_mark": "high"}, indent=2)
    error = error_of(read_grid, write(tmp_path, "GRID.json", text))
    assert error.field == "pass_mark"
    assert error.line == text.splitlines().index('  "pass_mark": "high",') + 1


def test_a_missing_file_is_named(tmp_path):
    error = error_of(read_grid, tmp_path / "GRID.json")
    assert (error.file, error.code) == ("GRID.json", "file_unreadable")


# ---- QUOTA.csv -------------------------------------------------------------------------------------------------

def test_it_reads_quotas_from_a_semicolon_file_saved_by_excel_with_a_bom(tmp_path):
    path = write(tmp_path, "QUOTA.csv", "\ufeffregion;quota;unit\r\nKZ-55; 977 ;persons\r\nKZ-59;200;families\r\n")
    assert read_quota(path) == {"KZ-55": Quota(977, "persons"), "KZ-59": Quota(200, "families")}


@pytest.mark.parametrize(("text", "line", "field", "code"), [
    ("region,quota\nKZ-55,5\n", 1, "unit", "column_missing"),
    ("region,quota,unit\nKZ-55,5,persons\nKZ-59,-1,persons\n", 3, "quota", "quota_invalid"),
    ("region,quota,unit\nKZ-55,five,persons\n", 2, "quota", "quota_invalid"),
    ("region,quota,unit\nKZ-55,5,people\n", 2, "unit", "unit_invalid"),
    ("region,quota,unit\nKZ-55,5,persons\nKZ-59,5,persons\nKZ-55,6,persons\n", 4, "region", "region_repeated"),
    ("region,quota,unit\nPavlodar,5,persons\n", 2, "region", "region_code"),
    ("region,quota,unit\nKZ-55,5\n", 2, "unit", "row_width"),
])
def test_a_bad_quota_file_is_refused_with_the_line_and_field(tmp_path, text, line, field, code):
    error = error_of(read_quota, write(tmp_path, "QUOTA.csv", text))
    assert (error.file, error.line, error.field, error.code) == ("QUOTA.csv", line, field, code)


# ---- APPLICANTS.csv --------------------------------------------------------------------------------------------

def test_it_reads_applicants_into_columns(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + "1,KZ-55,2026-02-01T09:30:00,4, 6 ,3.5\n"
                 "2,KZ-75,2026-02-02,1,4,0\n")
    applicants = read_applicants(path, grid)
    assert len(applicants) == 2
    assert applicants.ids.tolist() == ["1", "2"] and applicants.id_keys.tolist() == [1, 2]
    assert applicants.regions.decode().tolist() == ["KZ-55", "KZ-75"]
    assert applicants.sizes.tolist() == [4, 1]
    assert applicants.applied_at.astype(str).tolist() == ["2026-02-01T09:30:00.000000", "2026-02-02T00:00:00.000000"]
    assert applicants.features["education"].decode().tolist() == ["6", "4"]  # trimmed
    assert applicants.features["experience_years"].decode().tolist() == [3.5, 0.0]


def test_a_date_time_with_an_offset_is_read_in_kazakhstan_time(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + "1,KZ-55,2026-02-01T04:30:00Z,1,6,1\n"
                 "2,KZ-55,2026-02-01T09:30:00+05:00,1,6,1\n3,KZ-55,2026-02-01T09:00:00,1,6,1\n")
    moments = read_applicants(path, grid).applied_at.astype(str).tolist()
    assert moments == ["2026-02-01T09:30:00.000000"] * 2 + ["2026-02-01T09:00:00.000000"]


def test_ids_that_are_not_plain_numbers_sort_as_text_and_are_kept_as_written(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + "007,KZ-55,2026-02-01,1,6,1\n10,KZ-55,2026-02-01,1,6,1\n")
    applicants = read_applicants(path, grid)
    assert applicants.ids.tolist() == ["007", "10"] and applicants.id_keys.dtype.kind == "U"


@pytest.mark.parametrize(("rows", "line", "field", "code"), [
    ("1,KZ-55,2026-02-01,0,6,1\n", 2, "size", "size_invalid"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,2026-02-01,two,6,1\n", 3, "size", "size_invalid"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,1 Feb 2026,1,6,1\n", 3, "applied_at", "applied_at_invalid"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,,1,6,1\n", 3, "applied_at", "applied_at_invalid"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,2026-02-30T10:00,1,6,1\n", 3, "applied_at", "applied_at_invalid"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,2026-02-01,1,6,1\n1,KZ-55,2026-02-01,1,6,1\n", 4, "id", "id_repeated"),
    ("a1,KZ-55,2026-02-01,1,6,1\nb,KZ-55,2026-02-01,1,6,1\nb,KZ-55,2026-02-01,1,6,1\n", 4, "id", "id_repeated"),
    ("1,KZ-55,2026-02-01,1,6,1\n,KZ-55,2026-02-01,1,6,1\n", 3, "id", "id_missing"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,2026-02-01,1,6,\n", 3, "experience_years", "number_invalid"),
    ("1,KZ-55,2026-02-01,1,6,five\n", 2, "experience_years", "number_invalid"),
    ("1,KZ-55,2026-02-01,1,6,inf\n", 2, "experience_years", "number_invalid"),
    ("1,kz55,2026-02-01,1,6,1\n", 2, "region", "region_code"),
    ("1,KZ-55,2026-02-01,1,6,1,extra\n", 2, None, "row_width"),
    ("1,KZ-55,2026-02-01,1,6,1\n2,KZ-55,2026-02-01,1\n", 3, "education", "row_width"),
    ('1,KZ-55,2026-02-01,1,"6",1\n2,KZ-55,2026-02-01,1,"6"\n', 3, "experience_years", "row_width"),
])
def test_a_bad_applicant_is_refused_with_the_line_and_field(tmp_path, grid, rows, line, field, code):
    error = error_of(read_applicants, write(tmp_path, "APPLICANTS.csv", HEADER + rows), grid)
    assert (error.file, error.line, error.field, error.code) == ("APPLICANTS.csv", line, field, code)


def test_a_column_the_grid_reads_must_be_in_the_header(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", "id,region,applied_at,size,education\n1,KZ-55,2026-02-01,1,6\n")
    error = error_of(read_applicants, path, grid)
    assert (error.line, error.field, error.code) == (1, "experience_years", "column_missing")


def test_line_numbers_count_blank_lines_and_cells_that_span_lines(tmp_path, grid):
    blank = HEADER + "1,KZ-55,2026-02-01,1,6,1\n\n\n2,KZ-55,2026-02-01,0,6,1\n"
    assert error_of(read_applicants, write(tmp_path, "A.csv", blank), grid).line == 5
    quoted = HEADER + '1,KZ-55,2026-02-01,1,"6",1\n\n2,KZ-55,2026-02-01,1,"a\nb",1\n3,KZ-55,2026-02-01,0,6,1\n'
    assert error_of(read_applicants, write(tmp_path, "B.csv", quoted), grid).line == 6


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + "1,KZ-55,2026-02-01,1,Высшее,1\n", encoding="cp1251")
    error = error_of(read_applicants, path, grid)
    assert (error.line, error.code) == (2, "encoding")


# ---- RESULT.csv ------------------------------------------------------------------------------------------------

def ranked(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + "1,KZ-55,2026-02-01,3,4,0\n2,KZ-55,2026-02-02,2,6,2.5\n"
                 "3,KZ-75,2026-02-01,1,1,0\n")
    applicants = read_applicants(path, grid)
    scores = score_rows(grid, applicants.features)
    result = rank(applicants.id_keys, applicants.regions, applicants.applied_at, applicants.sizes, scores.total,
                  scores.eligible, {"KZ-55": Quota(2, "persons")})
    return applicants, scores, result


def test_the_result_lists_applicants_best_first_with_their_breakdown(tmp_path, grid):
    applicants, scores, result = ranked(tmp_path, grid)
    write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    with open(tmp_path / "RESULT.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id"], r["score"], r["rank"], r["decision"], r["region"]) for r in rows] == [
        ("2", "25", "1", "included", "KZ-55"), ("1", "10", "2", "waitlisted", "KZ-55"),
        ("3", "0", "3", "ineligible", "KZ-75"),
    ]
    assert json.loads(rows[0]["breakdown"]) == {"education": 20, "experience_years": 5}
    assert list(json.loads(rows[0]["breakdown"])) == ["education", "experience_years"]


def test_fractional_points_are_written_as_they_are(tmp_path):
    grid = Grid.model_validate({**GRID, "criteria": [{"field": "education", "kind": "map", "points": {"6": 7.5}},
                                                     GRID["criteria"][1]]})
    applicants, scores, result = ranked(tmp_path, grid)
    write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    first = (tmp_path / "RESULT.csv").read_text(encoding="utf-8").splitlines()[1]
    assert first == '2,12.5,1,included,KZ-55,"{""education"": 7.5, ""experience_years"": 5}"'


def test_a_result_that_cannot_be_completed_leaves_no_file_behind(tmp_path, grid, monkeypatch):
    applicants, scores, result = ranked(tmp_path, grid)
    (tmp_path / "RESULT.csv").write_text("the previous result\n")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("koshiqon.kandas.domain.files.os.replace", broken)
    with pytest.raises(OSError):
        write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    assert (tmp_path / "RESULT.csv").read_text() == "the previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["APPLICANTS.csv", "RESULT.csv"]


def test_scores_are_written_in_rank_order_for_a_larger_file(tmp_path, grid):
    lines = [f"{i},KZ-55,2026-02-{1 + i % 27:02d}T10:00:00,{1 + i % 5},{('6', '4', '1')[i % 3]},{i % 4}"
             for i in range(1, 301)]
    applicants = read_applicants(write(tmp_path, "APPLICANTS.csv", HEADER + "\n".join(lines) + "\n"), grid)
    scores = score_rows(grid, applicants.features)
    result = rank(applicants.id_keys, applicants.regions, applicants.applied_at, applicants.sizes, scores.total,
                  scores.eligible, {"KZ-55": Quota(50, "persons")})
    write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    with open(tmp_path / "RESULT.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["rank"]) for r in rows] == list(range(1, 301))
    assert np.all(np.diff([float(r["score"]) for r in rows]) <= 0)
    included = [r for r in rows if r["decision"] == "included"]
    assert sum(int(applicants.sizes[int(r["id"]) - 1]) for r in included) <= 50


def test_quoted_cells_are_read_and_ids_that_need_quotes_are_written_quoted(tmp_path, grid):
    path = write(tmp_path, "APPLICANTS.csv", HEADER + '"A,1",KZ-55,2026-02-01,1,"6",1\n'
                 '"B ""2""",KZ-55,2026-02-02,1,6,1\n')
    applicants = read_applicants(path, grid)
    assert applicants.ids.tolist() == ["A,1", 'B "2"']
    scores = score_rows(grid, applicants.features)
    result = rank(applicants.id_keys, applicants.regions, applicants.applied_at, applicants.sizes, scores.total,
                  scores.eligible, {})
    write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    with open(tmp_path / "RESULT.csv", encoding="utf-8", newline="") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == ["A,1", 'B "2"']


def test_a_file_with_a_header_and_no_applicants_gives_an_empty_result(tmp_path, grid):
    applicants = read_applicants(write(tmp_path, "APPLICANTS.csv", HEADER), grid)
    scores = score_rows(grid, applicants.features)
    result = rank(applicants.id_keys, applicants.regions, applicants.applied_at, applicants.sizes, scores.total,
                  scores.eligible, {"KZ-55": Quota(3, "persons")})
    write_result(tmp_path / "RESULT.csv", grid, applicants, scores, result)
    assert (tmp_path / "RESULT.csv").read_text(encoding="utf-8") == "id,score,rank,decision,region,breakdown\n"


def test_an_empty_file_lacks_every_column(tmp_path, grid):
    error = error_of(read_applicants, write(tmp_path, "APPLICANTS.csv", ""), grid)
    assert (error.line, error.field, error.code) == (1, "id", "column_missing")

"""Rows of the labour exchange's files, read cell by cell, and how a jobseeker matches an occupation."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from koshiqon.labour.domain.exchange import (
    JOBSEEKER_COLUMNS,
    JOBSEEKER_REQUIRED,
    CellError,
    cell_date,
    cell_text,
    cell_whole,
    header_problems,
    occupation_covers,
    parse_jobseeker,
    parse_vacancy,
)
from koshiqon.labour.domain.sectors import CODES, SECTORS, sector_name
from koshiqon.people.domain.iin import make_bin

TODAY = date(2026, 3, 1)
BIN = make_bin(date(2015, 3, 1), "4", "0", 10)
VACANCY = {"exchange_id": "ENBEK-1", "employer_bin": BIN, "title": "Инженер", "occupation": "214",
           "region": "kz-55", "wage": "450 000", "posted_on": "15.02.2026", "status": ""}


def codes(problems):
    return [(p.column, p.code) for p in problems]


@pytest.mark.parametrize(("asked", "registered", "covers"), [
    ("214", "214", True), ("214", "2142", True), ("21", "2142", True), ("2142", "214", False),
    ("214", "215", False), ("2", "21", True), ("", "214", False),
])
def test_a_jobseeker_counts_for_the_group_asked_and_its_sub_groups_only(asked, registered, covers):
    assert occupation_covers(asked, registered) is covers


def test_cells_read_as_a_spreadsheet_or_a_csv_gives_them():
    assert cell_text(1.0) == "1" and cell_text(None) == "" and cell_text(date(2026, 1, 2)) == "2026-01-02"
    assert cell_whole("250 000") == 250_000 and cell_whole(250000.0) == 250_000 and cell_whole("300000.00") == 300_000
    assert cell_whole(Decimal("7")) == 7
    assert cell_date("2026-02-15") == cell_date("15.02.2026") == cell_date(datetime(2026, 2, 15, 0, 0)) == date(2026, 2, 15)
    for bad in ("2.5", "abc", True, 2.5):
        with pytest.raises(CellError):
            cell_whole(bad)
    with pytest.raises(CellError):
        cell_date("31.02.2026")


def test_a_good_vacancy_row_reads_whole_with_its_defaults():
    row, problems = parse_vacancy(VACANCY, today=TODAY)
    assert problems == []
    assert (row.region, row.wage, row.posted_on, row.status) == ("KZ-55", 450_000, date(2026, 2, 15), "open")


def test_every_problem_of_a_vacancy_row_is_reported_not_only_the_first():
    row, problems = parse_vacancy({**VACANCY, "employer_bin": BIN[:-1] + str((int(BIN[-1]) + 1) % 10), "title": "",
                                   "occupation": "21a", "wage": "-5", "posted_on": "2026-04-01",
                                   "status": "done"}, today=TODAY)
    assert row is None
    assert codes(problems) == [("employer_bin", "bin_check_digit"), ("title", "required"),
                               ("occupation", "occupation_format"), ("wage", "positive"), ("posted_on", "future"),
                               ("status", "status")]


def test_a_jobseeker_cannot_be_deregistered_before_being_registered():
    record = {"registration": "JS-1", "occupation": "711", "region": "KZ-55", "education": "3",
              "registered_on": "2025-05-01", "deregistered_on": "2025-04-01"}
    row, problems = parse_jobseeker(record, today=TODAY)
    assert row is None and codes(problems) == [("deregistered_on", "before_registration")]
    row, problems = parse_jobseeker({**record, "deregistered_on": None, "education": ""}, today=TODAY)
    assert problems == [] and row.deregistered_on is None and row.education == ""


def test_the_first_line_must_name_known_columns_once_and_every_required_one():
    assert codes(header_problems(["registration", "occupation", "region", "registered_on"], JOBSEEKER_COLUMNS,
                                 JOBSEEKER_REQUIRED)) == []
    problems = header_problems(["registration", "job", "region", "region"], JOBSEEKER_COLUMNS, JOBSEEKER_REQUIRED)
    assert codes(problems) == [("job", "unknown_column"), ("occupation", "missing_column"),
                               ("registered_on", "missing_column"), ("", "duplicate_column")]


def test_the_sectors_are_the_21_sections_of_oked_named_in_three_languages():
    assert CODES == tuple("ABCDEFGHIJKLMNOPQRSTU")
    assert all(s.kk and s.ru and s.en for s in SECTORS)
    assert sector_name("F", "kk") == "Құрылыс" and sector_name("F", "ru") == "Строительство"
    assert sector_name("F", "en") == "Construction" and sector_name("Z", "kk") == "Z"

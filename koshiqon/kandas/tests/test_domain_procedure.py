"""Deadlines of the kandas procedure in working days, the overdue flag, status validity and appeal terms."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koshiqon.core.domain.calendar import WorkCalendar, kazakhstan_calendar
from koshiqon.kandas.domain import procedure
from koshiqon.kandas.domain.policy import rules_from
from koshiqon.kandas.domain.procedure import Deadlines, age_on, overdue

DATA = Path(__file__).resolve().parents[1] / "data"
RULES = rules_from(json.loads((DATA / "rules_2026.json").read_text(encoding="utf-8")))
KZ = kazakhstan_calendar()


def test_a_file_received_on_a_tuesday_is_checked_by_wednesday_and_recommended_by_the_next_monday():
    deadlines = procedure.on_submission(date(2026, 2, 10), RULES, KZ)  # Tuesday
    assert deadlines == Deadlines(check_due=date(2026, 2, 11), commission_due=date(2026, 2, 16))


def test_the_check_deadline_skips_nauryz():
    # Friday 20 March 2026; 21-25 March are Nauryz days off (with the days moved from the weekend).
    assert procedure.check_due(date(2026, 3, 20), RULES, KZ) == date(2026, 3, 26)


def test_the_commission_term_runs_from_the_day_the_file_is_found_complete():
    assert procedure.commission_due(date(2026, 3, 26), RULES, KZ) == date(2026, 3, 31)
    assert procedure.on_check(date(2026, 3, 26), complete=True, rules=RULES, calendar=KZ) == Deadlines(
        None, date(2026, 3, 31))


def test_a_returned_file_has_no_running_deadline():
    assert procedure.on_check(date(2026, 3, 26), complete=False, rules=RULES, calendar=KZ) == Deadlines(None, None)


def test_a_file_received_on_a_saturday_is_due_on_monday():
    assert procedure.check_due(date(2026, 2, 14), RULES, KZ) == date(2026, 2, 16)


def test_a_government_transfer_of_a_day_off_moves_the_deadline():
    # A made-up transfer: Thursday 12 Feb is rested, Saturday 14 Feb worked instead.
    calendar = WorkCalendar(transfers=[(date(2026, 2, 14), date(2026, 2, 12))])
    assert procedure.check_due(date(2026, 2, 11), RULES, calendar) == date(2026, 2, 13)
    assert procedure.check_due(date(2026, 2, 13), RULES, calendar) == date(2026, 2, 14)


def test_the_deadlines_follow_the_rules_version():
    slower = RULES.model_copy(update={"check_working_days": 5})
    assert procedure.check_due(date(2026, 2, 10), slower, KZ) == date(2026, 2, 17)


@given(st.dates(min_value=date(2007, 1, 1), max_value=date(2030, 12, 31)))
def test_a_procedure_deadline_never_lands_on_a_day_off(received):
    deadlines = procedure.on_submission(received, RULES, KZ)
    assert KZ.is_working_day(deadlines.check_due)
    assert KZ.is_working_day(deadlines.commission_due)
    assert deadlines.check_due > received
    assert deadlines.commission_due > deadlines.check_due


@pytest.mark.parametrize(
    ("status", "today", "expected"),
    [
        ("submitted", date(2026, 2, 11), None),  # the due day itself is still in time
        ("submitted", date(2026, 2, 12), "check"),
        ("checked", date(2026, 2, 12), None),
        ("checked", date(2026, 2, 16), None),
        ("checked", date(2026, 2, 17), "commission"),
        ("returned", date(2026, 3, 1), None),  # waiting on the family, not on the office
        ("recommended", date(2026, 3, 1), None),
        ("withdrawn", date(2026, 3, 1), None),
        ("no-such-status", date(2026, 3, 1), None),
    ],
)
def test_an_application_is_overdue_only_while_it_waits_past_the_deadline_of_its_status(status, today, expected):
    deadlines = Deadlines(check_due=date(2026, 2, 11), commission_due=date(2026, 2, 16))
    assert overdue(status, deadlines, today) == expected


def test_kandas_status_is_valid_for_365_days_from_the_day_of_grant():
    assert procedure.status_valid_until(date(2026, 3, 1), RULES) == date(2027, 2, 28)


def test_a_year_of_status_keeps_the_29th_of_february_of_a_leap_year():
    year = RULES.model_copy(update={"status_validity_months": 12})
    assert procedure.status_valid_until(date(2027, 3, 1), year) == date(2028, 2, 29)
    assert procedure.status_valid_until(date(2028, 1, 10), year) == date(2029, 1, 9)
    assert procedure.status_valid_until(date(2028, 2, 29), year) == date(2029, 2, 27)  # 28 Feb 2029, less a day
    assert procedure.status_valid_until(date(2026, 3, 1), year) == date(2027, 2, 28)


def test_an_appeal_term_ending_on_a_day_off_ends_on_the_next_working_day():
    # 30 calendar days after 21 Feb 2026 is Monday 23 March, a Nauryz day off: the term ends on 26 March.
    assert procedure.appeal_filing_due(date(2026, 2, 21), RULES, KZ) == date(2026, 3, 26)
    assert procedure.appeal_filing_due(date(2026, 2, 2), RULES, KZ) == date(2026, 3, 4)


def test_an_appeal_is_decided_within_its_working_days():
    filed = date(2026, 2, 2)
    due = procedure.appeal_decision_due(filed, RULES, KZ)
    assert KZ.working_days_between(filed, due) == RULES.appeal_decision_working_days


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 5, 17), date(2026, 5, 16), 35),
        (date(1990, 5, 17), date(2026, 5, 17), 36),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
    ],
)
def test_age_is_counted_in_full_years(birth, on, age):
    assert age_on(birth, on) == age


def test_a_term_of_zero_working_days_is_due_the_same_working_day():
    zero = RULES.model_copy(update={"check_working_days": 0})
    assert procedure.check_due(date(2026, 2, 10), zero, KZ) == date(2026, 2, 10)
    assert procedure.check_due(date(2026, 2, 14), zero, KZ) == date(2026, 2, 14) + timedelta(days=2)

"""Outcomes: checkpoints after arrival, working age, the answers and when each may be given, and rates."""

from datetime import date

import pytest

from koshiqon.adaptation.domain.outcomes import (
    OutcomeValues,
    Problem,
    Rate,
    add_months,
    as_flag,
    checkpoint_date,
    is_working_age,
    outcome_problems,
)

ARRIVAL = date(2025, 5, 31)
ADULT = date(1985, 1, 1)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 5, 31), 3, date(2025, 8, 31)),
    (date(2025, 5, 31), 6, date(2025, 11, 30)),  # November has no 31st
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 1, 15), 12, date(2026, 1, 15)),
])
def test_a_checkpoint_is_whole_months_after_arrival(day, months, expected):
    assert add_months(day, months) == expected == checkpoint_date(day, months)


@pytest.mark.parametrize(("birth", "sex", "on", "working"), [
    (date(2010, 6, 1), "M", date(2026, 5, 31), False),  # 15
    (date(2010, 6, 1), "M", date(2026, 6, 1), True),  # 16 today
    (date(1963, 6, 1), "M", date(2026, 5, 31), True),  # 62
    (date(1963, 6, 1), "M", date(2026, 6, 1), False),  # 63: pension age of men
    (date(1965, 6, 1), "F", date(2026, 6, 1), False),  # 61: pension age of women
    (date(1965, 6, 1), "F", date(2026, 5, 31), True),
])
def test_working_age_runs_from_16_to_the_pension_age_of_the_persons_sex(birth, sex, on, working):
    assert is_working_age(birth=birth, sex=sex, on=on) is working


def test_the_pension_age_is_a_parameter():
    assert is_working_age(birth=date(1965, 6, 1), sex="F", on=date(2026, 6, 1), pension={"M": 63, "F": 63})


@pytest.mark.parametrize(("values", "today", "birth", "expected"), [
    (OutcomeValues(3, "yes", "F"), date(2025, 9, 1), ADULT, {}),
    (OutcomeValues(12, "no", "", "yes"), date(2026, 6, 1), ADULT, {}),
    (OutcomeValues(6, "unknown"), date(2025, 11, 30), ADULT, {}),  # the checkpoint day itself
    (OutcomeValues(6, "unknown"), date(2025, 11, 29), ADULT, {"months": Problem.NOT_DUE}),
    (OutcomeValues(9, "yes"), date(2026, 6, 1), ADULT, {"months": Problem.CHECKPOINT}),
    (OutcomeValues(3, "maybe"), date(2026, 6, 1), ADULT, {"employed": Problem.EMPLOYED}),
    (OutcomeValues(3, "yes", "Z"), date(2026, 6, 1), ADULT, {"sector": Problem.SECTOR}),
    (OutcomeValues(3, "no", "F"), date(2026, 6, 1), ADULT, {"sector": Problem.SECTOR_NOT_EMPLOYED}),
    (OutcomeValues(6, "yes", "", "yes"), date(2026, 6, 1), ADULT, {"stayed": Problem.STAYED_TOO_EARLY}),
    (OutcomeValues(12, "yes", "", "perhaps"), date(2026, 6, 1), ADULT, {"stayed": Problem.STAYED}),
    (OutcomeValues(3, "yes"), date(2026, 6, 1), date(2012, 1, 1), {"person": Problem.NOT_WORKING_AGE}),
])
def test_an_outcome_is_checked_against_the_rules(values, today, birth, expected):
    assert outcome_problems(values, arrival=ARRIVAL, birth=birth, sex="M", today=today) == expected


def test_answers_become_flags_for_the_placement_model():
    assert (as_flag("yes"), as_flag("no"), as_flag("unknown"), as_flag(""), as_flag(None)) == (
        True, False, None, None, None)


@pytest.mark.parametrize(("yes", "known", "percent", "suppressed"), [
    (3, 10, 30.0, False), (2, 3, None, True), (0, 5, 0.0, False), (5, 5, 100.0, False), (0, 0, None, True),
])
def test_a_rate_over_fewer_than_five_known_persons_is_not_shown(yes, known, percent, suppressed):
    rate = Rate(yes=yes, known=known)
    assert rate.percent == percent and rate.suppressed is suppressed

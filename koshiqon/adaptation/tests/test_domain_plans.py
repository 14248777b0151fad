"""Referral states, plan progress, default due dates and the plan's own checks (calendar dates)."""

from datetime import date

import pytest

from koshiqon.adaptation.domain.plans import (
    Problem,
    Progress,
    ReferralState,
    days_overdue,
    default_due,
    delivered_late,
    delivery_problems,
    plan_problems,
    plan_progress,
    referral_problems,
    referral_state,
)

TODAY = date(2026, 5, 20)


@pytest.mark.parametrize(("due", "delivered", "state", "late", "days"), [
    (date(2026, 5, 25), None, ReferralState.DUE, False, 0),
    (date(2026, 5, 20), None, ReferralState.DUE, False, 0),  # due today: still in time
    (date(2026, 5, 19), None, ReferralState.OVERDUE, False, 1),
    (date(2026, 5, 16), None, ReferralState.OVERDUE, False, 4),  # a weekend counts: calendar days
    (date(2026, 5, 10), date(2026, 5, 9), ReferralState.DELIVERED, False, 0),
    (date(2026, 5, 10), date(2026, 5, 15), ReferralState.DELIVERED, True, 0),  # late, but no longer overdue
])
def test_a_referral_is_overdue_only_past_its_due_date_and_undelivered(due, delivered, state, late, days):
    assert referral_state(due_on=due, delivered_on=delivered, today=TODAY) == state
    assert delivered_late(due_on=due, delivered_on=delivered) is late
    assert days_overdue(due_on=due, delivered_on=delivered, today=TODAY) == days


@pytest.mark.parametrize(("states", "delivered", "referred", "percent", "complete"), [
    ([], 0, 0, 0, False),
    ([ReferralState.DUE], 0, 1, 0, False),
    ([ReferralState.DELIVERED, ReferralState.OVERDUE, ReferralState.DUE], 1, 3, 33, False),
    ([ReferralState.DELIVERED, ReferralState.DELIVERED, ReferralState.DUE], 2, 3, 66, False),
    ([ReferralState.DELIVERED] * 4, 4, 4, 100, True),
])
def test_progress_is_delivered_over_referred_rounded_down(states, delivered, referred, percent, complete):
    progress = plan_progress(states)
    assert progress == Progress(delivered, referred)
    assert progress.percent == percent and progress.complete is complete


@pytest.mark.parametrize(("arrival", "referred", "days", "due"), [
    (date(2026, 5, 1), date(2026, 4, 20), 7, date(2026, 5, 8)),  # made before arrival: counted from arrival
    (date(2026, 5, 1), date(2026, 5, 10), 7, date(2026, 5, 17)),  # referred later: counted from the referral
    (date(2026, 5, 1), date(2026, 5, 1), 0, date(2026, 5, 1)),
])
def test_the_default_due_date_is_the_services_term_after_arrival_or_referral(arrival, referred, days, due):
    assert default_due(arrival=arrival, referred_on=referred, due_days=days) == due


@pytest.mark.parametrize(("arrival", "size", "aid", "expected"), [
    (date(2026, 5, 1), 4, 1_000_000, {}),
    (date(1990, 1, 1), 4, 0, {"arrival_date": Problem.ARRIVAL_TOO_EARLY}),
    (date(2027, 6, 1), 4, 0, {"arrival_date": Problem.ARRIVAL_TOO_LATE}),
    (date(2026, 5, 1), 0, 0, {"family_size": Problem.FAMILY_SIZE}),
    (date(2026, 5, 1), 41, -1, {"family_size": Problem.FAMILY_SIZE, "financial_aid_tenge": Problem.FINANCIAL_AID}),
])
def test_a_plans_values_are_checked(arrival, size, aid, expected):
    assert plan_problems(arrival=arrival, family_size=size, financial_aid_tenge=aid, today=TODAY) == expected


def test_a_due_date_cannot_precede_the_referral():
    assert referral_problems(referred_on=TODAY, due_on=date(2026, 5, 19)) == {"due_on": Problem.DUE_BEFORE_REFERRAL}
    assert referral_problems(referred_on=TODAY, due_on=TODAY) == {}


@pytest.mark.parametrize(("delivered", "already", "expected"), [
    (date(2026, 5, 18), None, {}),
    (date(2026, 5, 21), None, {"delivered_on": Problem.DELIVERED_IN_FUTURE}),
    (date(2026, 5, 1), None, {"delivered_on": Problem.DELIVERED_BEFORE_REFERRAL}),
    (date(2026, 5, 18), date(2026, 5, 17), {"delivered_on": Problem.ALREADY_DELIVERED}),
])
def test_a_delivery_is_recorded_once_between_the_referral_and_today(delivered, already, expected):
    assert delivery_problems(referred_on=date(2026, 5, 10), delivered_on=delivered, already=already,
                             today=TODAY) == expected

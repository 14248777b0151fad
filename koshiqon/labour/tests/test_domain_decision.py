"""The permit decision: each regime's labour-market test, staff shares at the edge, ICT, quota, jobseekers."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koshiqon.labour.domain.decision import (
    PermitCase,
    StaffCount,
    decide_permit,
    ict_share_passes,
    staff_share_passes,
)
from koshiqon.labour.domain.regimes import regime_on

APPLIED = date(2026, 3, 16)
ROOMY = (StaffCount("1", 100, 0), StaffCount("2", 100, 0), StaffCount("3", 100, 0), StaffCount("4", 100, 0))
GOOD_2026 = PermitCase(applied_on=APPLIED, category="3", vacancy_id="V-1", vacancy_posted_on=APPLIED - timedelta(days=30),
                       staff=ROOMY)


def decide(case, *, quota_left=10, local_jobseekers=0):
    return decide_permit(case, regime=regime_on(case.applied_on), quota_left=quota_left,
                         local_jobseekers=local_jobseekers)


def step(decision, code):
    return next(s for s in decision.steps if s.code == code)


def test_a_complete_2026_application_is_granted_with_every_step_explained_in_three_languages():
    decision = decide(GOOD_2026, local_jobseekers=4)
    assert decision.granted and decision.reasons == ()
    assert [s.code for s in decision.steps] == [
        "category", "lmt_exchange", "automatic_checks", "staff_share", "quota", "local_jobseekers"]
    for s in decision.steps:
        assert set(s.explanation) == {"kk", "ru", "en"} and all(s.explanation.values())
    assert step(decision, "lmt_exchange").text("en") == (
        "Vacancy V-1 was posted on the labour exchange on 2026-02-14, 30 days before the application "
        "(at least 15 required).")


@pytest.mark.parametrize(("days_posted_before", "granted"), [(0, False), (14, False), (15, True), (16, True)])
def test_the_vacancy_must_be_posted_at_least_fifteen_calendar_days_before_the_application(days_posted_before, granted):
    case = replace(GOOD_2026, vacancy_posted_on=APPLIED - timedelta(days=days_posted_before))
    decision = decide(case)
    assert decision.granted is granted
    assert decision.reasons == (() if granted else ("lmt_exchange",))


def test_a_2026_application_quoting_no_vacancy_is_refused():
    decision = decide(replace(GOOD_2026, vacancy_id=None))
    assert decision.reasons == ("lmt_exchange",)
    assert "quotes no vacancy" in step(decision, "lmt_exchange").text("en")


def test_the_same_facts_pass_on_31_august_2025_by_notification_and_fail_on_1_september_2025_without_a_vacancy():
    facts = replace(GOOD_2026, vacancy_id=None, vacancy_posted_on=None, employment_body_notified=True)
    before = decide(replace(facts, applied_on=date(2025, 8, 31)))
    after = decide(replace(facts, applied_on=date(2025, 9, 1)))
    assert before.granted and [s.code for s in before.steps][1] == "lmt_notify"
    assert not after.granted and after.reasons == ("lmt_exchange",)


def test_without_notification_the_2012_regime_refuses():
    case = replace(GOOD_2026, applied_on=date(2012, 3, 12), vacancy_id=None, vacancy_posted_on=None)
    assert decide(case).reasons == ("lmt_notify",)


def test_on_11_march_2012_the_2008_test_and_categories_still_apply():
    facts = replace(GOOD_2026, applied_on=date(2012, 3, 11), category="3", advertised=True,
                    rejections_justified=True, replacement_undertaken=True)
    decision = decide(facts)
    assert decision.granted and decision.regime == "advertise"
    assert "staff_share" not in [s.code for s in decision.steps]  # no share rule before 12 March 2012
    assert decide(replace(facts, category="4")).reasons == ("category",)
    refused = decide(replace(facts, rejections_justified=False))
    assert refused.reasons == ("lmt_advertise",)
    assert "rejections justified: no" in step(refused, "lmt_advertise").text("en")
    assert "отказы обоснованы: нет" in step(refused, "lmt_advertise").text("ru")


def test_the_old_category_one_plus_two_is_not_a_category_after_12_march_2012():
    assert decide(replace(GOOD_2026, category="1+2")).reasons == ("category",)


@pytest.mark.parametrize(("category", "citizens", "foreigners", "passes"), [
    ("1", 7, 2, True),    # 7 of 10 after the hire: exactly 70%
    ("1", 7, 3, False),   # 7 of 11
    ("2", 70, 29, True),  # 70 of 100
    ("2", 69, 29, False),
    ("3", 9, 0, True),    # 9 of 10: exactly 90%
    ("3", 9, 1, False),
    ("4", 90, 9, True),
    ("4", 89, 10, False),
])
def test_citizen_shares_after_the_hire_pass_exactly_at_the_edge(category, citizens, foreigners, passes):
    case = replace(GOOD_2026, category=category, staff=(StaffCount(category, citizens, foreigners),))
    decision = decide(case)
    assert step(decision, "staff_share").passed is passes
    assert decision.granted is passes


def test_the_staff_share_explanation_states_the_counts_after_the_hire():
    case = replace(GOOD_2026, category="1", staff=(StaffCount("1", 7, 2),))
    assert step(decide(case), "staff_share").text("en") == (
        "Citizens of Kazakhstan among the staff of category 1 after the hire: 7 of 10 (70%), at least 70% required.")


def test_an_employer_without_staff_in_the_category_fails_the_share_test():
    assert decide(replace(GOOD_2026, staff=())).reasons == ("staff_share",)


@pytest.mark.parametrize(("citizens", "transferees", "passes"), [(10, 4, True), (10, 5, False), (2, 0, True),
                                                                 (1, 0, False)])
def test_intra_corporate_transferees_are_at_most_half_of_the_local_staff_of_the_category(citizens, transferees, passes):
    staff = (StaffCount("2", citizens, transferees, ict_transferees=transferees),)
    decision = decide(replace(GOOD_2026, category="2", ict=True, staff=staff), quota_left=0)
    assert [s.code for s in decision.steps if s.code.endswith("share")] == ["ict_share"]
    assert decision.granted is passes


def test_an_intra_corporate_transfer_is_outside_the_quota():
    staff = (StaffCount("2", 10, 0),)
    decision = decide(replace(GOOD_2026, category="2", ict=True, staff=staff), quota_left=0)
    assert decision.granted and step(decision, "quota").passed
    assert step(decision, "quota").text("en") == "Intra-corporate transfers are outside the quota."


def test_there_was_no_intra_corporate_transfer_regime_before_2012():
    case = replace(GOOD_2026, applied_on=date(2010, 1, 5), category="3", ict=True, advertised=True,
                   rejections_justified=True, replacement_undertaken=True)
    assert decide(case).reasons == ("category",)


@pytest.mark.parametrize(("left", "granted"), [(0, False), (1, True)])
def test_a_hire_needs_a_quota_place_left(left, granted):
    decision = decide(GOOD_2026, quota_left=left)
    assert decision.granted is granted
    assert step(decision, "quota").text("ru") == (
        "Остаток квоты в этом регионе и категории: 1." if granted else "Квота этого региона и категории исчерпана.")


def test_the_automatic_checks_refuse_an_employer_found_in_the_registers():
    assert decide(replace(GOOD_2026, registers_clear=False)).reasons == ("automatic_checks",)


def test_the_local_jobseekers_are_stated_whatever_the_outcome():
    refused = decide(replace(GOOD_2026, vacancy_id=None), local_jobseekers=12)
    jobseekers = step(refused, "local_jobseekers")
    assert jobseekers.passed and "local_jobseekers" not in refused.reasons
    assert jobseekers.text("en").endswith("could have been offered the job: 12.")
    assert jobseekers.text("kk").endswith(": 12.")


def test_every_failed_step_is_a_reason_in_order():
    case = replace(GOOD_2026, vacancy_id=None, registers_clear=False, staff=())
    assert decide(case, quota_left=0).reasons == ("lmt_exchange", "automatic_checks", "staff_share", "quota")


def test_a_regime_not_in_force_on_the_application_date_is_rejected():
    with pytest.raises(ValueError):
        decide_permit(GOOD_2026, regime=regime_on(date(2020, 1, 1)), quota_left=1, local_jobseekers=0)


def test_staff_counts_cannot_be_negative_nor_count_transferees_outside_the_foreigners():
    with pytest.raises(ValueError):
        StaffCount("1", -1, 0)
    with pytest.raises(ValueError):
        StaffCount("1", 5, 1, ict_transferees=2)


SHARES = st.sampled_from([(70, 100), (90, 100)])
COUNTS = st.integers(min_value=0, max_value=10_000)


@given(SHARES, COUNTS, COUNTS)
def test_adding_a_citizen_never_turns_a_passing_share_test_into_a_failing_one(minimum, citizens, foreigners):
    if staff_share_passes(StaffCount("1", citizens, foreigners), minimum):
        assert staff_share_passes(StaffCount("1", citizens + 1, foreigners), minimum)


@given(SHARES, COUNTS, COUNTS)
def test_adding_a_foreigner_never_turns_a_failing_share_test_into_a_passing_one(minimum, citizens, foreigners):
    if not staff_share_passes(StaffCount("1", citizens, foreigners), minimum):
        assert not staff_share_passes(StaffCount("1", citizens, foreigners + 1), minimum)


@given(COUNTS, COUNTS)
def test_the_ict_cap_agrees_with_the_share_in_exact_arithmetic(citizens, transferees):
    passes = ict_share_passes(StaffCount("1", citizens, transferees, transferees), (50, 100))
    assert passes is (2 * (transferees + 1) <= citizens)

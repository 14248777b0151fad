"""Filing and deciding permit applications: each regime on its boundary dates, the 15-day rule, staff shares at
the edge, intra-corporate transfers, the quota, the fee, the permit issued, and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.labour.models import EmployerStaff, Permit, QuotaAllocation
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.services.permits import permit_application_submit, permit_application_withdraw
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    make_jobseekers,
    make_vacancy,
    make_worker,
    occupation,
    passport,
    region,
)
from koshiqon.people.models import IdentityDocument, Person
from koshiqon.reference.models import Country

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def scene(reference):
    load_mci()
    occupation()
    for year in (2011, 2025, 2026):
        make_allocation(year=year, category="3", places=10)
    make_allocation(year=2011, category="1+2", places=10)


def decide(application, by, today=TODAY):
    return permit_application_decide(application=application, by=by, today=today)


def codes(application) -> list[str]:
    return [s["code"] for s in application.steps]


def step(application, code) -> dict:
    return next(s for s in application.steps if s["code"] == code)


# --- Regimes on their boundary dates -------------------------------------------------------------------------

def test_an_application_of_31_august_2025_is_decided_by_notifying_the_employment_body(scene, officer):
    employer = make_employer()
    application = make_application(employer, applied_on=date(2025, 8, 31), employment_body_notified=True)
    decided = decide(application, officer)
    assert decided.regime == "notify" and decided.status == "granted"
    assert codes(decided) == ["category", "lmt_notify", "staff_share", "quota", "local_jobseekers", "fee"]


def test_an_application_of_31_august_2025_without_notification_is_refused_for_it(scene, officer):
    application = make_application(make_employer(), applied_on=date(2025, 8, 31))
    decided = decide(application, officer)
    assert decided.status == "refused" and decided.reasons == ["lmt_notify"]
    assert "not notified" in step(decided, "lmt_notify")["en"]


def test_an_application_of_1_september_2025_needs_the_vacancy_on_the_exchange(scene, officer):
    employer = make_employer()
    vacancy = make_vacancy(employer, posted_on=date(2025, 8, 1))
    application = make_application(employer, applied_on=date(2025, 9, 1), vacancy=vacancy,
                                   employment_body_notified=False)
    decided = decide(application, officer)
    assert decided.regime == "exchange" and decided.status == "granted"
    assert codes(decided)[:3] == ["category", "lmt_exchange", "automatic_checks"]
    assert vacancy.exchange_id in step(decided, "lmt_exchange")["kk"]


def test_filing_on_1_september_2025_without_a_vacancy_is_a_field_error_but_on_31_august_it_is_not(scene, officer):
    employer = make_employer()
    common = dict(employer=employer, region=region(), kind="standard", category="3", occupation=occupation(),
                  months=12, by=officer, today=TODAY)
    with pytest.raises(ValidationError) as exc:
        permit_application_submit(worker=make_worker(), applied_on=date(2025, 9, 1), **common)
    assert "vacancy" in exc.value.message_dict
    filed = permit_application_submit(worker=make_worker(), applied_on=date(2025, 8, 31),
                                      employment_body_notified=True, **common)
    assert filed.status == "submitted" and filed.vacancy is None


def test_the_2008_2011_regime_asks_for_the_advertisement_and_justified_rejections(scene, officer):
    employer = make_employer(staff={})
    facts = dict(advertised=True, rejections_justified=True, replacement_undertaken=True)
    granted = decide(make_application(employer, applied_on=date(2011, 6, 1), category="1+2", **facts), officer)
    assert granted.regime == "advertise" and granted.status == "granted"
    assert codes(granted) == ["category", "lmt_advertise", "quota", "local_jobseekers", "fee"]
    refused = decide(make_application(employer, applied_on=date(2011, 6, 2), category="1+2", advertised=True),
                     officer)
    assert refused.reasons == ["lmt_advertise"]


def test_the_2012_rules_take_over_on_12_march_2012_with_their_categories(scene, officer):
    make_allocation(year=2012, category="1+2", places=3)
    make_allocation(year=2012, category="3", places=3)
    employer = make_employer()
    facts = dict(advertised=True, rejections_justified=True, replacement_undertaken=True,
                 employment_body_notified=True)
    old = decide(make_application(employer, applied_on=date(2012, 3, 11), category="1+2", **facts), officer)
    new = decide(make_application(employer, applied_on=date(2012, 3, 12), category="3", **facts), officer)
    assert (old.regime, old.status) == ("advertise", "granted")
    assert (new.regime, new.status) == ("notify", "granted") and "staff_share" in codes(new)
    late_old = decide(make_application(employer, applied_on=date(2012, 3, 12), category="1+2", **facts), officer)
    assert late_old.reasons == ["category"]  # "1+2" no longer exists on 12 March 2012


# --- The 15-day rule -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "granted"), [(14, False), (15, True)])
def test_the_vacancy_must_be_posted_at_least_15_calendar_days_before(scene, officer, days, granted):
    employer = make_employer()
    applied = date(2026, 3, 16)
    vacancy = make_vacancy(employer, posted_on=applied - timedelta(days=days))
    decided = decide(make_application(employer, applied_on=applied, vacancy=vacancy), officer)
    assert (decided.status == "granted") is granted
    assert step(decided, "lmt_exchange")["passed"] is granted
    assert f"{days}" in step(decided, "lmt_exchange")["en"]


# --- Staff shares at the edge ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("category", "citizens", "foreigners", "granted"), [
    ("3", 90, 9, True),   # 90 of 100 after the hire: exactly 90%
    ("3", 89, 10, False),  # 89%
    ("1", 70, 29, True),  # exactly 70%
    ("1", 69, 30, False),
])
def test_citizens_share_after_the_hire_is_checked_at_the_edge(reference, officer, category, citizens, foreigners,
                                                              granted):
    load_mci()
    make_allocation(year=2026, category=category, places=5)
    employer = make_employer(staff={category: (citizens, foreigners)})
    vacancy = make_vacancy(employer, posted_on=date(2026, 1, 5))
    decided = decide(make_application(employer, applied_on=date(2026, 3, 2), category=category, vacancy=vacancy),
                     officer)
    assert (decided.status == "granted") is granted
    assert step(decided, "staff_share")["passed"] is granted
    assert f"{citizens} of 100" in step(decided, "staff_share")["en"]


def test_an_intra_corporate_transfer_is_outside_the_quota_free_and_capped_at_half_the_local_staff(scene, officer):
    make_allocation(year=2026, category="2", places=0)
    employer = make_employer(staff={"2": (10, 4)})
    EmployerStaff.objects.filter(employer=employer).update(ict_transferees=4)
    vacancy = make_vacancy(employer, posted_on=date(2026, 1, 5))
    first = decide(make_application(employer, applied_on=date(2026, 3, 2), category="2", kind="ict",
                                    vacancy=vacancy), officer)
    assert first.status == "granted" and first.fee_mci == 0 and first.quota_left is None
    assert first.permit.allocation is None
    staff = EmployerStaff.objects.get(employer=employer, category="2")
    assert (staff.foreigners, staff.ict_transferees) == (5, 5)  # 5 of 10 citizens: at the cap
    second = decide(make_application(employer, applied_on=date(2026, 3, 3), category="2", kind="ict",
                                     vacancy=vacancy), officer)
    assert second.reasons == ["ict_share"]


# --- Quota, fee, the permit issued ----------------------------------------------------------------------------

def test_a_grant_issues_a_permit_in_the_region_uses_a_place_and_counts_the_new_foreigner(scene, officer):
    employer = make_employer(sector="F")
    make_jobseekers(3)
    make_jobseekers(2, region_code="KZ-75")
    vacancy = make_vacancy(employer, posted_on=date(2026, 10, 1))
    application = make_application(employer, applied_on=date(2026, 11, 16), vacancy=vacancy, months=12)
    decided = decide(application, officer)
    permit = Permit.objects.get(application=decided)
    assert decided.status == "granted" and decided.decided_by == officer
    assert permit.number == application.number.replace("WPA-", "WP-55-") and permit.region.code == "KZ-55"
    assert (permit.valid_from, permit.valid_until) == (TODAY, date(2027, 11, 19))
    assert QuotaAllocation.objects.get(quota__year=2026, region__code="KZ-55", category="3").used == 1
    assert decided.quota_left == 10
    assert EmployerStaff.objects.get(employer=employer, category="3").foreigners == 5
    assert decided.local_jobseekers == 3 and "3" in step(decided, "local_jobseekers")["ru"]
    assert decided.fee_mci == Decimal(122) and decided.fee_tenge == 122 * 4325
    assert "122 MCI" in step(decided, "fee")["en"]
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["labour.application.decide", "labour.permit.issue"]
    assert audit_verify() is None


def test_an_exhausted_quota_refuses_with_the_reason_quota_and_uses_nothing(scene, officer):
    allocation = make_allocation(year=2026, category="3", places=4, used=4)
    employer = make_employer()
    vacancy = make_vacancy(employer, posted_on=date(2026, 1, 5))
    decided = decide(make_application(employer, applied_on=date(2026, 3, 2), vacancy=vacancy), officer)
    assert decided.status == "refused" and decided.reasons == ["quota"]
    assert step(decided, "quota")["en"] == "The quota of this region and category is exhausted."
    allocation.refresh_from_db()
    assert allocation.used == 4 and not Permit.objects.exists()


def test_a_seasonal_permit_pays_the_seasonal_scale_and_lasts_its_days(scene, officer):
    make_allocation(year=2026, category="seasonal", places=3)
    employer = make_employer(staff={})
    vacancy = make_vacancy(employer, posted_on=date(2026, 1, 5), code="9211")
    application = make_application(employer, applied_on=date(2026, 3, 2), kind="seasonal", category="seasonal",
                                   code="9211", vacancy=vacancy, seasonal_days=120, months=4)
    decided = decide(application, officer, today=date(2026, 3, 5))
    assert decided.status == "granted" and decided.fee_mci == 24
    assert decided.permit.valid_until == date(2026, 3, 5) + timedelta(days=119)


def test_a_decided_application_cannot_be_decided_again(scene, officer):
    application = make_application(make_employer(), applied_on=date(2025, 8, 1), employment_body_notified=True)
    decide(application, officer)
    with pytest.raises(ValidationError) as exc:
        decide(application, officer)
    assert "status" in exc.value.message_dict


def test_an_officer_of_another_region_and_a_viewer_may_not_decide(scene, other_officer, viewer):
    application = make_application(make_employer(), applied_on=date(2025, 8, 1), employment_body_notified=True)
    with pytest.raises(PermissionDenied):
        decide(application, other_officer)
    with pytest.raises(PermissionDenied):
        decide(application, viewer)


# --- Filing --------------------------------------------------------------------------------------------------

def test_an_employer_files_for_a_new_worker_whose_passport_is_registered_once(scene, employer):
    company = make_employer(users=[employer])
    vacancy = make_vacancy(company, posted_on=date(2026, 10, 1))
    common = dict(employer=company, region=region(), kind="standard", category="3", occupation=occupation(),
                  months=12, vacancy=vacancy, by=employer, today=TODAY)
    first = permit_application_submit(worker=passport(), applied_on=date(2026, 11, 17), **common)
    assert first.number == "WPA-2026-000001" and first.decision_due == date(2026, 11, 26)
    assert first.worker.last_name_latin == "RAKHIMOV" and first.worker.region.code == "KZ-55"
    assert IdentityDocument.objects.get(number="FA1234567").person == first.worker
    permit_application_withdraw(application=first, reason="Қате толтырылды", by=employer)
    second = permit_application_submit(worker=passport(last_name_latin="Rakhimov"), applied_on=date(2026, 11, 18),
                                       **common)
    assert second.worker == first.worker and Person.objects.filter(last_name_latin="RAKHIMOV").count() == 1
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"people.person.create", "people.document.add", "labour.application.submit",
            "labour.application.withdraw"} <= actions


def test_an_employer_may_not_file_for_another_employer(scene, employer):
    other = make_employer()
    with pytest.raises(PermissionDenied):
        permit_application_submit(employer=other, region=region(), kind="standard", category="3",
                                  occupation=occupation(), months=12, worker=passport(),
                                  applied_on=date(2025, 8, 1), employment_body_notified=True, by=employer)


def test_filing_reports_each_bad_field(scene, employer):
    company = make_employer(users=[employer])
    foreign_vacancy = make_vacancy(make_employer(), posted_on=date(2026, 10, 1))
    with pytest.raises(ValidationError) as exc:
        permit_application_submit(
            employer=company, region=region(), kind="standard", category="9", occupation=occupation(), months=40,
            worker=passport(citizenship=Country.objects.get(alpha2="KZ"), passport_number=""),
            applied_on=date(2026, 11, 17), vacancy=foreign_vacancy, by=employer, today=TODAY)
    errors = exc.value.message_dict
    assert {"category", "months", "vacancy"} <= set(errors)
    assert errors["vacancy"] == ["This vacancy was posted by another employer."]


def test_the_worker_registration_errors_are_named_after_the_worker_fields(scene, employer):
    company = make_employer(users=[employer])
    with pytest.raises(ValidationError) as exc:
        permit_application_submit(
            employer=company, region=region(), kind="standard", category="3", occupation=occupation(), months=12,
            worker=passport(passport_number="", first_name_latin="Сардор"), applied_on=date(2025, 8, 1),
            employment_body_notified=True, by=employer, today=TODAY)
    assert set(exc.value.message_dict) == {"worker.passport_number", "worker.first_name_latin"}
    assert not Person.objects.exists()

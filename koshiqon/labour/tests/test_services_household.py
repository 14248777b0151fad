"""Household labour migrants' permits: 1 to 12 months, at most 5 in force per private employer, the advance
income tax per month in MCI and tenge, revocation and expiry."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.core.models import AuditEvent
from koshiqon.labour.models import HouseholdPermit
from koshiqon.labour.services.household import (
    household_permit_issue,
    household_permit_revoke,
    household_permits_expire,
)
from koshiqon.labour.tests.factories import load_mci, make_worker, passport, region
from koshiqon.people.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def household(reference):
    load_mci()
    return PersonFactory(last_name="Омарова", first_name="Гүлнар", sex="F")


def issue(by, household, *, worker=None, months=6, **kwargs):
    return household_permit_issue(employer_person=household, worker=worker or make_worker(), region=region(),
                                  months=months, by=by, today=TODAY, **kwargs)


def test_a_household_permit_charges_4_mci_a_month_in_2026_in_tenge_at_its_first_day(household, officer):
    permit = issue(officer, household, months=6)
    assert permit.number == "HP-55-2026-000001"
    assert (permit.valid_from, permit.valid_until) == (TODAY, date(2027, 5, 19))
    assert permit.advance_tax_mci == 24 and permit.advance_tax_tenge == 24 * 4325
    assert AuditEvent.objects.filter(action="labour.household.issue").count() == 1


@pytest.mark.parametrize("months", [0, 13])
def test_a_household_permit_lasts_1_to_12_months(household, officer, months):
    with pytest.raises(ValidationError) as exc:
        issue(officer, household, months=months)
    assert "months" in exc.value.message_dict


def test_a_private_employer_has_at_most_5_household_workers_and_a_revoked_one_frees_a_place(household, officer):
    permits = [issue(officer, household, worker=make_worker(last_name=f"KARIMOV{c}")) for c in "ABCDE"]
    with pytest.raises(ValidationError) as exc:
        issue(officer, household, worker=make_worker(last_name="KARIMOVF"))
    assert "at most 5" in exc.value.message_dict["employer_person"][0]
    household_permit_revoke(permit=permits[0], reason="Жұмысшы кетті", by=officer)
    sixth = issue(officer, household, worker=make_worker(last_name="KARIMOVF"))
    assert sixth.status == "issued"
    assert HouseholdPermit.objects.filter(employer_person=household, status="issued").count() == 5


def test_a_permit_registers_a_new_worker_from_the_passport(household, officer):
    permit = issue(officer, household, worker=passport())
    assert permit.worker.first_name_latin == "SARDOR" and permit.worker.citizenship.alpha2 == "UZ"


def test_a_worker_holds_one_household_permit_at_a_time_and_a_citizen_needs_none(household, officer):
    worker = make_worker()
    issue(officer, household, worker=worker)
    with pytest.raises(ValidationError) as exc:
        issue(officer, PersonFactory(), worker=worker)
    assert "already holds" in exc.value.message_dict["worker"][0]
    with pytest.raises(ValidationError) as exc:
        issue(officer, household, worker=PersonFactory(last_name="Сейітов"))
    assert exc.value.message_dict["worker"] == ["A citizen of Kazakhstan needs no work permit."]


def test_only_officers_of_the_region_issue(household, other_officer, viewer, employer):
    for user in (other_officer, viewer, employer):
        with pytest.raises(PermissionDenied):
            issue(user, household)


def test_household_permits_past_their_end_expire_and_free_the_employers_place(household, officer):
    permit = issue(officer, household, months=1)
    assert household_permits_expire(on=date(2026, 12, 19)) == 0
    assert household_permits_expire(on=date(2026, 12, 20)) == 1
    permit.refresh_from_db()
    assert permit.status == "expired"

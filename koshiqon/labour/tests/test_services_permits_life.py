"""A permit's life: suspended and resumed, revoked with a reason, expired by the nightly command; ended permits
leave the employer's foreign staff."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent
from koshiqon.labour.models import EmployerStaff, Permit
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.services.permit_life import permit_resume, permit_revoke, permit_suspend, permits_expire
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    make_vacancy,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit(reference, officer):
    load_mci()
    make_allocation(year=2026, category="3", places=5)
    company = make_employer()
    application = make_application(company, applied_on=date(2026, 3, 2),
                                   vacancy=make_vacancy(company, posted_on=date(2026, 1, 5)), months=6)
    return permit_application_decide(application=application, by=officer, today=date(2026, 3, 4)).permit


def foreigners(permit) -> int:
    return EmployerStaff.objects.get(employer=permit.employer, category="3").foreigners


def test_a_suspended_permit_is_resumed_and_each_change_is_audited_with_its_reason(permit, officer):
    suspended = permit_suspend(permit=permit, reason="Тексеру жүргізілуде", by=officer)
    assert suspended.status == "suspended" and suspended.status_reason == "Тексеру жүргізілуде"
    resumed = permit_resume(permit=permit, by=officer)
    assert resumed.status == "issued"
    actions = list(AuditEvent.objects.filter(object_type="labour.permit").values_list("action", flat=True))
    assert actions == ["labour.permit.issue", "labour.permit.suspend", "labour.permit.resume"]
    assert audit_verify() is None


def test_revoking_needs_a_reason_is_final_and_releases_the_foreigner_from_the_staff(permit, officer):
    assert foreigners(permit) == 5
    with pytest.raises(ValidationError):
        permit_revoke(permit=permit, reason=" ", by=officer)
    permit_revoke(permit=permit, reason="Жұмыс берушінің өтініші", by=officer)
    assert foreigners(permit) == 4
    with pytest.raises(ValidationError):
        permit_resume(permit=permit, by=officer)


def test_only_an_officer_of_the_region_changes_a_permit(permit, other_officer, viewer, employer):
    for user in (other_officer, viewer, employer):
        with pytest.raises(PermissionDenied):
            permit_suspend(permit=permit, reason="x", by=user)


def test_permits_past_their_last_day_expire_and_those_still_running_do_not(permit, officer):
    assert permit.valid_until == date(2026, 9, 3)
    assert permits_expire(on=date(2026, 9, 3)) == 0
    assert permits_expire(on=date(2026, 9, 4)) == 1
    assert Permit.objects.get(pk=permit.pk).status == "expired" and foreigners(permit) == 4
    assert permits_expire(on=date(2026, 9, 5)) == 0


def test_the_labour_expire_command_expires_permits_and_household_permits(permit):
    out = StringIO()
    call_command("labour_expire", "--on", "2026-09-10", stdout=out)
    assert "1 permits" in out.getvalue() and "0 household permits" in out.getvalue()
    event = AuditEvent.objects.get(action="labour.permit.expire")
    assert event.actor is None and event.actor_label == "labour_expire"

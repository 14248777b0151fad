"""Permits of household labour migrants (from 2014, domain.md §4, M): a foreigner working for a private person
(not a company) in a household. A permit lasts 1 to 12 months; a private employer may have at most 5 household
workers with permits in force at a time; the worker pays the advance income tax for every month up front
(2 MCI a month in 2014, 4 MCI in 2025-2026; other years must be configured), converted to tenge at the MCI of
the permit's first day.

The limit of 5 holds under concurrency: the private employer's person row is locked (SELECT ... FOR UPDATE)
before the permits in force are counted, so two officers issuing at once for the same employer queue.
Officers with labour.decide issue permits of their regions; the permit is valid in its region.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.money import NoRateError, mci_to_tenge
from koshiqon.core.numbering import next_number
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.labour.domain import policy_data, terms
from koshiqon.labour.domain.status import PermitStatus
from koshiqon.labour.models import PERMIT_STATUS_LABELS, HouseholdPermit
from koshiqon.labour.services.permits import move
from koshiqon.labour.services.workers import worker_register
from koshiqon.people.models import Person
from koshiqon.reference.models import Region

FIELDS = ["number", "employer_person", "worker", "region", "months", "valid_from", "valid_until",
          "advance_tax_mci", "advance_tax_tenge", "status"]
ACTIVE = (PermitStatus.ISSUED, PermitStatus.SUSPENDED)
HOUSEHOLD_FROM = date(2014, 1, 1)


def household_number(region_code: str, year: int, n: int) -> str:
    return f"HP-{region_code.removeprefix('KZ-')}-{year}-{n:06d}"


def active_for_employer(employer_person: Person, on: date) -> int:
    """Household permits of this private employer in force on `on` (or from then on)."""
    return HouseholdPermit.objects.filter(employer_person=employer_person, status__in=ACTIVE,
                                          valid_until__gte=on).count()


def _scope_check(by, region: Region | None) -> None:
    require(by, Perm.LABOUR_DECIDE)
    scope = region_ids_in_scope(by)
    if region is not None and scope is not None and region.pk not in scope:
        raise PermissionDenied("region")


@transaction.atomic
def household_permit_issue(
    *,
    employer_person: Person | None,
    worker: Person | dict[str, Any] | None,
    region: Region | None,
    months: int | None,
    valid_from: date | None = None,
    by,
    today: date | None = None,
) -> HouseholdPermit:
    """Issue a household worker's permit (see the module docstring for the rules)."""
    _scope_check(by, region)
    today = today or timezone.localdate()
    start = valid_from or today
    errors: dict[str, list[str]] = {}
    if region is None:
        errors["region"] = [_("This field is required.")]
    if employer_person is None:
        errors["employer_person"] = [_("This field is required.")]
    if worker is None:
        errors["worker"] = [_("This field is required.")]
    if not isinstance(months, int) or not terms.household_months_allowed(months):
        errors["months"] = [_("A household permit lasts 1 to 12 months.")]
    if start < HOUSEHOLD_FROM:
        errors["valid_from"] = [_("Household labour migrants receive permits from 1 Jan 2014.")]
    elif start < today:
        errors["valid_from"] = [_("A permit cannot start in the past.")]
    tax_mci = None
    if "months" not in errors and "valid_from" not in errors:
        try:
            tax_mci = terms.household_advance_tax_mci(months, start)
        except LookupError:
            errors["valid_from"] = [_("No advance income tax rate is configured for that date.")]
    if errors:
        raise ValidationError(errors)
    assert employer_person is not None and region is not None and isinstance(months, int) and tax_mci is not None
    # Queue the issues for one private employer, so that the limit is counted on committed permits only.
    Person.objects.select_for_update(of=("self",)).filter(pk=employer_person.pk).order_by("id").first()
    current = active_for_employer(employer_person, start)
    if not terms.household_employer_may_hire(current):
        raise ValidationError({"employer_person": [
            _("This private employer already has %(n)s household workers with permits in force: at most %(max)s "
              "are allowed.") % {"n": current, "max": policy_data.HOUSEHOLD_MAX_PER_EMPLOYER.value}]})
    if not isinstance(worker, Person):
        worker = worker_register(values=worker, region=region, by=by, today=today,
                                 reason=_("Household labour migrant"))
    if worker.pk == employer_person.pk:
        raise ValidationError({"worker": [_("The worker and the private employer must be different persons.")]})
    if worker.citizenship_id and worker.citizenship.alpha2 == "KZ":
        raise ValidationError({"worker": [_("A citizen of Kazakhstan needs no work permit.")]})
    holding = HouseholdPermit.objects.filter(worker=worker, status__in=ACTIVE, valid_until__gte=start).first()
    if holding is not None:
        raise ValidationError({"worker": [_("This worker already holds a household permit in force: %(number)s.")
                                          % {"number": holding.number}]})
    try:
        tenge = mci_to_tenge(tax_mci, on=start)
    except NoRateError:
        raise ValidationError({"valid_from": [_("No MCI value is known for that date.")]})
    permit = HouseholdPermit.objects.create(
        number=household_number(region.code, start.year, next_number(f"labour-household-{region.code}-{start.year}")),
        employer_person=employer_person, worker=worker, region=region, months=months, valid_from=start,
        valid_until=terms.valid_until(start, months), advance_tax_mci=tax_mci, advance_tax_tenge=tenge, issued_by=by,
    )
    audit_record(by=by, action="labour.household.issue", obj=permit, region_code=region.code,
                 after=snapshot(permit, FIELDS))
    return permit


@transaction.atomic
def household_permit_revoke(*, permit: HouseholdPermit, reason: str, by) -> HouseholdPermit:
    """End a household permit early, with the reason (the worker left, the employer asked...)."""
    _scope_check(by, permit.region)
    locked = HouseholdPermit.objects.select_for_update(of=("self",)).select_related("region").get(pk=permit.pk)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason.")]})
    before = snapshot(locked, FIELDS)
    move(locked, PermitStatus.REVOKED, PERMIT_STATUS_LABELS)
    locked.save(update_fields=["status", "updated_at"])
    audit_record(by=by, action="labour.household.revoke", obj=locked, region_code=locked.region.code, before=before,
                 after=snapshot(locked, FIELDS), reason=reason.strip())
    return locked


@transaction.atomic
def household_permits_expire(*, on: date | None = None, by="labour_expire") -> int:
    """Mark expired every household permit in force whose last day is before `on` (default today)."""
    on = on or timezone.localdate()
    due: Iterable[HouseholdPermit] = list(
        HouseholdPermit.objects.select_for_update(of=("self",)).filter(status__in=ACTIVE, valid_until__lt=on)
        .select_related("region").order_by("id"))
    items = []
    for permit in due:
        before = snapshot(permit, FIELDS)
        permit.status = PermitStatus.EXPIRED
        items.append(AuditItem("labour.household.expire", "labour.householdpermit", str(permit.pk),
                               permit.region.code, before, snapshot(permit, FIELDS)))
    HouseholdPermit.objects.bulk_update(due, ["status"], batch_size=1000)
    audit_record_many(by=by, items=items)
    return len(items)

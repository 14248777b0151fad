"""Filing and withdrawing work-permit applications (domain.md §4; the decision is in `permit_decision.py`).

An employer files the application for a foreign worker (an employer account acts only for the employers it is
linked to; an officer may file a paper application for an employer of their regions). The application is
numbered (WPA-2026-000001), governed by the labour-market test regime in force on its application date, and
due for decision within 7 working days. The facts of the test are checked at filing so that a missing one is
a field error, not a refusal: from 1 Sep 2025 the vacancy posted on the labour exchange must be quoted.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.calendar import work_calendar
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.numbering import next_number
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.labour.domain import policy_data, terms
from koshiqon.labour.domain.regimes import ICT, SEASONAL, LabourTest, categories_on, regime_on
from koshiqon.labour.domain.status import (
    ApplicationStatus,
    PermitKind,
    PermitStatus,
    TransitionError,
    check_transition,
)
from koshiqon.labour.models import APPLICATION_STATUS_LABELS, Employer, Permit, PermitApplication, Vacancy
from koshiqon.labour.services.workers import worker_register
from koshiqon.people.models import Person
from koshiqon.reference.models import Occupation, Region

AUDIT_FIELDS = [
    "number", "employer", "region", "kind", "category", "occupation", "worker", "months", "seasonal_days",
    "applied_on", "vacancy", "employment_body_notified", "advertised", "rejections_justified",
    "replacement_undertaken", "registers_clear", "status", "decision_due", "regime", "reasons",
    "local_jobseekers", "quota_left", "fee_mci", "fee_tenge",
]
SEASONAL_CATEGORIES = (SEASONAL, "4-seasonal")
DAYS_PER_MONTH = 30


def application_number(year: int, n: int) -> str:
    return f"WPA-{year}-{n:06d}"


def audit_application(application: PermitApplication, action: str, *, by, before: dict | None = None,
                      reason: str = "") -> None:
    audit_record(by=by, action=action, obj=application, region_code=application.region.code, before=before,
                 after=snapshot(application, AUDIT_FIELDS), reason=reason)


def move(obj, target, labels) -> None:
    """Check `obj.status -> target` in the one transition table, with the refusal as a field error."""
    try:
        check_transition(obj.status, target)
    except TransitionError:
        raise ValidationError({"status": [
            _("This record is “%(status)s”: it cannot become “%(target)s”.")
            % {"status": labels.get(obj.status, obj.status), "target": labels[target]}
        ]})
    obj.status = target


def may_act_for(by, employer: Employer, region: Region | None) -> bool:
    """An employer account for its own employers; an officer (labour.decide) for employers and a region of
    work within their regions."""
    if can(by, Perm.LABOUR_DECIDE):
        scope = region_ids_in_scope(by)
        return scope is None or (employer.region_id in scope and (region is None or region.pk in scope))
    if can(by, Perm.LABOUR_APPLY):
        return employer.users.filter(pk=by.pk).exists()
    return False


def seasonal_months(days: int) -> int:
    """A seasonal permit's term in whole months (for the record; the days govern its end)."""
    return min(12, max(1, -(-days // DAYS_PER_MONTH)))


def _check_category(kind: str, category: str, applied_on: date, errors: dict) -> str:
    try:
        codes = categories_on(applied_on)
    except LookupError:
        errors.setdefault("applied_on", []).append(_("No permit categories were in force on that date."))
        return category
    if kind == PermitKind.SEASONAL:
        seasonal = next((c for c in codes if c in SEASONAL_CATEGORIES), None)
        if seasonal is None:
            errors.setdefault("kind", []).append(_("Seasonal work had no permit on that date."))
        return seasonal or category
    staff_categories = [c for c in codes if c not in (*SEASONAL_CATEGORIES, ICT)]
    if kind == PermitKind.ICT and ICT not in codes:
        errors.setdefault("kind", []).append(_("Intra-corporate transfers had no permit regime on that date."))
    elif category not in staff_categories:
        errors.setdefault("category", []).append(
            _("Choose a category in force on the application date: %(codes)s.") % {"codes": ", ".join(staff_categories)})
    return category


def _check_term(kind: str, category: str, months: Any, seasonal_days: Any, errors: dict) -> tuple[int, int | None]:
    if kind == PermitKind.SEASONAL:
        longest = policy_data.SEASONAL_FEE_SCALE.value[-1][0]
        if not isinstance(seasonal_days, int) or not 1 <= seasonal_days <= longest:
            errors.setdefault("seasonal_days", []).append(
                _("Enter the days of seasonal work, 1 to %(max)s.") % {"max": longest})
            return 1, None
        return seasonal_months(seasonal_days), seasonal_days
    longest = terms.max_validity_months(category, ict=kind == PermitKind.ICT)
    if not isinstance(months, int) or not 1 <= months <= longest:
        errors.setdefault("months", []).append(
            _("Enter the months of the permit, 1 to %(max)s for this category.") % {"max": longest})
        return 1, None
    return months, None


def _check_vacancy(vacancy: Vacancy | None, *, employer: Employer, region: Region | None,
                   occupation: Occupation | None, applied_on: date, exchange_test: bool, errors: dict) -> None:
    if vacancy is None:
        if exchange_test:
            errors.setdefault("vacancy", []).append(
                _("From 1 Sep 2025 the application quotes the vacancy posted on the labour exchange."))
        return
    problems = []
    if vacancy.employer_id != employer.pk and vacancy.employer_bin != employer.bin:
        problems.append(_("This vacancy was posted by another employer."))
    if region is not None and vacancy.region_id != region.pk:
        problems.append(_("This vacancy is posted for another region."))
    if occupation is not None and vacancy.occupation_id != occupation.pk:
        problems.append(_("This vacancy is for another occupation."))
    if vacancy.posted_on > applied_on:
        problems.append(_("The vacancy was posted after the application date."))
    if problems:
        errors.setdefault("vacancy", []).extend(problems)


@transaction.atomic
def permit_application_submit(
    *,
    employer: Employer,
    region: Region | None,
    kind: str,
    category: str,
    occupation: Occupation | None,
    worker: Person | dict[str, Any] | None,
    applied_on: date | None,
    months: int | None = None,
    seasonal_days: int | None = None,
    vacancy: Vacancy | None = None,
    employment_body_notified: bool = False,
    advertised: bool = False,
    rejections_justified: bool = False,
    replacement_undertaken: bool = False,
    registers_clear: bool = True,
    by,
    today: date | None = None,
) -> PermitApplication:
    """File an application for a permit to employ `worker` (a registered person, or a new worker's passport
    data: `last_name_latin`, `first_name_latin`, `birth_date`, `sex`, `citizenship`, `passport_number`,
    `passport_expires_on`), valid in `region` (the region of work) only."""
    if not (can(by, Perm.LABOUR_APPLY) or can(by, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    if employer is None or not may_act_for(by, employer, region):
        raise PermissionDenied("employer")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if region is None:
        errors["region"] = [_("This field is required.")]
    if occupation is None:
        errors["occupation"] = [_("This field is required.")]
    if kind not in {k.value for k in PermitKind}:
        errors["kind"] = [_("Choose the kind of permit.")]
        raise ValidationError(errors)
    if applied_on is None:
        errors["applied_on"] = [_("This field is required.")]
        raise ValidationError(errors)
    if applied_on > today:
        errors["applied_on"] = [_("The application date cannot be in the future.")]
    try:
        regime = regime_on(applied_on)
    except LookupError:
        errors.setdefault("applied_on", []).append(
            _("No labour-market test was in force on that date: permits are handled from 1 Jun 2008."))
        raise ValidationError(errors)
    category = _check_category(kind, (category or "").strip(), applied_on, errors)
    months, days = _check_term(kind, category, months, seasonal_days, errors)
    _check_vacancy(vacancy, employer=employer, region=region, occupation=occupation, applied_on=applied_on,
                   exchange_test=regime.code is LabourTest.EXCHANGE, errors=errors)
    if isinstance(worker, Person):
        if worker.citizenship_id and worker.citizenship.alpha2 == "KZ":
            errors.setdefault("worker", []).append(_("A citizen of Kazakhstan needs no work permit."))
    elif worker is None:
        errors.setdefault("worker", []).append(_("This field is required."))
    if errors:
        raise ValidationError(errors)
    assert region is not None and occupation is not None and worker is not None
    number = application_number(applied_on.year, next_number(f"labour-application-{applied_on.year}"))
    if not isinstance(worker, Person):
        worker = worker_register(values=worker, region=region, by=by, today=today,
                                 reason=_("Foreign worker of the permit application %(number)s") % {"number": number})
    _refuse_duplicates(employer, worker)
    application = PermitApplication.objects.create(
        number=number, employer=employer, region=region, kind=kind, category=category, occupation=occupation,
        worker=worker, months=months, seasonal_days=days, applied_on=applied_on, vacancy=vacancy,
        employment_body_notified=bool(employment_body_notified), advertised=bool(advertised),
        rejections_justified=bool(rejections_justified), replacement_undertaken=bool(replacement_undertaken),
        registers_clear=bool(registers_clear), decision_due=terms.decision_due(applied_on, work_calendar()),
        created_by=by,
    )
    audit_application(application, "labour.application.submit", by=by)
    return application


def _refuse_duplicates(employer: Employer, worker: Person) -> None:
    pending = PermitApplication.objects.filter(employer=employer, worker=worker,
                                               status=ApplicationStatus.SUBMITTED).first()
    if pending is not None:
        raise ValidationError({"worker": [_("This worker already has a pending application with this employer: "
                                            "%(number)s.") % {"number": pending.number}]})
    valid = Permit.objects.filter(employer=employer, worker=worker, status=PermitStatus.ISSUED).first()
    if valid is not None:
        raise ValidationError({"worker": [_("This worker already holds a valid permit with this employer: "
                                            "%(number)s; ask for its extension instead.") % {"number": valid.number}]})


@transaction.atomic
def permit_application_withdraw(*, application: PermitApplication, reason: str, by) -> PermitApplication:
    """The employer withdraws an application before it is decided (recorded with why)."""
    if not (can(by, Perm.LABOUR_APPLY) or can(by, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    locked = (PermitApplication.objects.select_for_update(of=("self",)).select_related("employer", "region")
              .get(pk=application.pk))
    if not may_act_for(by, locked.employer, locked.region):
        raise PermissionDenied("employer")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the application is withdrawn.")]})
    before = snapshot(locked, AUDIT_FIELDS)
    move(locked, ApplicationStatus.WITHDRAWN, APPLICATION_STATUS_LABELS)
    locked.save(update_fields=["status", "updated_at"])
    audit_application(locked, "labour.application.withdraw", by=by, before=before, reason=reason.strip())
    return locked

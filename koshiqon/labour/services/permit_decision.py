"""The decision on a work-permit application, and the permit it issues (domain.md §4, issue 5).

In one transaction:
1. the application row is locked, so two officers cannot decide it twice;
2. the facts are gathered: the regime in force on the application date, the registered local jobseekers of
   the region and occupation on that date, and the employer's staff of the category (its row locked, so two
   hires by one employer cannot both pass the staff-share rule on the same count);
3. the quota allocation of the region and category for the year of the application date is locked
   (SELECT ... FOR UPDATE): the places left are read from the locked row, so when many officers decide at
   once each sees the places the others left, and exactly the free places are issued;
4. `decide_permit` takes every step (category, labour-market test of the regime, automatic checks, staff or
   ICT share, quota, local jobseekers), each worded in kk/ru/en; the fee is one more, informative step;
5. granted: the permit is issued (numbered per region and year, valid in the region of work only), the quota
   place is used, the employer's foreign staff of the category grows by one; refused: the failed steps are
   the reasons ("quota" when the quota is exhausted);
6. one audit event for the decision and one for the permit, in the same transaction.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.money import NoRateError, mci_to_tenge
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.labour.domain import terms
from koshiqon.labour.domain.decision import PermitCase, StaffCount, decide_permit
from koshiqon.labour.domain.fees import fee_words, permit_fee
from koshiqon.labour.domain.regimes import regime_on
from koshiqon.labour.domain.status import ApplicationStatus, PermitKind
from koshiqon.labour.models import APPLICATION_STATUS_LABELS, EmployerStaff, Permit, PermitApplication
from koshiqon.labour.selectors.exchange import local_jobseekers_subquery
from koshiqon.labour.selectors.permits import fee_table_on
from koshiqon.labour.selectors.quota import allocation_for_update
from koshiqon.labour.services.permits import AUDIT_FIELDS, move

PERMIT_AUDIT_FIELDS = [
    "number", "application", "employer", "worker", "region", "kind", "category", "allocation", "valid_from",
    "valid_until", "extensions", "status", "status_reason",
]


def permit_number(application: PermitApplication) -> str:
    """The permit takes its application's number with the region of work: WPA-2026-000123 in KZ-55 gives
    WP-55-2026-000123. A quoted permit number leads straight to its application, and the permit needs no
    second counter (nor a second lock held while many officers decide at once); permit numbers are unique,
    with gaps where applications were refused."""
    return application.number.replace("WPA-", f"WP-{application.region.code.removeprefix('KZ-')}-", 1)


def permit_term(application: PermitApplication, issued_on: date) -> date:
    """The permit's last day: the seasonal days, or the months asked (at most the category's longest term)."""
    if application.kind == PermitKind.SEASONAL:
        return issued_on + timedelta(days=(application.seasonal_days or 1) - 1)
    return terms.permit_valid_until(issued_on, application.category, ict=application.kind == PermitKind.ICT,
                                    months=application.months)


def _staff(application: PermitApplication) -> tuple[EmployerStaff | None, StaffCount]:
    # OF self and no ordering (at most one row, unique per employer and category): the model's ordering would
    # join the employer and lock its row too.
    rows = list(EmployerStaff.objects.select_for_update(of=("self",))
                .filter(employer_id=application.employer_id, category=application.category).order_by()[:1])
    row = rows[0] if rows else None
    if row is None:
        return None, StaffCount(application.category, 0, 0)
    return row, StaffCount(row.category, row.citizens, row.foreigners, min(row.ict_transferees, row.foreigners))


def _case(application: PermitApplication, staff: StaffCount) -> PermitCase:
    vacancy = application.vacancy
    return PermitCase(
        applied_on=application.applied_on, category=application.category, ict=application.kind == PermitKind.ICT,
        vacancy_id=vacancy.exchange_id if vacancy else None, vacancy_posted_on=vacancy.posted_on if vacancy else None,
        employment_body_notified=application.employment_body_notified, advertised=application.advertised,
        rejections_justified=application.rejections_justified,
        replacement_undertaken=application.replacement_undertaken, registers_clear=application.registers_clear,
        staff=(staff,),
    )


def _fee_step(application: PermitApplication, decided_on: date) -> tuple[dict, object, int | None]:
    table, source, confidence = fee_table_on(application.applied_on)
    fee = permit_fee(kind=application.kind, category=application.category, sector=application.employer.sector,
                     seasonal_days=application.seasonal_days, on=application.applied_on, table=table,
                     table_source=source, table_confidence=confidence)
    try:
        tenge = mci_to_tenge(fee.mci, on=decided_on)
    except NoRateError:
        tenge = None
    words = fee_words(fee, category=application.category, seasonal_days=application.seasonal_days, tenge=tenge,
                      on=decided_on)
    return {"code": "fee", "passed": True, **words}, fee, tenge


def _moment(on: date) -> datetime:
    now = timezone.localtime()
    if on == now.date():
        return now
    return timezone.make_aware(datetime.combine(on, time(12, 0)))


def _issue(application: PermitApplication, *, allocation, staff_row: EmployerStaff | None, on: date) -> Permit:
    permit = Permit.objects.create(
        number=permit_number(application), application=application,
        employer_id=application.employer_id, worker_id=application.worker_id, region_id=application.region_id,
        kind=application.kind, category=application.category, allocation=allocation, valid_from=on,
        valid_until=permit_term(application, on),
    )
    if allocation is not None:  # locked by the caller: its count is the current one
        allocation.used += 1
        allocation.save(update_fields=["used"])
    ict = int(application.kind == PermitKind.ICT)
    if staff_row is None:
        EmployerStaff.objects.create(employer_id=application.employer_id, category=application.category,
                                     citizens=0, foreigners=1, ict_transferees=ict, as_of=on)
    else:
        EmployerStaff.objects.filter(pk=staff_row.pk).update(
            foreigners=F("foreigners") + 1, ict_transferees=F("ict_transferees") + ict, as_of=on)
    return permit


DECIDED_FIELDS = ["steps", "reasons", "regime", "local_jobseekers", "quota_left", "fee_mci", "fee_tenge",
                  "decided_at", "decided_by", "status", "updated_at"]


def _locked(pk: int, scope) -> PermitApplication | None:
    """The application row locked for this transaction (OF self: the employer, region... it joins stay free),
    with what the decision reads of it, and the local jobseekers count of its region, occupation and date in
    the same round trip; None when there is no such application in `scope` (a set of region ids, or None)."""
    qs = (PermitApplication.objects.select_for_update(of=("self",))
          .select_related("employer", "region", "occupation", "vacancy", "worker")
          .annotate(jobseekers_then=local_jobseekers_subquery()))
    if scope is not None:
        qs = qs.filter(region_id__in=scope)
    rows = list(qs.filter(pk=pk).order_by())  # one row at most: the model's ordering would only add a sort
    return rows[0] if rows else None


@transaction.atomic
def permit_application_decide(*, application: PermitApplication | int, by, today: date | None = None
                              ) -> PermitApplication:
    """Decide a submitted application under the regime of its application date (see the module docstring).
    Returns the application with its steps, reasons, fee and, when granted, `permit`.

    `application` is the application (a region outside the officer's: 403) or its id, as the API passes it so
    that nothing is read before the lock (not found or outside the officer's regions: 404)."""
    require(by, Perm.LABOUR_DECIDE)
    scope = region_ids_in_scope(by)
    if isinstance(application, PermitApplication):
        if scope is not None and application.region_id not in scope:
            raise PermissionDenied("region")
        locked = _locked(application.pk, None)
        if locked is None:
            raise PermitApplication.DoesNotExist
    else:
        locked = _locked(application, scope)
        if locked is None:
            raise Http404
    if locked.status != ApplicationStatus.SUBMITTED:  # decided or withdrawn: the transition table refuses
        move(locked, ApplicationStatus.GRANTED, APPLICATION_STATUS_LABELS)
    decided_on = today or timezone.localdate()
    if decided_on < locked.applied_on:
        raise ValidationError({"applied_on": [_("An application cannot be decided before it was filed.")]})
    before = snapshot(locked, AUDIT_FIELDS)
    regime = regime_on(locked.applied_on)
    jobseekers = locked.jobseekers_then
    fee_step, fee, tenge = _fee_step(locked, decided_on)
    staff_row, staff = _staff(locked)
    allocation = None
    if locked.kind != PermitKind.ICT:
        allocation = allocation_for_update(year=locked.applied_on.year, region=locked.region_id,
                                           category=locked.category)
    quota_left = max(allocation.places - allocation.used, 0) if allocation is not None else 0
    decision = decide_permit(_case(locked, staff), regime=regime, quota_left=quota_left, local_jobseekers=jobseekers)
    locked.steps = [{"code": s.code, "passed": s.passed, **dict(s.explanation)} for s in decision.steps] + [fee_step]
    locked.reasons = list(decision.reasons)
    locked.regime = regime.code.value
    locked.local_jobseekers = jobseekers
    locked.quota_left = None if locked.kind == PermitKind.ICT else quota_left
    locked.fee_mci, locked.fee_tenge = fee.mci.quantize(Decimal("0.01")), tenge
    locked.decided_at, locked.decided_by = _moment(decided_on), by
    move(locked, ApplicationStatus.GRANTED if decision.granted else ApplicationStatus.REFUSED,
         APPLICATION_STATUS_LABELS)
    locked.save(update_fields=DECIDED_FIELDS)
    items = [AuditItem("labour.application.decide", "labour.permitapplication", str(locked.pk), locked.region.code,
                       before, snapshot(locked, AUDIT_FIELDS), ", ".join(locked.reasons))]
    if decision.granted:
        permit = _issue(locked, allocation=allocation, staff_row=staff_row, on=decided_on)
        locked.permit = permit
        items.append(AuditItem("labour.permit.issue", "labour.permit", str(permit.pk), locked.region.code, None,
                               snapshot(permit, PERMIT_AUDIT_FIELDS)))
    audit_record_many(by=by, items=items)
    return locked

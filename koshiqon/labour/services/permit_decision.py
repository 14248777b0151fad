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
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.money import NoRateError, mci_to_tenge
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.core.rows import Shape, insert, update
from koshiqon.labour.domain import terms
from koshiqon.labour.domain.decision import PermitCase, StaffCount, decide_permit
from koshiqon.labour.domain.fees import fee_words, permit_fee
from koshiqon.labour.domain.regimes import regime_on
from koshiqon.labour.domain.status import ApplicationStatus, PermitKind
from koshiqon.labour.models import (
    APPLICATION_STATUS_LABELS,
    Employer,
    EmployerStaff,
    Permit,
    PermitApplication,
    Vacancy,
)
from koshiqon.labour.selectors.permits import fee_table_on
from koshiqon.labour.services.permits import AUDIT_FIELDS, move
from koshiqon.people.models import Person
from koshiqon.reference.models import Occupation, Region

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


# The decision's statements are written by hand (ADR 0014): composing them with the ORM cost more CPU than the
# database spent running them, and a decision is the system's busiest write. Their columns come from the models.
_APPLICATION, _EMPLOYER, _REGION, _OCCUPATION, _VACANCY, _WORKER = (
    Shape(PermitApplication, "a"), Shape(Employer, "e"), Shape(Region, "r"), Shape(Occupation, "o"),
    Shape(Vacancy, "v"), Shape(Person, "p"))
_RELATED = (("employer", _EMPLOYER), ("region", _REGION), ("occupation", _OCCUPATION), ("vacancy", _VACANCY),
            ("worker", _WORKER))
# The rule of `selectors.exchange.local_jobseekers_count` (one test holds the two together): registered on or
# before the application date and not deregistered by then, in its region, in its ISCO group or a sub-group.
_JOBSEEKERS_THEN = (
    "(SELECT COUNT(*) FROM labour_jobseeker j JOIN reference_occupation jo ON jo.id = j.occupation_id "
    "WHERE j.region_id = a.region_id AND j.registered_on <= a.applied_on "
    "AND (j.deregistered_on IS NULL OR j.deregistered_on > a.applied_on) "
    "AND substr(jo.code, 1, length(o.code)) = o.code)")


def _lock(of: str = "") -> str:
    """The row-lock clause (of one table alias); SQLite runs one write transaction at a time and has none."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR UPDATE OF {of}" if of else " FOR UPDATE"


def _staff(application: PermitApplication) -> tuple[int | None, StaffCount]:
    """The employer's staff of the category, its row locked (two hires by one employer cannot both pass the
    staff-share rule on the same count): (the row's id or None, the counts)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, citizens, foreigners, ict_transferees FROM labour_employerstaff "  # noqa: S608
                       f"WHERE employer_id = %s AND category = %s LIMIT 1{_lock()}",
                       [application.employer_id, application.category])
        row = cursor.fetchone()
    if row is None:
        return None, StaffCount(application.category, 0, 0)
    pk, citizens, foreigners, ict = row
    return pk, StaffCount(application.category, citizens, foreigners, min(ict, foreigners))


def _allocation(application: PermitApplication) -> tuple[int | None, int]:
    """The quota allocation of the application's year, region and category, its row locked (the year's quota row
    it joins stays free), so the places left are the current ones: (its id, places left), or (None, 0) when
    the quota has none."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT q.id, q.places - q.used FROM labour_quotaallocation q "  # noqa: S608
                       "JOIN labour_labourquota y ON y.id = q.quota_id "
                       f"WHERE q.region_id = %s AND q.category = %s AND y.year = %s LIMIT 1{_lock('q')}",
                       [application.region_id, application.category, application.applied_on.year])
        row = cursor.fetchone()
    return (row[0], max(row[1], 0)) if row is not None else (None, 0)


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


def _issue(application: PermitApplication, *, allocation_id: int | None, staff_id: int | None, on: date) -> Permit:
    permit = insert(Permit(
        number=permit_number(application), application=application,
        employer_id=application.employer_id, worker_id=application.worker_id, region_id=application.region_id,
        kind=application.kind, category=application.category, allocation_id=allocation_id, valid_from=on,
        valid_until=permit_term(application, on),
    ))
    ict = int(application.kind == PermitKind.ICT)
    with connection.cursor() as cursor:
        if allocation_id is not None:  # locked by the caller: its count is the current one
            cursor.execute("UPDATE labour_quotaallocation SET used = used + 1 WHERE id = %s", [allocation_id])
        if staff_id is not None:
            cursor.execute("UPDATE labour_employerstaff SET foreigners = foreigners + 1, "
                           "ict_transferees = ict_transferees + %s, as_of = %s WHERE id = %s", [ict, on, staff_id])
    if staff_id is None:
        EmployerStaff.objects.create(employer_id=application.employer_id, category=application.category,
                                     citizens=0, foreigners=1, ict_transferees=ict, as_of=on)
    return permit


DECIDED_FIELDS = ["steps", "reasons", "regime", "local_jobseekers", "quota_left", "fee_mci", "fee_tenge",
                  "decided_at", "decided_by", "status", "updated_at"]


def _locked(pk: int, scope) -> PermitApplication | None:
    """The application row locked for this transaction (OF a: the employer, region... it joins stay free), with
    what the decision reads of it and the local jobseekers count of its region, occupation and date, in one
    round trip; None when there is no such application in `scope` (a set of region ids, or None)."""
    if scope is not None and not scope:
        return None
    regions = sorted(scope) if scope is not None else []
    within = f" AND a.region_id IN ({', '.join(['%s'] * len(regions))})" if regions else ""
    shapes = (_APPLICATION, *(shape for _, shape in _RELATED))
    sql = (f"SELECT {', '.join(shape.columns for shape in shapes)}, {_JOBSEEKERS_THEN} "  # noqa: S608 (our own text)
           f"FROM {_APPLICATION.table} JOIN {_EMPLOYER.table} ON e.id = a.employer_id "
           f"JOIN {_REGION.table} ON r.id = a.region_id JOIN {_OCCUPATION.table} ON o.id = a.occupation_id "
           f"LEFT JOIN {_VACANCY.table} ON v.id = a.vacancy_id JOIN {_WORKER.table} ON p.id = a.worker_id "
           f"WHERE a.id = %s{within}{_lock('a')}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk, *regions])
        row = cursor.fetchone()
    if row is None:
        return None
    application = _APPLICATION.build(row)
    start = _APPLICATION.width
    for name, shape in _RELATED:
        PermitApplication._meta.get_field(name).set_cached_value(application, shape.build(row, start))
        start += shape.width
    application.jobseekers_then = row[start]
    return application


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
    staff_id, staff = _staff(locked)
    allocation_id, quota_left = _allocation(locked) if locked.kind != PermitKind.ICT else (None, 0)
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
    update(locked, DECIDED_FIELDS)
    items = [AuditItem("labour.application.decide", "labour.permitapplication", str(locked.pk), locked.region.code,
                       before, snapshot(locked, AUDIT_FIELDS), ", ".join(locked.reasons))]
    if decision.granted:
        permit = _issue(locked, allocation_id=allocation_id, staff_id=staff_id, on=decided_on)
        locked.permit = permit
        items.append(AuditItem("labour.permit.issue", "labour.permit", str(permit.pk), locked.region.code, None,
                               snapshot(permit, PERMIT_AUDIT_FIELDS)))
    audit_record_many(by=by, items=items)
    return locked

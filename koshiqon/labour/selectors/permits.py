"""Every read of work-permit applications and permits, already scoped to the user.

Who sees what (deny by default):
- national roles with labour.view: every region;
- regional officers and viewers (labour.view): the applications and permits whose region of work is one of
  theirs;
- employer accounts (labour.apply): the applications and permits of the employers they act for, and nothing
  else: another employer's application is not in their queryset, so it answers 404;
- anyone else: 403.
Reading one application or permit shows the worker's personal data, so the read is logged against the worker.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from koshiqon.core.audit import access_record
from koshiqon.core.cache import ProcessCache
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.core.policy import policy_versions
from koshiqon.labour.domain.fees import FEE_KIND, FeeTable, default_table_on
from koshiqon.labour.domain.status import ApplicationStatus, ExtensionStatus, PermitStatus
from koshiqon.labour.models import Permit, PermitApplication, PermitExtension
from koshiqon.people.domain.names import skeleton

APPLICATION_FILTERS = ("status", "region", "kind", "category", "employer", "overdue", "q", "year", "reason")
PERMIT_FILTERS = ("status", "region", "kind", "category", "employer", "q", "expiring", "year")
ACTIVE = (PermitStatus.ISSUED, PermitStatus.SUSPENDED)
# How far ahead the "expiring" filter looks: the extension window opens 60 days before expiry.
EXPIRING_DAYS = 60


def _scoped(qs: QuerySet, user) -> QuerySet:
    if can(user, Perm.LABOUR_VIEW):
        scope = region_ids_in_scope(user)
        return qs if scope is None else qs.filter(region_id__in=scope)
    if can(user, Perm.LABOUR_APPLY):
        return qs.filter(employer__users=user)
    raise PermissionDenied(Perm.LABOUR_VIEW.value)


def overdue_condition(today: date) -> Q:
    """A submitted application not decided by its due date (7 working days)."""
    return Q(status=ApplicationStatus.SUBMITTED, decision_due__lt=today)


def application_queryset(*, user) -> QuerySet[PermitApplication]:
    qs = PermitApplication.objects.select_related(
        "employer", "region", "occupation", "worker", "worker__citizenship", "vacancy", "decided_by",
    ).prefetch_related("region__names")
    return _scoped(qs, user)


def _clean(filters: Mapping[str, Any] | None, allowed: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in (filters or {}).items() if k in allowed and v not in (None, "", False)}


def _common(qs: QuerySet, filters: dict[str, Any]) -> QuerySet:
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if "region" in filters:
        qs = qs.filter(region__code=str(filters["region"]).strip().upper())
    if "kind" in filters:
        qs = qs.filter(kind=filters["kind"])
    if "category" in filters:
        qs = qs.filter(category=filters["category"])
    if "employer" in filters:
        value = str(filters["employer"]).strip()
        qs = qs.filter(employer__bin=value) if len(value) == 12 else qs.filter(employer__name__icontains=value)
    return qs


def _by_worker_or_number(qs: QuerySet, q: str, prefixes: tuple[str, ...]) -> QuerySet:
    q = q.strip()
    if not q:
        return qs
    if q.upper().startswith(prefixes):
        return qs.filter(number__istartswith=q)
    for token in skeleton(q).split():
        qs = qs.filter(worker__name_key__contains=token)
    return qs


def application_list(*, user, filters: Mapping[str, Any] | None = None, today: date | None = None) -> QuerySet:
    """The applications the user may see: the pending ones first, by decision deadline (the officer's queue),
    then the decided ones, newest first; each with `is_overdue`.

    Filters: status, region (ISO code), kind, category, employer (BIN or part of the name), overdue (True),
    q (an application number or the worker's name in any script), year (of the application date), reason
    (a failed step of refused applications, e.g. "quota")."""
    filters = _clean(filters, APPLICATION_FILTERS)
    today = today or timezone.localdate()
    qs = application_queryset(user=user).annotate(
        is_overdue=Case(When(overdue_condition(today), then=Value(True)), default=Value(False),
                        output_field=BooleanField()),
        pending=Case(When(status=ApplicationStatus.SUBMITTED, then=Value(0)), default=Value(1),
                     output_field=IntegerField()),
    )
    qs = _common(qs, filters)
    if filters.get("overdue") is True:
        qs = qs.filter(overdue_condition(today))
    if "year" in filters:
        qs = qs.filter(applied_on__year=int(filters["year"]))
    if "reason" in filters:
        # The reasons are a JSON list of step codes: the quoted code appears in its text on every database.
        qs = qs.filter(status=ApplicationStatus.REFUSED, reasons__icontains=f'"{filters["reason"]}"')
    qs = _by_worker_or_number(qs, str(filters.get("q", "")), ("WPA-",))
    return qs.order_by("pending", "decision_due", "-applied_on", "id")


def application_get(*, user, pk: int, channel: str, path: str) -> PermitApplication:
    """One application; the read of the worker's data is logged."""
    application = get_object_or_404(application_queryset(user=user), pk=pk)
    access_record(user=user, obj=application.worker, channel=channel, path=path)
    return application


def application_for_decision(*, user, pk: int) -> PermitApplication:
    """An application the user may decide: 403 without labour.decide, 404 outside the user's regions. Only its
    id and region are read: the decision locks and reads the row itself."""
    require(user, Perm.LABOUR_DECIDE)
    return get_object_or_404(_scoped(PermitApplication.objects.only("id", "region_id", "status"), user), pk=pk)


def application_for_withdrawal(*, user, pk: int) -> PermitApplication:
    """An application its employer (or an officer of the region) may withdraw."""
    if not (can(user, Perm.LABOUR_APPLY) or can(user, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    return get_object_or_404(application_queryset(user=user), pk=pk)


def application_history(*, application: PermitApplication) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="labour.permitapplication",
                                     object_id=str(application.pk)).order_by("occurred_at", "seq", "id")


# --- Permits -----------------------------------------------------------------------------------------------

def permit_queryset(*, user) -> QuerySet[Permit]:
    qs = Permit.objects.select_related(
        "employer", "region", "worker", "worker__citizenship", "application", "application__occupation",
    ).prefetch_related("region__names")
    return _scoped(qs, user)


def permit_list(*, user, filters: Mapping[str, Any] | None = None, today: date | None = None) -> QuerySet:
    """The permits the user may see, newest first, each with `lapsed` (valid or suspended, its end passed:
    the nightly `labour_expire` will mark it expired).

    Filters: status, region, kind, category, employer, q (permit number or worker's name), expiring (True:
    in force and ending within 60 days), year (of the start)."""
    filters = _clean(filters, PERMIT_FILTERS)
    today = today or timezone.localdate()
    qs = permit_queryset(user=user).annotate(
        lapsed=Case(When(status__in=ACTIVE, valid_until__lt=today, then=Value(True)), default=Value(False),
                    output_field=BooleanField()),
    )
    qs = _common(qs, filters)
    if filters.get("expiring") is True:
        qs = qs.filter(status__in=ACTIVE, valid_until__gte=today,
                       valid_until__lte=today + timedelta(days=EXPIRING_DAYS))
    if "year" in filters:
        qs = qs.filter(valid_from__year=int(filters["year"]))
    qs = _by_worker_or_number(qs, str(filters.get("q", "")), ("WP-",))
    return qs.order_by("-valid_from", "-id")


def permit_get(*, user, pk: int, channel: str, path: str) -> Permit:
    permit = get_object_or_404(permit_queryset(user=user), pk=pk)
    access_record(user=user, obj=permit.worker, channel=channel, path=path)
    return permit


def permit_for_decision(*, user, pk: int) -> Permit:
    """A permit the user may suspend, resume or revoke: labour.decide and the permit's region."""
    require(user, Perm.LABOUR_DECIDE)
    return get_object_or_404(permit_queryset(user=user), pk=pk)


def permit_for_extension_request(*, user, pk: int) -> Permit:
    """A permit whose extension the user may ask for: its employer, or an officer of its region."""
    if not (can(user, Perm.LABOUR_APPLY) or can(user, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    return get_object_or_404(permit_queryset(user=user), pk=pk)


def permit_history(*, permit: Permit) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type="labour.permit", object_id=str(permit.pk)).order_by("occurred_at", "seq", "id")


def permit_extensions(*, permit: Permit) -> QuerySet[PermitExtension]:
    return permit.extension_requests.select_related("decided_by").order_by("-requested_on", "-id")


def extension_queryset(*, user) -> QuerySet[PermitExtension]:
    qs = PermitExtension.objects.select_related("permit", "permit__employer", "permit__region", "permit__worker")
    if can(user, Perm.LABOUR_VIEW):
        scope = region_ids_in_scope(user)
        return qs if scope is None else qs.filter(permit__region_id__in=scope)
    if can(user, Perm.LABOUR_APPLY):
        return qs.filter(permit__employer__users=user)
    raise PermissionDenied(Perm.LABOUR_VIEW.value)


def extension_for_decision(*, user, pk: int) -> PermitExtension:
    require(user, Perm.LABOUR_DECIDE)
    return get_object_or_404(extension_queryset(user=user), pk=pk)


def extensions_pending(*, user) -> QuerySet[PermitExtension]:
    """Extension requests waiting for a decision, by deadline (3 working days)."""
    return extension_queryset(user=user).filter(status=ExtensionStatus.REQUESTED).order_by("decision_due", "id")


# --- Fees --------------------------------------------------------------------------------------------------

def _fee_versions() -> tuple[tuple[date, date | None, FeeTable, str, str], ...]:
    # The source is a record kept with the fee, as the shipped sources are: in English, whichever language
    # the process filling the cache happened to be in (the act falls back to Russian when English is empty).
    return tuple(
        (v.valid_from, v.valid_to, FeeTable.model_validate(v.parameters), f"{v.code}: {v.legal_act_in('en')}",
         v.confidence)
        for v in policy_versions(kind=FEE_KIND)
    )


# Fee versions change a few times a decade and are entered before they take effect: read once per process and
# kept five minutes (as the MCI and the calendar are), so that a decision costs no query for them.
_fee_cache = ProcessCache(_fee_versions)


def fee_tables_reset() -> None:
    """Forget the cached fee versions (after creating one, in this process)."""
    _fee_cache.reset()


def fee_table_on(on: date) -> tuple[FeeTable | None, str, str]:
    """The general fee table in force on `on`, its source and confidence: a policy version of kind
    `labour.permit_fees` when one is in force, else the shipped default (L)."""
    for valid_from, valid_to, table, source, confidence in _fee_cache.get():
        if valid_from <= on and (valid_to is None or on <= valid_to):
            return table, source, confidence
    return default_table_on(on), "default (L): Gov. Decree No. 157 of 2018 not retrieved", "L"

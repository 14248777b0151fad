"""A permit's life after issue: suspended (and resumed), revoked with a reason, expired at the end of its term
(domain.md §4; the transition table is `domain/status.py`).

Only an officer who may decide permits (labour.decide) of the permit's region changes its status. A revoked or
expired permit no longer counts among the employer's foreign staff of its category, so the staff-share rule of
later decisions reads the staff actually employed. The quota place it used stays used: the quota counts
permits issued in the year (ADR 0009, "Permits").

Expiry: `permits_expire` marks every valid or suspended permit whose last day has passed. The management
command `labour_expire` runs it every night (see docs/adr/0009); the pages also flag a permit whose end has
passed before that run, so nobody reads a lapsed permit as valid in between.
"""

from collections import Counter
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.labour.domain.status import PermitKind, PermitStatus
from koshiqon.labour.models import PERMIT_STATUS_LABELS, EmployerStaff, Permit
from koshiqon.labour.services.permit_decision import PERMIT_AUDIT_FIELDS
from koshiqon.labour.services.permits import move

ACTIVE = (PermitStatus.ISSUED, PermitStatus.SUSPENDED)


def locked_permit(permit: Permit, by) -> Permit:
    """The permit, locked, for an officer of its region (labour.decide)."""
    require(by, Perm.LABOUR_DECIDE)
    scope = region_ids_in_scope(by)
    if scope is not None and permit.region_id not in scope:
        raise PermissionDenied("region")
    return Permit.objects.select_for_update(of=("self",)).select_related("region").get(pk=permit.pk)


def release_staff(counts: Counter) -> None:
    """One foreign worker fewer per ended permit, by (employer, category, is ICT); never below zero."""
    for (employer_id, category, ict), n in counts.items():
        rows = EmployerStaff.objects.filter(employer_id=employer_id, category=category)
        if ict:
            rows.filter(ict_transferees__gte=n, foreigners__gte=n).update(
                foreigners=F("foreigners") - n, ict_transferees=F("ict_transferees") - n)
        else:
            rows.filter(foreigners__gte=F("ict_transferees") + n).update(foreigners=F("foreigners") - n)


def _change(permit: Permit, target: PermitStatus, *, by, reason: str, action: str, need_reason: bool) -> Permit:
    locked = locked_permit(permit, by)
    reason = (reason or "").strip()
    if need_reason and not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    before = snapshot(locked, PERMIT_AUDIT_FIELDS)
    move(locked, target, PERMIT_STATUS_LABELS)
    locked.status_reason = reason
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    if target in (PermitStatus.REVOKED, PermitStatus.EXPIRED):
        release_staff(Counter({(locked.employer_id, locked.category, locked.kind == PermitKind.ICT): 1}))
    audit_record(by=by, action=action, obj=locked, region_code=locked.region.code, before=before,
                 after=snapshot(locked, PERMIT_AUDIT_FIELDS), reason=reason)
    return locked


@transaction.atomic
def permit_suspend(*, permit: Permit, reason: str, by) -> Permit:
    """Suspend a valid permit (an inspection pending, a court order): not valid until resumed."""
    return _change(permit, PermitStatus.SUSPENDED, by=by, reason=reason, action="labour.permit.suspend",
                   need_reason=True)


@transaction.atomic
def permit_resume(*, permit: Permit, reason: str = "", by) -> Permit:
    """A suspended permit is valid again (until its own end)."""
    return _change(permit, PermitStatus.ISSUED, by=by, reason=reason, action="labour.permit.resume",
                   need_reason=False)


@transaction.atomic
def permit_revoke(*, permit: Permit, reason: str, by) -> Permit:
    """End a permit early, for a reason (final)."""
    return _change(permit, PermitStatus.REVOKED, by=by, reason=reason, action="labour.permit.revoke",
                   need_reason=True)


@transaction.atomic
def permits_expire(*, on: date | None = None, by="labour_expire") -> int:
    """Mark expired every valid or suspended permit whose last day is before `on` (default today); returns how
    many. One audit event per permit, written together."""
    on = on or timezone.localdate()
    due = list(Permit.objects.select_for_update(of=("self",)).filter(status__in=ACTIVE, valid_until__lt=on)
               .select_related("region").order_by("id"))
    if not due:
        return 0
    now = timezone.now()
    items, counts = [], Counter()
    reason = _("The permit's term ended on its last day.")
    for permit in due:
        before = snapshot(permit, PERMIT_AUDIT_FIELDS)
        permit.status, permit.status_reason, permit.status_changed_at = PermitStatus.EXPIRED, reason, now
        counts[(permit.employer_id, permit.category, permit.kind == PermitKind.ICT)] += 1
        items.append(AuditItem("labour.permit.expire", "labour.permit", str(permit.pk), permit.region.code, before,
                               snapshot(permit, PERMIT_AUDIT_FIELDS), reason))
    Permit.objects.bulk_update(due, ["status", "status_reason", "status_changed_at"], batch_size=1000)
    release_staff(counts)
    audit_record_many(by=by, items=items)
    return len(due)

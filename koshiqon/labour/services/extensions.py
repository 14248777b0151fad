"""Extending a work permit (domain.md §4, M): the employer asks 60 to 30 days before the permit's last day (both
days included); categories 2 and 3 are extended at most 3 times, an intra-corporate transfer once (by one
year); the decision is due within 3 working days. One request at a time per permit.

A seasonal permit is not extended: seasonal work is bounded by its season (up to 365 days) and the employer
applies again, under the quota of the new season (L: the sources say nothing of seasonal extensions).
The extension does not take a new quota place (L: the quota counts permits issued; ADR 0009, "Permits").
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record, audit_record_many, snapshot
from koshiqon.core.calendar import work_calendar
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour.domain import terms
from koshiqon.labour.domain.status import ExtensionStatus, PermitKind, PermitStatus
from koshiqon.labour.models import EXTENSION_STATUS_LABELS, Permit, PermitExtension
from koshiqon.labour.services.permit_decision import PERMIT_AUDIT_FIELDS
from koshiqon.labour.services.permits import may_act_for, move

EXTENSION_FIELDS = ["permit", "requested_on", "months", "decision_due", "status", "reasons"]


def _clean_reasons(reasons) -> list[str]:
    if isinstance(reasons, str):
        reasons = reasons.splitlines()
    return [" ".join(str(r).split()) for r in (reasons or []) if str(r).strip()]


def extension_problems(permit: Permit, on: date) -> list[str]:
    """Why an extension cannot be asked for on `on` (empty: it can), in the active language."""
    ict = permit.kind == PermitKind.ICT
    if permit.status != PermitStatus.ISSUED:
        return [_("Only a valid permit can be extended.")]
    if permit.kind == PermitKind.SEASONAL:
        return [_("A seasonal permit is not extended: apply for a new one for the next season.")]
    problems = []
    if not terms.may_extend(permit.category, permit.extensions, ict=ict):
        problems.append(_("This permit was already extended %(n)s times, the most its category allows.")
                        % {"n": permit.extensions})
    if not terms.in_extension_window(on, permit.valid_until):
        opens, closes = terms.extension_window(permit.valid_until)
        problems.append(_("An extension is asked from %(opens)s to %(closes)s (60 to 30 days before the permit "
                          "ends).") % {"opens": opens.isoformat(), "closes": closes.isoformat()})
    return problems


@transaction.atomic
def permit_extension_request(*, permit: Permit, months: int | None = None, by,
                             today: date | None = None) -> PermitExtension:
    """Ask for the extension of a valid permit (its employer, or an officer of its region)."""
    if not (can(by, Perm.LABOUR_APPLY) or can(by, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    locked = Permit.objects.select_for_update(of=("self",)).select_related("employer", "region").get(pk=permit.pk)
    if not may_act_for(by, locked.employer, locked.region):
        raise PermissionDenied("employer")
    on = today or timezone.localdate()
    problems = extension_problems(locked, on)
    if problems:
        raise ValidationError({"permit": problems})
    longest = terms.extension_months(locked.category, ict=locked.kind == PermitKind.ICT)
    months = longest if months is None else months
    if not isinstance(months, int) or not 1 <= months <= longest:
        raise ValidationError({"months": [_("Enter the months of the extension, 1 to %(max)s.") % {"max": longest}]})
    if locked.extension_requests.filter(status=ExtensionStatus.REQUESTED).exists():
        raise ValidationError({"permit": [_("An extension of this permit is already waiting for a decision.")]})
    extension = PermitExtension.objects.create(
        permit=locked, requested_on=on, months=months,
        decision_due=terms.extension_decision_due(on, work_calendar()),
    )
    audit_record(by=by, action="labour.extension.request", obj=extension, region_code=locked.region.code,
                 after=snapshot(extension, EXTENSION_FIELDS))
    return extension


@transaction.atomic
def permit_extension_decide(*, extension: PermitExtension, grant: bool, reasons=None, by) -> PermitExtension:
    """Grant (the permit runs `months` longer, from the day after its last day) or refuse, with reasons."""
    require(by, Perm.LABOUR_DECIDE)
    locked = (PermitExtension.objects.select_for_update(of=("self",)).select_related("permit", "permit__region")
              .get(pk=extension.pk))
    permit = Permit.objects.select_for_update(of=("self",)).select_related("region").get(pk=locked.permit_id)
    scope = region_ids_in_scope(by)
    if scope is not None and permit.region_id not in scope:
        raise PermissionDenied("region")
    reasons = _clean_reasons(reasons)
    if not grant and not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for refusing the extension.")]})
    before = snapshot(locked, EXTENSION_FIELDS)
    if grant:
        ict = permit.kind == PermitKind.ICT
        if permit.status != PermitStatus.ISSUED or not terms.may_extend(permit.category, permit.extensions, ict=ict):
            raise ValidationError({"permit": [_("This permit can no longer be extended.")]})
    move(locked, ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED, EXTENSION_STATUS_LABELS)
    locked.reasons = reasons
    locked.decided_at, locked.decided_by = timezone.now(), by
    locked.save()
    items = [AuditItem("labour.extension.decide", "labour.permitextension", str(locked.pk), permit.region.code,
                       before, snapshot(locked, EXTENSION_FIELDS), "\n".join(reasons))]
    if grant:
        permit_before = snapshot(permit, PERMIT_AUDIT_FIELDS)
        permit.valid_until = terms.valid_until(permit.valid_until + timedelta(days=1), locked.months)
        permit.extensions += 1
        permit.save(update_fields=["valid_until", "extensions", "updated_at"])
        items.append(AuditItem("labour.permit.extend", "labour.permit", str(permit.pk), permit.region.code,
                               permit_before, snapshot(permit, PERMIT_AUDIT_FIELDS)))
    audit_record_many(by=by, items=items)
    locked.permit = permit
    return locked

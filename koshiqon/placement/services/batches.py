"""Writes on placement batches: a batch made from the year's admitted families, their needs, the override of a
proposed region by an officer, the approval, and the discard.

The issue's procedure (issue 4): a national officer gathers the families included in the year's kandas quota
and not yet placed into a batch, with its arrival date, the weight of the families' preferred regions and
whether the centres' free beds bind; marks what each family needs (a psychologist, a medical referral...),
which only some regions' centres give; has the batch solved (services/solve.py); reviews the proposal, may
send a family elsewhere with a reason; and another right approves the batch, which fixes each family's
region and opens its adaptation plan at a centre of that region. Every step is audited, an override with
the region before and after and its reason.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.adaptation.selectors.centres import catalogue
from koshiqon.core.audit import AuditItem, audit_record, audit_record_many, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.kandas.models import Application
from koshiqon.placement.models import BatchFamily, BatchStatus, OutcomeModel, PlacementBatch
from koshiqon.placement.selectors.batches import (
    allowed_regions,
    batch_room,
    batch_totals,
    need_regions,
    placed_in_year,
    quota_plan,
)
from koshiqon.placement.services.plans import open_plans
from koshiqon.reference.models import Region

ADMITTED = ("included", "status_granted")
# A family is in at most one batch that is not discarded or failed: two open batches could place it twice.
HOLDING = (BatchStatus.DRAFT, BatchStatus.SOLVING, BatchStatus.PROPOSED, BatchStatus.APPROVED)
EDITABLE = (BatchStatus.DRAFT, BatchStatus.PROPOSED, BatchStatus.FAILED)
MAX_DAYS_AHEAD = 366
MAX_WEIGHT = 10.0
BATCH_FIELDS = ["year", "name", "arrival_date", "status", "unit", "preference_weight", "respect_centre_beds",
                "model", "method", "objective", "bound", "seconds"]
PROPOSAL_FIELDS = ["proposed_region", "predicted", "alternatives", "predictions", "unplaced_reason",
                   "override_region", "override_reason", "overridden_by", "overridden_at"]


def _reason(value: str) -> str:
    return " ".join(str(value or "").split())[:2000]


def families_to_place(year: int):
    """The year's applications included in the quota (or granted the status) that no open or approved batch
    holds yet."""
    held = BatchFamily.objects.filter(batch__status__in=HOLDING, batch__year=year).values("application_id")
    return Application.objects.filter(year=year, status__in=ADMITTED).exclude(pk__in=held)


@transaction.atomic
def batch_create(*, year: int, arrival_date: date, by, name: str = "", preference_weight: float = 0.1,
                 respect_centre_beds: bool = False, today: date | None = None) -> PlacementBatch:
    """A batch of every admitted family of `year` not yet placed, under the year's kandas quota plan."""
    require(by, Perm.PLACEMENT_RUN)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    plan = quota_plan(year) if year else None
    if plan is None:
        errors["year"] = [_("There is no kandas quota plan for %(year)s.") % {"year": year}]
    elif not plan.regional.exists():
        errors["year"] = [_("The quota plan of %(year)s is not split by region: a placement fills regional "
                            "quotas.") % {"year": year}]
    if arrival_date is None:
        errors["arrival_date"] = [_("This field is required.")]
    elif not today - timedelta(days=31) <= arrival_date <= today + timedelta(days=MAX_DAYS_AHEAD):
        errors["arrival_date"] = [_("The arrival date is at most a month ago and at most a year ahead.")]
    if preference_weight is None or not 0 <= preference_weight <= MAX_WEIGHT:
        errors["preference_weight"] = [_("Enter a weight from 0 to %(max)s.") % {"max": MAX_WEIGHT}]
    if errors:
        raise ValidationError(errors)
    applications = list(families_to_place(year).select_related("region").order_by("applied_at", "pk")
                        .values_list("pk", "region_id"))
    if not applications:
        raise ValidationError({"year": [_("No family of %(year)s is included in the quota and waiting for a "
                                          "placement.") % {"year": year}]})
    sizes = dict(Application.objects.filter(pk__in=[a for a, _r in applications]).values_list("pk")
                 .annotate(n=Count("members")))
    batch = PlacementBatch.objects.create(
        year=year, name=(name or "").strip()[:200] or _("Placement of %(year)s, arriving %(day)s")
        % {"year": year, "day": arrival_date.isoformat()}, arrival_date=arrival_date, unit=plan.unit,
        preference_weight=float(preference_weight), respect_centre_beds=bool(respect_centre_beds), created_by=by,
    )
    BatchFamily.objects.bulk_create([
        BatchFamily(batch=batch, application_id=pk, size=max(1, sizes.get(pk, 0)), preferred_region_id=region)
        for pk, region in applications
    ], batch_size=2000)
    audit_record(by=by, action="placement.batch.create", obj=batch,
                 after={**snapshot(batch, BATCH_FIELDS), "families": len(applications)})
    return batch


def _locked(batch: PlacementBatch) -> PlacementBatch:
    return PlacementBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def batch_family_needs_set(*, family: BatchFamily, needs: list[str], by) -> BatchFamily:
    """Set the services a family needs (catalogue codes): it will only be placed where a centre gives each.
    On a proposed batch the proposal no longer holds, so the batch goes back to draft and is solved again."""
    require(by, Perm.PLACEMENT_RUN)
    batch = _locked(family.batch)
    if batch.status not in EDITABLE:
        raise ValidationError(_("The needs of a family can change before the batch is approved, not while it is "
                                "being solved."))
    known = set(catalogue().values_list("code", flat=True))
    codes = list(dict.fromkeys(str(c).strip() for c in needs if str(c).strip()))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValidationError({"needs": [_("Not a service of the catalogue: %(codes)s.") % {"codes": ", ".join(unknown)}]})
    family = BatchFamily.objects.select_for_update().get(pk=family.pk)
    before = {"needs": family.needs}
    if sorted(before["needs"]) == sorted(codes):
        return family
    family.needs = codes
    family.save(update_fields=["needs"])
    items = [AuditItem("placement.batch_family.needs", "placement.batchfamily", str(family.pk),
                       "", before, {"needs": codes})]
    if batch.status == BatchStatus.PROPOSED:
        _reset(batch)
        items.append(AuditItem("placement.batch.reopen", "placement.placementbatch", str(batch.pk), "",
                               {"status": BatchStatus.PROPOSED}, {"status": batch.status},
                               _("A family's needs changed: the batch must be solved again.")))
    audit_record_many(by=by, items=items)
    return family


def _reset(batch: PlacementBatch) -> None:
    """Back to draft: the proposal and any override are cleared."""
    batch.families.update(proposed_region=None, predicted=None, alternatives=[], predictions={},
                          unplaced_reason="", override_region=None, override_reason="", overridden_by=None,
                          overridden_at=None)
    batch.status, batch.method, batch.objective, batch.bound, batch.seconds = BatchStatus.DRAFT, "", None, None, None
    batch.save(update_fields=["status", "method", "objective", "bound", "seconds", "updated_at"])


@transaction.atomic
def batch_discard(*, batch: PlacementBatch, by, reason: str) -> PlacementBatch:
    """Discard a batch that is not approved: its families become free for another batch."""
    require(by, Perm.PLACEMENT_RUN)
    batch = _locked(batch)
    if batch.status not in EDITABLE:
        raise ValidationError(_("Only a draft, proposed or failed batch can be discarded."))
    if not _reason(reason):
        raise ValidationError({"reason": [_("Say why the batch is discarded.")]})
    before = {"status": batch.status}
    batch.status = BatchStatus.DISCARDED
    batch.save(update_fields=["status", "updated_at"])
    audit_record(by=by, action="placement.batch.discard", obj=batch, before=before, after={"status": batch.status},
                 reason=_reason(reason))
    return batch


def room_left(batch: PlacementBatch, region: str, *, without: BatchFamily | None = None) -> dict[str, int | None]:
    """What a region can still take in this batch: its limits as solved, less the families whose final
    region it is (leaving out `without`, the family being moved)."""
    caps = {c["region"]: c for c in batch.capacities}
    cap = caps.get(region)
    if cap is None:
        return {"families": 0, "persons": 0}
    totals = batch_totals(batch).get(region, {"families": 0, "persons": 0})
    families, persons = totals["families"], totals["persons"]
    if without is not None and without.final_region and without.final_region.code == region:
        families, persons = families - 1, persons - without.size
    return {
        "families": None if cap.get("families") is None else cap["families"] - families,
        "persons": None if cap.get("persons") is None else cap["persons"] - persons,
    }


def fits(left: dict[str, int | None], size: int) -> bool:
    return (left["families"] is None or left["families"] >= 1) and (left["persons"] is None or left["persons"] >= size)


def _final(family: BatchFamily) -> dict[str, Any]:
    final = family.final_region
    return {"region": final.code if final else None, "override_region": family.override_region.code
            if family.override_region else None, "override_reason": family.override_reason}


@transaction.atomic
def batch_family_override(*, family: BatchFamily, region: str, reason: str, by) -> BatchFamily:
    """Send a family of a proposed batch to another region than the proposed one, with the reason.

    Refused when the region is not one the batch places into, when no centre there gives a service the
    family needs, or when the region has no room left (its quota and, if the batch respects them, its beds).
    Choosing the proposed region again removes the override (with a reason too). Audited with the region
    before and after."""
    require(by, Perm.PLACEMENT_RUN)
    batch = _locked(family.batch)
    family = BatchFamily.objects.select_for_update(of=("self",)).select_related(
        "proposed_region", "override_region", "batch").get(pk=family.pk, batch=batch)
    errors: dict[str, list[str]] = {}
    if batch.status != BatchStatus.PROPOSED:
        raise ValidationError(_("Only a family of a proposed batch can be sent elsewhere."))
    code = str(region or "").strip().upper()
    if not _reason(reason):
        errors["reason"] = [_("Say why the family goes to another region.")]
    target = Region.objects.filter(code=code).first() if code else None
    caps = {c["region"] for c in batch.capacities}
    if target is None:
        errors["region"] = [_("Choose a region.")]
    elif code not in caps:
        errors["region"] = [_("The year's quota plan gives this region no place.")]
    elif not allowed_regions(family.needs, [code], need_regions(family.needs, on=batch.arrival_date)):
        errors["region"] = [_("No centre of this region gives a service the family needs.")]
    elif family.final_region is None or family.final_region.code != code:
        if not fits(room_left(batch, code, without=family), family.size):
            errors["region"] = [_("This region has no room left for the family in this batch.")]
    if errors:
        raise ValidationError(errors)
    before = _final(family)
    back = family.proposed_region is not None and family.proposed_region.code == code
    family.override_region = None if back else target
    family.override_reason = "" if back else _reason(reason)
    family.overridden_by = None if back else by
    family.overridden_at = None if back else timezone.now()
    family.save(update_fields=["override_region", "override_reason", "overridden_by", "overridden_at"])
    family.refresh_from_db()
    after = {**_final(family), "predicted": family.predictions.get(code)}
    audit_record(by=by, action="placement.batch_family.override", obj=family, region_code=code,
                 before=before, after=after, reason=_reason(reason))
    return family


@transaction.atomic
def batch_approve(*, batch: PlacementBatch, by, reason: str = "", today: date | None = None) -> PlacementBatch:
    """Approve a proposed batch: each family's final region (the officer's choice, else the proposal) is
    fixed, checked once more against the room left (another batch of the year may have been approved
    meanwhile), audited family by family, and the family's adaptation plan is opened at a centre of that
    region on the arrival date."""
    require(by, Perm.PLACEMENT_APPROVE)
    batch = _locked(batch)
    if batch.status != BatchStatus.PROPOSED:
        raise ValidationError(_("Only a proposed batch can be approved; this one is %(status)s.")
                              % {"status": batch.get_status_display()})
    room = batch_room(batch)
    totals = batch_totals(batch)
    over = []
    for code, t in totals.items():
        r = room.get(code)
        if r is None or (r.families is not None and t["families"] > r.families) or (
                r.persons is not None and t["persons"] > r.persons):
            over.append(code)
    if over:
        raise ValidationError(_("These regions have less room than the batch places there (another batch may "
                                "have been approved meanwhile): %(regions)s. Solve the batch again.")
                              % {"regions": ", ".join(sorted(over))})
    families = list(batch.families.select_related("application", "application__family", "proposed_region",
                                                  "override_region"))
    now = timezone.now()
    items = []
    for f in families:
        final = f.final_region
        items.append(AuditItem(
            "placement.batch_family.place", "placement.batchfamily", str(f.pk), final.code if final else "", None,
            {"application": f.application.number, "region": final.code if final else None,
             "proposed_region": f.proposed_region.code if f.proposed_region else None,
             "overridden": f.override_region_id is not None,
             "predicted": f.predictions.get(final.code) if final else None},
        ))
    before = {"status": batch.status}
    batch.status, batch.approved_by, batch.approved_at = BatchStatus.APPROVED, by, now
    plans = open_plans(batch, [f for f in families if f.final_region is not None], by=by, today=today)
    batch.summary = {**batch.summary, "approved": {
        "placed": sum(1 for f in families if f.final_region is not None),
        "unplaced": sum(1 for f in families if f.final_region is None),
        "overridden": sum(1 for f in families if f.override_region_id is not None),
        "by_region": totals, "plans": plans,
    }}
    batch.save(update_fields=["status", "approved_by", "approved_at", "summary", "updated_at"])
    audit_record_many(by=by, items=items)
    audit_record(by=by, action="placement.batch.approve", obj=batch, before=before,
                 after={"status": batch.status, "placed": batch.summary["approved"]["placed"],
                        "unplaced": batch.summary["approved"]["unplaced"],
                        "overridden": batch.summary["approved"]["overridden"],
                        "plans_opened": plans["opened"], "year_placed": placed_in_year(batch.year)},
                 reason=_reason(reason))
    return batch


def active_model() -> OutcomeModel | None:
    return OutcomeModel.objects.filter(active=True).first()

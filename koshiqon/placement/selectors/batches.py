"""Reads of placement batches, scoped to the user, and what a batch is solved against: each region's room
left in the year's quota and in the centres' beds, and the regions that give each service a family needs.

Batches are national (a national officer places the year's families across regions), so everyone with the
right to view placement sees the list of batches and their totals. The families of a batch are personal:
a regional officer sees only the families whose preferred, proposed or chosen region is one of theirs; any
other family answers 404. Pages that show heads' names log the read of each head shown.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from koshiqon.adaptation.selectors.centres import catalogue
from koshiqon.adaptation.selectors.placement import free_beds_by_region, regions_with_service
from koshiqon.core.audit import access_record_many
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.kandas.models import QuotaCategory, QuotaPlan
from koshiqon.placement.models import BatchFamily, BatchStatus, PlacementBatch

FAMILY_FILTERS = ("region", "placed", "overridden", "q")


def batch_queryset(*, user) -> QuerySet[PlacementBatch]:
    require(user, Perm.PLACEMENT_VIEW)
    return PlacementBatch.objects.select_related("model", "job", "created_by", "approved_by").annotate(
        n_families=Count("families", distinct=True))


def batch_list(*, user, year: int | None = None, status: str = "") -> QuerySet[PlacementBatch]:
    qs = batch_queryset(user=user)
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def batch_get(*, user, pk: int) -> PlacementBatch:
    return get_object_or_404(batch_queryset(user=user), pk=pk)


def batch_for_run(*, user, pk: int) -> PlacementBatch:
    """A batch the user may change (needs, solve, override, discard): 403 without the right."""
    require(user, Perm.PLACEMENT_RUN)
    return batch_get(user=user, pk=pk)


def batch_for_approve(*, user, pk: int) -> PlacementBatch:
    require(user, Perm.PLACEMENT_APPROVE)
    return batch_get(user=user, pk=pk)


def families_in_scope(*, user, batch: PlacementBatch) -> QuerySet[BatchFamily]:
    require(user, Perm.PLACEMENT_VIEW)
    qs = batch.families.select_related(
        "application", "application__head", "preferred_region", "proposed_region", "override_region",
        "overridden_by",
    ).prefetch_related("preferred_region__names", "proposed_region__names", "override_region__names")
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(Q(preferred_region_id__in=scope) | Q(proposed_region_id__in=scope)
                       | Q(override_region_id__in=scope))
    return qs


def batch_families(*, user, batch: PlacementBatch, filters: dict | None = None) -> QuerySet[BatchFamily]:
    """The batch's families the user may see. Filters: region (ISO code of the final region), placed (True:
    with a region, False: without), overridden (True), q (an application number)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FAMILY_FILTERS and v not in (None, "")}
    qs = families_in_scope(user=user, batch=batch).annotate(
        final_code=Coalesce("override_region__code", "proposed_region__code"))
    if "region" in filters:
        qs = qs.filter(final_code=str(filters["region"]).upper())
    if filters.get("placed") is True:
        qs = qs.filter(final_code__isnull=False)
    elif filters.get("placed") is False:
        qs = qs.filter(final_code__isnull=True)
    if filters.get("overridden") is True:
        qs = qs.filter(override_region__isnull=False)
    if "q" in filters:
        qs = qs.filter(application__number__icontains=str(filters["q"]).strip())
    return qs.order_by("id")


def batch_family_get(*, user, batch: PlacementBatch, pk: int) -> BatchFamily:
    return get_object_or_404(families_in_scope(user=user, batch=batch), pk=pk)


def log_heads(*, user, families: Iterable[BatchFamily], channel: str, path: str) -> None:
    """A list that names the heads of families is a read of each head shown."""
    ids = [f.application.head_id for f in families]
    if ids:
        access_record_many(user=user, object_type="people.person", object_ids=ids, channel=channel, path=path)


# --- What a batch is solved against ---------------------------------------------------------------------

@dataclass
class RegionRoom:
    """A region's room for a batch: its quota of the year in the plan's unit, what approved batches of the
    year already placed there, and the limits the solver gets (None: no limit of that kind)."""

    region: str
    quota: int
    used: int
    families: int | None
    persons: int | None
    beds: int | None = None

    def as_dict(self) -> dict:
        return {"region": self.region, "quota": self.quota, "used": self.used, "families": self.families,
                "persons": self.persons, "beds": self.beds}


def quota_plan(year: int) -> QuotaPlan | None:
    return QuotaPlan.objects.filter(year=year, category=QuotaCategory.KANDAS).first()


def placed_in_year(year: int, *, exclude: int | None = None) -> dict[str, dict[str, int]]:
    """{region: {"families", "persons"}} placed by the approved batches of `year` (their final regions)."""
    qs = BatchFamily.objects.filter(batch__year=year, batch__status=BatchStatus.APPROVED)
    if exclude is not None:
        qs = qs.exclude(batch_id=exclude)
    rows = (qs.annotate(final_code=Coalesce("override_region__code", "proposed_region__code"))
            .filter(final_code__isnull=False).order_by().values("final_code")
            .annotate(families=Count("id"), persons=Sum("size")))
    return {r["final_code"]: {"families": r["families"], "persons": r["persons"] or 0} for r in rows}


def batch_room(batch: PlacementBatch) -> dict[str, RegionRoom]:
    """Each region of the year's kandas quota plan with its room left for this batch: the quota less what
    approved batches of the year placed (in families or persons, as the plan counts), and, when the batch
    respects the centres' beds, at most as many persons as the region's centres have free beds on the
    arrival date (a region without an open centre takes nobody then)."""
    plan = quota_plan(batch.year)
    if plan is None:
        return {}
    unit = plan.unit
    used = placed_in_year(batch.year, exclude=batch.pk)
    beds = free_beds_by_region(on=batch.arrival_date) if batch.respect_centre_beds else {}
    out = {}
    for code, amount in plan.regional.values_list("region__code", "amount").order_by("region__code"):
        taken = used.get(code, {}).get(unit, 0)
        left = max(amount - taken, 0)
        families = left if unit == "families" else None
        persons = left if unit == "persons" else None
        region_beds = None
        if batch.respect_centre_beds:
            region_beds = beds.get(code, 0)
            persons = region_beds if persons is None else min(persons, region_beds)
        out[code] = RegionRoom(code, amount, taken, families, persons, region_beds)
    return out


def need_regions(codes: Iterable[str], *, on: date) -> dict[str, set[str]]:
    """{service code: the regions with a centre giving it on `on`}."""
    return {code: regions_with_service(code=code, on=on) for code in sorted(set(codes))}


def allowed_regions(needs: Iterable[str], regions: Iterable[str], by_need: dict[str, set[str]]) -> list[str]:
    """The regions among `regions` where every need is given."""
    allowed = set(regions)
    for code in needs:
        allowed &= by_need.get(code, set())
    return sorted(allowed)


def service_names() -> dict[str, str]:
    """{service code: its name in the current language}, for the needs of the catalogue."""
    return {s.code: s.name for s in catalogue()}


def batch_totals(batch: PlacementBatch) -> dict[str, dict[str, int]]:
    """{region: {"families", "persons"}} of this batch's families by their final region."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"families": 0, "persons": 0})
    rows = (batch.families.annotate(final_code=Coalesce("override_region__code", "proposed_region__code"))
            .filter(final_code__isnull=False).order_by().values("final_code")
            .annotate(families=Count("id"), persons=Sum("size")))
    for r in rows:
        out[r["final_code"]] = {"families": r["families"], "persons": r["persons"] or 0}
    return dict(out)

"""Reads of the foreign-labour quota: a year's quota, its utilisation by region and category (scoped to the
user's regions), its redistributions, and the locked allocation the permits services consume.

Who may read the quota: officers and viewers (their regions; national officers all), and analysts (all: the
utilisation is an aggregate without personal data, ADR 0009). Employers and others get 403.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.labour.domain.quota_split import quota_categories, used_percent
from koshiqon.labour.models import LabourForce, LabourQuota, QuotaAllocation, QuotaRedistribution
from koshiqon.reference.models import Region


def region_exists_in(region: Region, year: int) -> bool:
    """The region existed at some time in the year (South Kazakhstan in 2009, Shymkent city from 2018)."""
    return ((region.valid_from is None or region.valid_from <= date(year, 12, 31))
            and (region.valid_to is None or region.valid_to >= date(year, 1, 1)))


def regions_in_year(year: int) -> list[Region]:
    return [r for r in Region.objects.prefetch_related("names").order_by("code") if region_exists_in(r, year)]


def require_quota_view(user) -> None:
    if not (can(user, Perm.LABOUR_VIEW) or can(user, Perm.ANALYTICS_VIEW)):
        raise PermissionDenied(Perm.LABOUR_VIEW.value)


def quota_list(*, user) -> QuerySet[LabourQuota]:
    """Every year's quota, newest first (the quota itself is public policy; its use is scoped below)."""
    require_quota_view(user)
    return (LabourQuota.objects.annotate(places=Sum("allocations__places"), used=Sum("allocations__used"))
            .order_by("-year"))


def quota_get(*, user, year: int) -> LabourQuota:
    return get_object_or_404(quota_list(user=user), year=year)


def quota_default_year(*, user, today_year: int) -> int | None:
    """The year a quota page opens on: this year's quota when set, else the latest one."""
    years = list(quota_list(user=user).values_list("year", flat=True))
    if today_year in years:
        return today_year
    return max(years) if years else None


def _region_of(region) -> Q:
    if isinstance(region, Region):
        return Q(region=region)
    if isinstance(region, int):
        return Q(region_id=region)
    return Q(region__code=str(region))


def quota_left(*, year: int, region, category: str) -> int:
    """Unused places of a year, region and category (unlocked: for display and decision steps); 0 when the
    quota has no such allocation."""
    allocation = QuotaAllocation.objects.filter(_region_of(region), quota__year=year, category=category).first()
    return allocation.left if allocation is not None else 0


@dataclass(frozen=True)
class UtilisationRow:
    region: Region
    category: str
    places: int
    used: int
    left: int
    percent: Decimal


def _allocations(*, user, year: int) -> QuerySet[QuotaAllocation]:
    require_quota_view(user)
    qs = QuotaAllocation.objects.filter(quota__year=year).select_related("region").prefetch_related("region__names")
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(region_id__in=scope)


def _category_order(year: int, category: str) -> tuple[int, str]:
    try:
        order = quota_categories(year)
    except LookupError:
        order = ()
    return (order.index(category) if category in order else len(order), category)


def utilisation(*, user, year: int) -> list[UtilisationRow]:
    """Places, used, left and per cent used for each region (of the user's scope) and category of a year,
    by region code, then in the categories' official order."""
    rows = [
        UtilisationRow(a.region, a.category, a.places, a.used, a.left, used_percent(a.used, a.places))
        for a in _allocations(user=user, year=year)
    ]
    return sorted(rows, key=lambda r: (r.region.code, _category_order(year, r.category)))


@dataclass(frozen=True)
class CategoryTotal:
    category: str
    places: int
    used: int
    left: int
    percent: Decimal


def utilisation_totals(rows: list[UtilisationRow], year: int) -> list[CategoryTotal]:
    """The rows added up by category (of the regions the rows cover)."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        places_used = totals.setdefault(row.category, [0, 0])
        places_used[0] += row.places
        places_used[1] += row.used
    return [
        CategoryTotal(category, places, used, places - used, used_percent(used, places))
        for category, (places, used) in sorted(totals.items(), key=lambda item: _category_order(year, item[0]))
    ]


def labour_force(*, user, year: int) -> QuerySet[LabourForce]:
    require_quota_view(user)
    return LabourForce.objects.filter(year=year).select_related("region").prefetch_related("region__names")


def redistribution_list(*, user, year: int) -> QuerySet[QuotaRedistribution]:
    """The moves of a year, newest first; a regional user sees those that touch one of their regions."""
    require_quota_view(user)
    qs = (QuotaRedistribution.objects.filter(quota__year=year)
          .select_related("from_region", "to_region", "by").prefetch_related("from_region__names", "to_region__names"))
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(Q(from_region_id__in=scope) | Q(to_region_id__in=scope))
    return qs

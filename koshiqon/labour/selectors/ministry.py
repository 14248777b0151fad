"""The ministry's figures on work permits: quota use by region and category, applications by region and
outcome, refusals by reason. Aggregates only, no personal data; national roles with labour.view (the
ministry) and analysts (analytics.view) may read them, everyone else gets 403."""

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.labour.domain.status import ApplicationStatus
from koshiqon.labour.models import PermitApplication

REASON_LABELS = {
    "category": _("category not in force"),
    "lmt_advertise": _("job not advertised or rejections not justified (2008-2012)"),
    "lmt_notify": _("employment body not notified (2012-2025)"),
    "lmt_exchange": _("vacancy not on the labour exchange 15 days before (from Sep 2025)"),
    "automatic_checks": _("registers of offences or contracts bar the permit"),
    "staff_share": _("too few citizens among the staff"),
    "ict_share": _("too many intra-corporate transferees"),
    "quota": _("quota exhausted"),
}


def may_read_figures(user) -> bool:
    national = region_ids_in_scope(user) is None if getattr(user, "is_authenticated", False) else False
    return (national and can(user, Perm.LABOUR_VIEW)) or can(user, Perm.ANALYTICS_VIEW)


def require_figures(user) -> None:
    if not may_read_figures(user):
        raise PermissionDenied(Perm.ANALYTICS_VIEW.value)


@dataclass(frozen=True)
class RegionOutcome:
    region_code: str
    region_id: int
    submitted: int
    granted: int
    refused: int
    withdrawn: int


def outcomes_by_region(*, user, year: int) -> list[RegionOutcome]:
    """Applications of `year` (by application date) per region of work, by status."""
    require_figures(user)
    rows = (PermitApplication.objects.filter(applied_on__year=year).values("region_id", "region__code")
            .annotate(**{s.value: Count("id", filter=Q(status=s)) for s in ApplicationStatus})
            .order_by("region__code"))
    return [RegionOutcome(r["region__code"], r["region_id"], r["submitted"], r["granted"], r["refused"],
                          r["withdrawn"]) for r in rows]


def refusals_by_reason(*, user, year: int) -> list[tuple[str, int]]:
    """How many refused applications of `year` failed each step, most frequent first (an application refused
    on two steps counts for both)."""
    require_figures(user)
    counts: Counter[str] = Counter()
    reasons = PermitApplication.objects.filter(applied_on__year=year, status=ApplicationStatus.REFUSED)
    for row in reasons.values_list("reasons", flat=True).iterator(chunk_size=5000):
        counts.update(set(row or []))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def application_years() -> list[int]:
    """The years that have applications, newest first (for the year picker)."""
    dates = PermitApplication.objects.dates("applied_on", "year", order="DESC")
    return [d.year for d in dates]

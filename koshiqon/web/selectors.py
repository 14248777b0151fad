"""What the home pages show, already scoped to the user: counts of persons in the user's regions and the
latest audit events there. Personal data is never listed here, only counts and who did what."""

from django.db.models import Count, QuerySet

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.permissions import can, region_ids_in_scope
from koshiqon.people.selectors import person_queryset
from koshiqon.reference.models import Region


def home_person_counts(*, user) -> list[dict]:
    """Persons registered in each region the user may see, largest first."""
    rows = person_queryset(user=user).values("region_id").annotate(n=Count("id")).order_by("-n")
    counts = {row["region_id"]: row["n"] for row in rows}
    scope = region_ids_in_scope(user)
    region_ids = set(counts) if scope is None else scope
    regions = Region.objects.filter(id__in=region_ids).prefetch_related("names")
    out = [{"region": r, "count": counts.get(r.id, 0)} for r in regions]
    return sorted(out, key=lambda row: (-row["count"], row["region"].code))


def home_recent_events(*, user, limit: int = 8) -> QuerySet[AuditEvent] | list:
    """The latest audit events of the user's regions (all regions for national roles)."""
    if not can(user, Perm.AUDIT_VIEW):
        return []
    events = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    scope = region_ids_in_scope(user)
    if scope is not None:
        codes = Region.objects.filter(id__in=scope).values_list("code", flat=True)
        events = events.filter(region_code__in=list(codes))
    return events[:limit]


def home_audit_size() -> int:
    return AuditEvent.objects.count()
